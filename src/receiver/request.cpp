// Request's header lookups and Disposition's names.
#include "chathooks/receiver/request.hpp"

#include "chathooks/open_enum.hpp"

namespace chathooks::receiver {

std::optional<std::string_view> Request::header(std::string_view name) const noexcept {
  for (const auto& [field, value] : headers)
    if (chathooks::detail::ascii_iequal(field, name)) return std::string_view(value);
  return std::nullopt;
}

std::size_t Request::header_count(std::string_view name) const noexcept {
  std::size_t count = 0;
  for (const auto& entry : headers)
    if (chathooks::detail::ascii_iequal(entry.first, name)) ++count;
  return count;
}

std::string_view to_string(Disposition disposition) noexcept {
  switch (disposition) {
    case Disposition::handled:
      return "handled";
    case Disposition::duplicate:
      return "duplicate";
    case Disposition::refused:
      return "refused";
    case Disposition::rejected:
      return "rejected";
    case Disposition::failed:
      return "failed";
    case Disposition::conflict:
      return "conflict";
  }
  return "unknown";
}

}  // namespace chathooks::receiver
