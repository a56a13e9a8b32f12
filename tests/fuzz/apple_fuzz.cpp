// libFuzzer target: the platform-neutral halves of the macOS readers on arbitrary input, with the
// properties a scrape relies on checked: IOReport totals stay finite and never go negative or
// backwards (they are counters), HID temperatures stay in their plausible range, SMC decoding and
// the battery converter never produce NaN. Any crash, sanitizer report or abort is a bug.
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdlib>
#include <vector>

#include "collectors/power/ioreport_mapping.h"
#include "collectors/power_supply/darwin_power_source.h"
#include "collectors/power_supply/power_supply_uevent.h"
#include "collectors/thermal/hid_temperatures.h"
#include "core/smc_value.h"

namespace {

using namespace silicon;

void Require(bool condition) {
  if (!condition) std::abort();
}

bool Finite(const std::optional<double>& value) { return !value || std::isfinite(*value); }

IOReportChannel Channel(FuzzedDataProvider& in) {
  static const char* const kGroups[] = {"Energy Model", "CPU Stats", "GPU Stats", "other"};
  static const char* const kSubgroups[] = {"CPU Complex Performance States", "GPU Performance States", ""};
  IOReportChannel channel;
  channel.group = kGroups[in.ConsumeIntegralInRange<int>(0, 3)];
  channel.subgroup = kSubgroups[in.ConsumeIntegralInRange<int>(0, 2)];
  channel.name = in.ConsumeRandomLengthString(24);
  channel.unit = in.ConsumeRandomLengthString(4);
  channel.value = in.ConsumeIntegral<std::int64_t>();
  const int states = in.ConsumeIntegralInRange<int>(0, 24);
  for (int i = 0; i < states; ++i) {
    channel.states.push_back({in.ConsumeRandomLengthString(6), in.ConsumeIntegral<std::int64_t>()});
  }
  return channel;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const auto table = [&in] {
    const auto bytes = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 160));
    const auto hz = VoltageStateFrequenciesHz(bytes);
    for (const double f : hz) Require(std::isfinite(f) && f > 0);
    return hz;
  };
  SocFrequencyTables tables;
  tables.cpu_hz['E'] = table();
  tables.cpu_hz['M'] = table();
  tables.cpu_hz['P'] = table();
  tables.gpu_hz = table();
  SocActivityTotals totals(tables);
  PowerSample previous;
  for (int round = 0; round < 3 && in.remaining_bytes() > 0; ++round) {
    std::vector<IOReportChannel> delta;
    const int channels = in.ConsumeIntegralInRange<int>(0, 12);
    for (int i = 0; i < channels; ++i) delta.push_back(Channel(in));
    totals.Add(delta, in.ConsumeFloatingPointInRange<double>(-1, 100));
    const auto sample = totals.Totals();
    for (const auto& counter : sample.energy) Require(std::isfinite(counter.joules) && counter.joules >= 0);
    for (const auto& cluster : sample.clusters) {
      Require(std::isfinite(cluster.active_seconds) && cluster.active_seconds >= 0 && Finite(cluster.cycles));
    }
    for (const auto& gpu : sample.gpus) Require(std::isfinite(gpu.active_seconds) && gpu.active_seconds >= 0);
    for (const auto& counter : previous.energy) {  // counters only grow
      for (const auto& now : sample.energy) {
        if (now.domain == counter.domain) Require(now.joules >= counter.joules);
      }
    }
    previous = sample;
  }

  std::vector<HidTemperature> readings;
  while (in.remaining_bytes() > 8 && readings.size() < 16) {
    readings.push_back({in.ConsumeRandomLengthString(16), in.ConsumeFloatingPoint<double>()});
  }
  for (const auto& sensor : TemperaturesFromHid(readings)) Require(sensor.celsius >= 15 && sensor.celsius <= 150);

  const auto smc = in.ConsumeBytes<std::uint8_t>(in.ConsumeIntegralInRange<std::size_t>(0, 32));
  for (const char* type : {"flt ", "fpe2", "sp78", "ui8 ", "ui16", "ui32", "ch8*"}) {
    Require(Finite(DecodeSmcValue(SmcFourCC(type), smc)));
  }

  DarwinPowerSource source{in.ConsumeRandomLengthString(8), in.ConsumeBool() ? "InternalBattery" : "UPS",
                           in.ConsumeBool() ? "AC Power" : "Battery Power", in.ConsumeBool(),
                           in.ConsumeIntegral<long long>(), in.ConsumeIntegral<long long>(),
                           in.ConsumeIntegral<long long>()};
  DarwinSmartBattery smart{in.ConsumeIntegral<long long>(), in.ConsumeIntegral<long long>(),
                           in.ConsumeIntegral<long long>(), in.ConsumeIntegral<long long>()};
  for (const auto& battery : PowerSupplyFromDarwin(source, smart).batteries) {
    Require(Finite(battery.charge_ratio) && Finite(battery.health_ratio) && Finite(battery.time_to_empty_seconds));
  }
  const auto rest = in.ConsumeRemainingBytesAsString();
  (void)ParsePowerSupplyUevent("BAT0", rest);
  return 0;
}
