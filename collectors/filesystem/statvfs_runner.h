#pragma once

#include <sys/statvfs.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace silicon {

/// statvfs(2) for a list of paths on a thread of its own, with a time limit per call. A call on a
/// mount whose server is gone (NFS, a FUSE daemon that never answers) sleeps uninterruptibly; no
/// signal or timeout in the call can free it. So the worker making it is left behind, the mount is
/// marked stuck and skipped until that call returns, and a fresh worker carries on with the rest:
/// one hung mount costs one scrape the timeout, once, and one parked thread while it hangs.
class StatvfsRunner {
 public:
  explicit StatvfsRunner(std::chrono::milliseconds timeout);
  ~StatvfsRunner();
  StatvfsRunner(const StatvfsRunner&) = delete;
  StatvfsRunner& operator=(const StatvfsRunner&) = delete;

  struct Result {
    std::optional<struct statvfs> stat;  // set when the call succeeded in time
    bool stuck = false;                  // timed out now, or still hanging from an earlier scrape
  };

  /// One result per path, in order.
  std::vector<Result> StatAll(const std::vector<std::string>& paths);

  struct Shared;  // what the runner and its workers, the parked ones included, share
  struct Worker;

 private:
  std::chrono::milliseconds timeout_;
  std::shared_ptr<Shared> shared_;
  std::shared_ptr<Worker> worker_;
};

}  // namespace silicon
