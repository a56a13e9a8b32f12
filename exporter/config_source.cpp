#include "exporter/config_source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/text_file.h"

namespace silicon {
namespace {

// Opened without blocking (a FIFO with no writer would wait in open()), then judged by fstat.
std::optional<std::string> OpenRegular(const std::string& path, const std::string& what, std::size_t max_bytes,
                                       int& fd) {
  fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return "cannot open " + what + ": " + std::strerror(errno);
  struct stat info {};
  if (fstat(fd, &info) != 0) return "cannot read " + what + ": " + std::strerror(errno);
  if (S_ISDIR(info.st_mode)) return what + " is a directory, not a file";
  if (!S_ISREG(info.st_mode)) return what + " is not a regular file (a FIFO, device or socket)";
  if (static_cast<std::size_t>(info.st_size) > max_bytes) {
    return what + " is " + std::to_string(info.st_size) + " bytes, more than the " + std::to_string(max_bytes) +
           " a configuration file may have";
  }
  return std::nullopt;
}

}  // namespace

ConfigSource ReadConfigSource(const std::string& path, const std::string& what, std::size_t max_bytes) {
  ConfigSource source;
  int fd = -1;
  if (auto problem = OpenRegular(path, what, max_bytes, fd)) {
    if (fd >= 0) close(fd);
    source.error = std::move(*problem);
    return source;
  }
  // The shared read loop, allowed one byte past the cap: a file that grew while being read shows.
  auto text = ReadFromStart(fd, max_bytes + 1, ReadEnd::kAtEof);
  if (!text) {
    source.error = "cannot read " + what + ": " + std::strerror(errno);
  } else if (text->size() > max_bytes) {
    source.error = what + " grew past " + std::to_string(max_bytes) + " bytes while being read";
  } else {
    source.text = std::move(*text);
  }
  close(fd);
  return source;
}

std::optional<std::string> CheckConfigSourcePath(const std::string& path) {
  int fd = -1;
  auto problem = OpenRegular(path, "file", kMaxConfigFileBytes, fd);
  if (fd >= 0) close(fd);
  return problem;
}

}  // namespace silicon
