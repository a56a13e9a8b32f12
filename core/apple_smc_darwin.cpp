#include "core/apple_smc_darwin.h"

#include <mach/mach.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "core/smc_value.h"

namespace silicon {
namespace {

// The AppleSMC user client's call structure, as the public fan and sensor tools lay it out:
// the driver checks its size (80 bytes), so the layout is fixed by the C rules of alignment.
struct SmcKeyInfo {
  std::uint32_t data_size;
  std::uint32_t data_type;
  std::uint8_t data_attributes;
};

struct SmcVersion {
  std::uint8_t major, minor, build, reserved;
  std::uint16_t release;
};

struct SmcPowerLimits {
  std::uint16_t version, length;
  std::uint32_t cpu, gpu, memory;
};

struct SmcCall {
  std::uint32_t key;
  SmcVersion version;
  SmcPowerLimits limits;
  SmcKeyInfo key_info;
  std::uint8_t result;
  std::uint8_t status;
  std::uint8_t command;
  std::uint32_t index;
  std::uint8_t bytes[32];
};
static_assert(sizeof(SmcCall) == 80 && offsetof(SmcCall, key_info) == 28 && offsetof(SmcCall, bytes) == 48, "the AppleSMC driver takes an 80-byte structure");

constexpr std::uint32_t kHandleEvent = 2;  // the user client's one struct method
constexpr std::uint8_t kReadBytes = 5;
constexpr std::uint8_t kReadKeyInfo = 9;

bool Call(io_connect_t connection, const SmcCall& in, SmcCall& out) {
  size_t out_size = sizeof out;
  return IOConnectCallStructMethod(connection, kHandleEvent, &in, sizeof in, &out, &out_size) == KERN_SUCCESS &&
         out.result == 0;
}

}  // namespace

std::unique_ptr<AppleSmc> AppleSmc::Open() {
  const io_service_t service = IOServiceGetMatchingService(kIOMainPortDefault, IOServiceMatching("AppleSMC"));
  if (service == 0) return nullptr;
  io_connect_t connection = 0;
  const kern_return_t opened = IOServiceOpen(service, mach_task_self(), 0, &connection);
  IOObjectRelease(service);
  if (opened != KERN_SUCCESS) return nullptr;
  return std::unique_ptr<AppleSmc>(new AppleSmc(connection));
}

AppleSmc::~AppleSmc() { IOServiceClose(connection_); }

std::optional<double> AppleSmc::ReadNumber(std::string_view key) {
  if (key.size() != 4) return std::nullopt;
  SmcCall in{}, out{};
  in.key = SmcFourCC(key);
  in.command = kReadKeyInfo;
  if (!Call(connection_, in, out)) return std::nullopt;
  const SmcKeyInfo info = out.key_info;
  if (info.data_size == 0 || info.data_size > sizeof out.bytes) return std::nullopt;
  in.key_info = info;
  in.command = kReadBytes;
  out = SmcCall{};
  if (!Call(connection_, in, out)) return std::nullopt;
  return DecodeSmcKeyValue(in.key, info.data_type, std::span<const std::uint8_t>(out.bytes, info.data_size));
}

}  // namespace silicon
