// Internal: the parts of an absolute URL's authority that delivery reports and policies key on
// (scheme, host, port), without userinfo. One parser for DeliveryInfo::host and
// EndpointPolicy::endpoint_of(). Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chathooks::delivery::detail {

/// An absolute URL's scheme and host (lowercase; an IPv6 host keeps its brackets) and port
/// (as written, empty when absent).
struct UrlAuthority {
  std::string scheme;
  std::string host;
  std::string_view port;
};

/// The authority of `url`, or nullopt when it has no scheme, no host or an unclosed `[`.
std::optional<UrlAuthority> url_authority(std::string_view url);

}  // namespace chathooks::delivery::detail
