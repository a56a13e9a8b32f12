#include <dlfcn.h>
#include <sys/sysctl.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "collectors/power/ioreport_mapping.h"
#include "collectors/power/power_collector.h"
#include "core/apple_smc_darwin.h"
#include "core/darwin_handles.h"
#include "core/log.h"
#include "core/text_file.h"

// Energy, cluster and GPU activity from the private IOReport library, loaded with dlopen (the SDK
// has no stub for it), sampled by one background thread so that no scrape waits on a sample
// (other tools measure ~9 ms per sample); scrapes copy the running totals. System power from the
// SMC's PSTR key, read at each scrape. Compiled for arm64-apple-macos13; not yet run on a Mac.
namespace silicon {
namespace {

struct IOReportSubscription;

// The signatures the sudo-less monitors use (macmon, socpowerbud); IOReport has no public header.
struct IOReportApi {
  CFDictionaryRef (*copy_channels_in_group)(CFStringRef, CFStringRef, std::uint64_t, std::uint64_t, std::uint64_t);
  void (*merge_channels)(CFDictionaryRef, CFDictionaryRef, CFTypeRef);
  IOReportSubscription* (*create_subscription)(void*, CFMutableDictionaryRef, CFMutableDictionaryRef*, std::uint64_t,
                                               CFTypeRef);
  CFDictionaryRef (*create_samples)(IOReportSubscription*, CFMutableDictionaryRef, CFTypeRef);
  CFDictionaryRef (*create_samples_delta)(CFDictionaryRef, CFDictionaryRef, CFTypeRef);
  CFStringRef (*channel_group)(CFDictionaryRef);
  CFStringRef (*channel_subgroup)(CFDictionaryRef);
  CFStringRef (*channel_name)(CFDictionaryRef);
  CFStringRef (*channel_unit)(CFDictionaryRef);
  std::int64_t (*simple_integer)(CFDictionaryRef, std::int32_t);
  std::int32_t (*state_count)(CFDictionaryRef);
  CFStringRef (*state_name)(CFDictionaryRef, std::int32_t);
  std::int64_t (*state_residency)(CFDictionaryRef, std::int32_t);
};

std::optional<IOReportApi> LoadIOReport() {
  // By absolute path: a LaunchAgent's library search path is not to be trusted with a private library.
  void* library = dlopen("/usr/lib/libIOReport.dylib", RTLD_NOW | RTLD_LOCAL);
  if (library == nullptr) return std::nullopt;
  IOReportApi api{};
  bool complete = true;
  const auto load = [&](auto& function, const char* symbol) {
    function = reinterpret_cast<std::remove_reference_t<decltype(function)>>(dlsym(library, symbol));
    complete = complete && function != nullptr;
  };
  load(api.copy_channels_in_group, "IOReportCopyChannelsInGroup");
  load(api.merge_channels, "IOReportMergeChannels");
  load(api.create_subscription, "IOReportCreateSubscription");
  load(api.create_samples, "IOReportCreateSamples");
  load(api.create_samples_delta, "IOReportCreateSamplesDelta");
  load(api.channel_group, "IOReportChannelGetGroup");
  load(api.channel_subgroup, "IOReportChannelGetSubGroup");
  load(api.channel_name, "IOReportChannelGetChannelName");
  load(api.channel_unit, "IOReportChannelGetUnitLabel");
  load(api.simple_integer, "IOReportSimpleGetIntegerValue");
  load(api.state_count, "IOReportStateGetCount");
  load(api.state_name, "IOReportStateGetNameForIndex");
  load(api.state_residency, "IOReportStateGetResidency");
  if (!complete) return std::nullopt;
  return api;
}

/// The bytes of one data property of the pmgr node; empty where it is absent or not data.
std::vector<std::uint8_t> PmgrBytes(io_registry_entry_t pmgr, const std::string& key) {
  const CFRef<CFStringRef> name(CFStringCreateWithCString(kCFAllocatorDefault, key.c_str(), kCFStringEncodingUTF8));
  const CFRef<CFTypeRef> data(IORegistryEntryCreateCFProperty(pmgr, name.get(), kCFAllocatorDefault, 0));
  if (!data || CFGetTypeID(data.get()) != CFDataGetTypeID()) return {};
  const auto bytes = static_cast<CFDataRef>(data.get());
  const std::uint8_t* begin = CFDataGetBytePtr(bytes);
  return {begin, begin + CFDataGetLength(bytes)};
}

std::vector<double> FrequencyTable(io_registry_entry_t pmgr, const std::string& key) {
  return VoltageStateFrequenciesHz(PmgrBytes(pmgr, key));
}

/// hw.perflevel0.name, 1, ...: macOS's names of the CPU tiers, fastest first (empty on Intel Macs).
std::vector<std::string> PerfLevelNames() {
  std::vector<std::string> names;
  int levels = 0;
  std::size_t size = sizeof levels;
  if (sysctlbyname("hw.nperflevels", &levels, &size, nullptr, 0) != 0) return names;
  for (int level = 0; level < levels && level < 8; ++level) {
    char name[64] = {};
    std::size_t length = sizeof name - 1;
    const std::string key = "hw.perflevel" + std::to_string(level) + ".name";
    names.emplace_back(sysctlbyname(key.c_str(), name, &length, nullptr, 0) == 0 ? name : "");
  }
  return names;
}

/// The DVFS tables of the pmgr node (an AppleARMIODevice); empty tables where it is not found.
SocFrequencyTables ReadFrequencyTables() {
  SocFrequencyTables tables;
  io_iterator_t raw_iterator = 0;
  if (IOServiceGetMatchingServices(kIOMainPortDefault, IOServiceMatching("AppleARMIODevice"), &raw_iterator) !=
      KERN_SUCCESS) {
    return tables;
  }
  const IOObject iterator(raw_iterator);
  while (io_object_t raw_entry = IOIteratorNext(iterator.get())) {
    const IOObject entry(raw_entry);
    io_name_t name = {};
    if (IORegistryEntryGetName(entry.get(), name) != KERN_SUCCESS || std::string_view(name) != "pmgr") continue;
    // M5 and later name each cluster's table in acc-clusters (voltage-states1-sram is gone there);
    // M1-M4 have no acc-clusters and the fixed E = 1, P = 5 tables.
    const auto acc_clusters = AccClusterTables(PmgrBytes(entry.get(), "acc-clusters"));
    const std::map<char, int> fixed = {{'E', 1}, {'P', 5}};
    for (const auto& [tier, index] : acc_clusters.empty() ? fixed : acc_clusters) {
      auto table = FrequencyTable(entry.get(), "voltage-states" + std::to_string(index) + "-sram");
      if (!table.empty()) tables.cpu_hz[tier] = std::move(table);
    }
    tables.gpu_hz = FrequencyTable(entry.get(), "voltage-states9");
    break;
  }
  return tables;
}

CFStringRef String(const char* text) {
  return CFStringCreateWithCString(kCFAllocatorDefault, text, kCFStringEncodingUTF8);
}

/// The channels of one delta sample, copied into plain structs.
std::vector<IOReportChannel> Channels(const IOReportApi& api, CFDictionaryRef delta) {
  std::vector<IOReportChannel> channels;
  const auto array = static_cast<CFArrayRef>(CFDictionaryGetValue(delta, CFSTR("IOReportChannels")));
  if (array == nullptr || CFGetTypeID(array) != CFArrayGetTypeID()) return channels;
  for (CFIndex i = 0; i < CFArrayGetCount(array); ++i) {
    const auto item = static_cast<CFDictionaryRef>(CFArrayGetValueAtIndex(array, i));
    if (item == nullptr || CFGetTypeID(item) != CFDictionaryGetTypeID()) continue;
    IOReportChannel channel;
    channel.group = CFStringValue(api.channel_group(item));
    channel.subgroup = CFStringValue(api.channel_subgroup(item));
    channel.name = CFStringValue(api.channel_name(item));
    if (channel.group == "Energy Model") {
      channel.unit = std::string(TrimSpace(CFStringValue(api.channel_unit(item))));
      channel.value = api.simple_integer(item, 0);
    } else {
      const std::int32_t count = api.state_count(item);
      for (std::int32_t s = 0; s < count; ++s) {
        channel.states.push_back({CFStringValue(api.state_name(item, s)), api.state_residency(item, s)});
      }
    }
    channels.push_back(std::move(channel));
  }
  return channels;
}

/// One IOReport subscription sampled by a thread of its own until destroyed.
class IOReportSampler {
 public:
  static std::unique_ptr<IOReportSampler> Start(double interval_seconds) {
    const auto api = LoadIOReport();
    if (!api) {
      log::Warn("IOReport library or one of its functions is missing",
                {{"collector", "power"}, {"library", "/usr/lib/libIOReport.dylib"}});
      return nullptr;
    }
    CFMutableDictionaryRef channels = nullptr;
    {
      const CFRef<CFStringRef> energy(String("Energy Model")), cpu(String("CPU Stats")), gpu(String("GPU Stats"));
      const CFRef<CFStringRef> clusters(String("CPU Complex Performance States"));
      const CFRef<CFStringRef> gpu_states(String("GPU Performance States"));
      const CFRef<CFDictionaryRef> energy_channels(api->copy_channels_in_group(energy.get(), nullptr, 0, 0, 0));
      const CFRef<CFDictionaryRef> cpu_channels(api->copy_channels_in_group(cpu.get(), clusters.get(), 0, 0, 0));
      const CFRef<CFDictionaryRef> gpu_channels(api->copy_channels_in_group(gpu.get(), gpu_states.get(), 0, 0, 0));
      if (!energy_channels) return nullptr;
      if (cpu_channels) api->merge_channels(energy_channels.get(), cpu_channels.get(), nullptr);
      if (gpu_channels) api->merge_channels(energy_channels.get(), gpu_channels.get(), nullptr);
      channels = CFDictionaryCreateMutableCopy(kCFAllocatorDefault, CFDictionaryGetCount(energy_channels.get()),
                                               energy_channels.get());
    }
    CFMutableDictionaryRef subscribed = nullptr;
    IOReportSubscription* subscription = api->create_subscription(nullptr, channels, &subscribed, 0, nullptr);
    if (subscription == nullptr) {
      CFRelease(channels);
      log::Warn("IOReportCreateSubscription failed", {{"collector", "power"}});
      return nullptr;
    }
    return std::unique_ptr<IOReportSampler>(
        new IOReportSampler(*api, channels, subscribed, subscription, interval_seconds));
  }

  ~IOReportSampler() {
    {
      const std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    if (subscribed_) CFRelease(subscribed_);
    CFRelease(channels_);
    CFRelease(reinterpret_cast<CFTypeRef>(subscription_));
  }

  /// The running totals, with the sampler's own cost.
  PowerSample Totals() {
    const std::lock_guard lock(mutex_);
    PowerSample sample = totals_.Totals();
    sample.sampler_samples = samples_;
    sample.sampler_busy_seconds = busy_seconds_;
    return sample;
  }

 private:
  IOReportSampler(const IOReportApi& api, CFMutableDictionaryRef channels, CFMutableDictionaryRef subscribed,
                  IOReportSubscription* subscription, double interval_seconds)
      : api_(api),
        channels_(channels),
        subscribed_(subscribed),
        subscription_(subscription),
        interval_(std::chrono::duration<double>(interval_seconds)),
        totals_(ReadFrequencyTables(), PerfLevelNames()),
        thread_([this] { Run(); }) {}

  void Run() {
    using Clock = std::chrono::steady_clock;
    CFRef<CFDictionaryRef> previous(api_.create_samples(subscription_, subscribed_ ? subscribed_ : channels_, nullptr));
    auto previous_at = Clock::now();
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
      lock.unlock();
      const auto started = Clock::now();
      CFRef<CFDictionaryRef> current(api_.create_samples(subscription_, subscribed_ ? subscribed_ : channels_, nullptr));
      const auto now = Clock::now();
      std::vector<IOReportChannel> delta;
      if (previous && current) {
        const CFRef<CFDictionaryRef> difference(api_.create_samples_delta(previous.get(), current.get(), nullptr));
        if (difference) delta = Channels(api_, difference.get());
      }
      const double elapsed = std::chrono::duration<double>(now - previous_at).count();
      previous = std::move(current);
      previous_at = now;
      const double busy = std::chrono::duration<double>(Clock::now() - started).count();
      lock.lock();
      totals_.Add(delta, elapsed);
      samples_ += 1;
      busy_seconds_ += busy;
      if (!totals_.UnknownUnits().empty() && !told_units_) {
        log::Warn("energy channels in a unit other than mJ, uJ, nJ left out",
                  {{"collector", "power"}, {"unit", *totals_.UnknownUnits().begin()}});
        told_units_ = true;
      }
      if (totals_.CpuEnergyStalled() != told_stalled_) {
        told_stalled_ = totals_.CpuEnergyStalled();
        if (told_stalled_) {
          log::Warn(
              "IOReport CPU Energy has not moved while the CPU clusters ran; its energy series is left out "
              "until it moves again (silicon_energy_counter_stalled)",
              {{"collector", "power"},
               {"channel", "CPU Energy"},
               {"stalled_seconds", SocActivityTotals::kStallSeconds}});
        } else {
          log::Info("IOReport CPU Energy moves again", {{"collector", "power"}, {"channel", "CPU Energy"}});
        }
      }
    }
  }

  const IOReportApi api_;
  CFMutableDictionaryRef channels_;
  CFMutableDictionaryRef subscribed_;
  IOReportSubscription* subscription_;
  const std::chrono::duration<double> interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool told_units_ = false;
  bool told_stalled_ = false;  // logged once per change, not every sample
  double samples_ = 0;       // guarded by mutex_
  double busy_seconds_ = 0;  // guarded by mutex_: the sampler's own cost
  SocActivityTotals totals_;  // guarded by mutex_
  std::thread thread_;        // last: starts once everything above is set
};

}  // namespace

struct PowerReader::Platform {
  std::unique_ptr<IOReportSampler> sampler;
  std::unique_ptr<AppleSmc> smc;
};

PowerReader::PowerReader(const HostPaths&, const PowerOptions& options) : platform_(new Platform) {
  platform_->sampler = IOReportSampler::Start(options.sample_interval_seconds);
  platform_->smc = AppleSmc::Open();
}

PowerReader::~PowerReader() = default;

PowerSample PowerReader::Read() {
  PowerSample sample = platform_->sampler ? platform_->sampler->Totals() : PowerSample{};
  if (platform_->smc) {
    // PSTR: the whole machine's power in watts, where the SMC has it (not on every model).
    if (const auto watts = platform_->smc->ReadNumber("PSTR"); watts && *watts >= 0) sample.system_power_watts = watts;
  }
  return sample;
}

}  // namespace silicon
