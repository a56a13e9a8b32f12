// libFuzzer target: every /proc and /sys text parser on the same arbitrary bytes. Run with
// ASan+UBSan (tests/fuzz/run.sh); any crash, leak or sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/text_file.h"
#include "collectors/cpu/proc_stat.h"
#include "collectors/memory/meminfo.h"
#include "core/psi.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)silicon::ParseProcStatCpus(text, 100);
  (void)silicon::ParseLoadavg(text);
  (void)silicon::ParseCpuList(text);
  (void)silicon::ParseCpuinfoModel(text);
  (void)silicon::ParseMeminfo(text);
  (void)silicon::ParseSwapPageCounts(text);
  (void)silicon::ParseZramMemUsed(text);
  (void)silicon::ParsePsi(text);
  (void)silicon::ParseInteger(text);
  (void)silicon::ParseNumber(text);
  return 0;
}
