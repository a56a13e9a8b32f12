#include <algorithm>
#include <filesystem>

#include "core/directory.h"
#include "core/text_file.h"
#include "collectors/gpu/drm_backend.h"

namespace silicon {
namespace {

namespace fs = std::filesystem;

// "KEY=value" lines of a uevent file.
std::string UeventValue(const std::string& uevent, std::string_view key) {
  for (const auto line : SplitLines(uevent)) {
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == '=') {
      return std::string(line.substr(key.size() + 1));
    }
  }
  return {};
}

// cardN folders (not the cardN-DP-1 connectors), in card order.
std::vector<std::pair<int, fs::path>> Cards(const fs::path& drm) {
  std::vector<std::pair<int, fs::path>> cards;
  for (const auto& name : ListNames(drm, "card")) {
    if (const auto number = ParseInteger(std::string_view(name).substr(4)); number && *number >= 0) {
      cards.emplace_back(static_cast<int>(*number), drm / name);
    }
  }
  std::sort(cards.begin(), cards.end());
  return cards;
}

// The card's hwmon folder (amdgpu always has one; Intel discrete cards too).
std::optional<fs::path> Hwmon(const fs::path& device) {
  const auto names = ListNames(device / "hwmon", "hwmon");
  if (names.empty()) return std::nullopt;
  return device / "hwmon" / names.front();
}

void ReadHwmon(const fs::path& hwmon, GpuDevice& d) {
  d.temperature_celsius = ReadNonNegative(hwmon / "temp1_input", 1e-3);  // millidegrees; temp1 = "edge"
  // Microwatts; newer amdgpu has power1_input, older power1_average.
  d.power_watts = ReadNonNegative(hwmon / "power1_input", 1e-6);
  if (!d.power_watts) d.power_watts = ReadNonNegative(hwmon / "power1_average", 1e-6);
  d.energy_joules = ReadNonNegative(hwmon / "energy1_input", 1e-6);  // microjoules (i915/xe discrete)
  // amdgpu: freq1 is the shader clock (sclk), freq2 the memory clock (mclk), in Hz.
  if (const auto hz = ReadNonNegative(hwmon / "freq1_input", 1)) d.frequency_hertz["graphics"] = *hz;
  if (const auto hz = ReadNonNegative(hwmon / "freq2_input", 1)) d.frequency_hertz["memory"] = *hz;
  const auto rpm = ReadNonNegative(hwmon / "fan1_input", 1);
  const auto max_rpm = ReadNonNegative(hwmon / "fan1_max", 1);
  if (rpm && max_rpm && *max_rpm > 0) d.fan_speed_ratio = std::min(1.0, *rpm / *max_rpm);
}

}  // namespace

std::vector<GpuDevice> DrmBackend::Read() {
  std::vector<GpuDevice> devices;
  for (const auto& [number, card] : Cards(paths_.sysfs / "class/drm")) {
    const auto device = card / "device";
    const auto vendor_id = ReadTextFile(device / "vendor", 64);
    if (!vendor_id) continue;
    const auto vendor_text = TrimSpace(*vendor_id);
    GpuDevice d;
    if (vendor_text == "0x1002") {
      d.vendor = "amd";
    } else if (vendor_text == "0x8086") {
      d.vendor = "intel";
    } else {
      continue;  // NVIDIA goes through NVML; virtual and unknown cards have nothing to read
    }
    const auto uevent = ReadTextFile(device / "uevent", 4096).value_or("");
    d.driver = UeventValue(uevent, "DRIVER");
    d.pci_bus_id = UeventValue(uevent, "PCI_SLOT_NAME");
    const auto product = ReadTextFile(device / "product_name", 256);  // amdgpu, from the board's FRU
    d.name = product && !TrimSpace(*product).empty() ? std::string(TrimSpace(*product))
                                                     : UeventValue(uevent, "PCI_ID");
    if (const auto id = ReadTextFile(device / "unique_id", 128)) d.uuid = std::string(TrimSpace(*id));

    d.utilization_ratio = ReadNonNegative(device / "gpu_busy_percent", 0.01);  // amdgpu
    d.memory_used_bytes = ReadNonNegative(device / "mem_info_vram_used", 1);
    d.memory_total_bytes = ReadNonNegative(device / "mem_info_vram_total", 1);
    if (const auto hwmon = Hwmon(device)) ReadHwmon(*hwmon, d);
    // i915: the actual GPU clock in MHz (gt_cur_freq_mhz is only the requested one).
    if (!d.frequency_hertz.count("graphics")) {
      if (const auto mhz = ReadNonNegative(card / "gt_act_freq_mhz", 1e6)) d.frequency_hertz["graphics"] = *mhz;
    }
    devices.push_back(std::move(d));
  }
  return devices;
}

}  // namespace silicon
