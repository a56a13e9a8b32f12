#include <net/if.h>
#include <net/if_mib.h>
#include <sys/socket.h>
#include <sys/sysctl.h>

#include <cerrno>
#include <cstddef>
#include <memory>
#include <stdexcept>

#include "collectors/network/darwin_interface_data.h"
#include "collectors/network/network_collector.h"

// Interface counters from sysctl {CTL_NET, PF_LINK, NETLINK_GENERIC, IFMIB_IFDATA, index,
// IFDATA_GENERAL} (net.link.generic.ifdata.<index>.general): one struct ifmibdata per interface,
// its if_data64 filled by make_ifmibdata (xnu bsd/net/if_mib.c) with whole 64-bit byte counters.
// NET_RT_IFLIST2 (sysctl_iflist2, bsd/net/rtsock.c) is not used: for any binary Apple did not
// sign it rounds ifi_ibytes/ifi_obytes down to 1 KiB and cuts them to 32 bits (ALIGN_BYTES), so
// they wrap every 4 GiB and disagree with netstat. Interfaces are enumerated with if_nameindex.
// No root needed. Compiled for arm64-apple-macos13; not yet run on a Mac.
namespace silicon {
namespace {

// The converter reads the struct by offset so that it is tested on Linux: hold it to the SDK.
namespace layout = ifmibdata_layout;
static_assert(offsetof(ifmibdata, ifmd_name) == layout::kName && sizeof(ifmibdata::ifmd_name) == layout::kNameSize);
static_assert(offsetof(ifmibdata, ifmd_snd_drops) == layout::kSndDrops);
static_assert(offsetof(ifmibdata, ifmd_data) == layout::kData);
static_assert(offsetof(ifmibdata, ifmd_data.ifi_ipackets) == layout::kIpackets);
static_assert(offsetof(ifmibdata, ifmd_data.ifi_ierrors) == layout::kIerrors);
static_assert(offsetof(ifmibdata, ifmd_data.ifi_opackets) == layout::kOpackets);
static_assert(offsetof(ifmibdata, ifmd_data.ifi_oerrors) == layout::kOerrors);
static_assert(offsetof(ifmibdata, ifmd_data.ifi_ibytes) == layout::kIbytes);
static_assert(offsetof(ifmibdata, ifmd_data.ifi_obytes) == layout::kObytes);
static_assert(offsetof(ifmibdata, ifmd_data.ifi_iqdrops) == layout::kIqdrops);
static_assert(sizeof(ifmibdata) == layout::kSize);

struct NameIndexFree {
  void operator()(struct if_nameindex* list) const { if_freenameindex(list); }
};

}  // namespace

struct NetworkReader::Platform {};

NetworkReader::NetworkReader(const HostPaths&) : platform_(new Platform) {}

NetworkReader::~NetworkReader() = default;

NetworkSample NetworkReader::Read() {
  const std::unique_ptr<struct if_nameindex, NameIndexFree> interfaces(if_nameindex());
  if (!interfaces) throw std::runtime_error("if_nameindex failed");
  NetworkSample sample;
  for (const struct if_nameindex* entry = interfaces.get(); entry->if_index != 0; ++entry) {
    int mib[] = {CTL_NET, PF_LINK, NETLINK_GENERIC, IFMIB_IFDATA, static_cast<int>(entry->if_index), IFDATA_GENERAL};
    ifmibdata data{};
    std::size_t size = sizeof data;
    // ENOENT: the interface went away since if_nameindex; it is simply not in this scrape.
    if (sysctl(mib, 6, &data, &size, nullptr, 0) != 0 || size != sizeof data) continue;
    const auto raw = InterfaceDataFromIfmibdata(std::span(reinterpret_cast<const std::uint8_t*>(&data), size));
    if (raw) sample.interfaces.push_back(CountersFromData64(*raw));
  }
  return sample;
}

}  // namespace silicon
