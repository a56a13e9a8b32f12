#include <net/if.h>
#include <net/if_dl.h>
#include <net/route.h>
#include <sys/socket.h>
#include <sys/sysctl.h>

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "collectors/network/darwin_interface_data.h"
#include "collectors/network/network_collector.h"

// Interface counters from sysctl {CTL_NET, PF_ROUTE, 0, 0, NET_RT_IFLIST2, 0}: one RTM_IFINFO2
// message (struct if_msghdr2, with 64-bit if_data64 counters) per interface, followed by the
// sockaddr_dl that names it. No root needed. Compiled for arm64-apple-macos13; not yet run on a Mac.
namespace silicon {
namespace {

// The interface name from the sockaddr_dl right after an RTM_IFINFO2 message, bounded by its end.
std::string LinkName(const char* after_header, const char* message_end) {
  if (after_header + sizeof(sockaddr_dl) > message_end) return {};
  sockaddr_dl link;
  std::memcpy(&link, after_header, sizeof link);
  if (link.sdl_family != AF_LINK || link.sdl_nlen == 0) return {};
  const char* name = after_header + offsetof(sockaddr_dl, sdl_data);
  if (name + link.sdl_nlen > message_end) return {};
  return std::string(name, link.sdl_nlen);
}

}  // namespace

struct NetworkReader::Platform {
  std::vector<char> buffer;  // kept between scrapes: the table is about the same size every time
};

NetworkReader::NetworkReader(const HostPaths&) : platform_(new Platform) {}

NetworkReader::~NetworkReader() = default;

NetworkSample NetworkReader::Read() {
  int mib[] = {CTL_NET, PF_ROUTE, 0, 0, NET_RT_IFLIST2, 0};
  auto& buffer = platform_->buffer;
  // Size, then fill; an interface appearing in between makes the second call fail with ENOMEM.
  for (int attempt = 0;; ++attempt) {
    std::size_t size = 0;
    if (sysctl(mib, 6, nullptr, &size, nullptr, 0) != 0) throw std::runtime_error("sysctl NET_RT_IFLIST2 size failed");
    buffer.resize(size + size / 8);
    size = buffer.size();
    if (sysctl(mib, 6, buffer.data(), &size, nullptr, 0) == 0) {
      buffer.resize(size);
      break;
    }
    if (errno != ENOMEM || attempt == 2) throw std::runtime_error("sysctl NET_RT_IFLIST2 failed");
  }

  NetworkSample sample;
  const char* end = buffer.data() + buffer.size();
  for (const char* next = buffer.data(); next + sizeof(if_msghdr) <= end;) {
    if_msghdr header;
    std::memcpy(&header, next, sizeof header);
    if (header.ifm_msglen == 0 || next + header.ifm_msglen > end) break;  // a malformed table ends the walk
    const char* message_end = next + header.ifm_msglen;
    if (header.ifm_type == RTM_IFINFO2 && header.ifm_msglen >= sizeof(if_msghdr2)) {
      if_msghdr2 info;
      std::memcpy(&info, next, sizeof info);
      InterfaceData64 raw;
      raw.name = LinkName(next + sizeof(if_msghdr2), message_end);
      raw.ibytes = info.ifm_data.ifi_ibytes;
      raw.ipackets = info.ifm_data.ifi_ipackets;
      raw.ierrors = info.ifm_data.ifi_ierrors;
      raw.iqdrops = info.ifm_data.ifi_iqdrops;
      raw.obytes = info.ifm_data.ifi_obytes;
      raw.opackets = info.ifm_data.ifi_opackets;
      raw.oerrors = info.ifm_data.ifi_oerrors;
      raw.snd_drops = info.ifm_snd_drops;
      if (!raw.name.empty()) sample.interfaces.push_back(CountersFromData64(raw));
    }
    next = message_end;
  }
  return sample;
}

}  // namespace silicon
