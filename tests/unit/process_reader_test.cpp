#include "tests/unit/catch.h"

#include <fcntl.h>
#include <unistd.h>

#include <vector>

#include "exporter/process_sample.h"

TEST_CASE("the exporter's own open descriptors are counted as they come and go", "[process][linux]") {
  silicon::ProcessReader reader;
  const auto before = reader.Read().open_fds;
  REQUIRE(before);
  std::vector<int> opened;
  for (int i = 0; i < 10; ++i) opened.push_back(open("/dev/null", O_RDONLY | O_CLOEXEC));
  CHECK(reader.Read().open_fds == *before + 10);
  for (const int fd : opened) close(fd);
  CHECK(reader.Read().open_fds == *before);
  CHECK(reader.Read().max_fds > 0);
}
