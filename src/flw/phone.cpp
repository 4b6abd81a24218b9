// Flw phone numbers.
#include "chathooks/flw/phone.hpp"

#include <fmt/format.h>

namespace chathooks::flw {
namespace {

bool all_digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

Result<PhoneNumber> parse_phone(std::string_view text) {
  std::string_view rest = text;
  if (!rest.empty() && rest.front() == '+') rest.remove_prefix(1);
  const std::size_t bar = rest.find('|');
  if (bar == std::string_view::npos) {
    return Error(Errc::invalid_value, "expected \"+<country code>|<national number>\"");
  }
  const std::string_view country = rest.substr(0, bar);
  const std::string_view national = rest.substr(bar + 1);
  if (country.empty() || country.size() > 3 || !all_digits(country)) {
    return Error(Errc::invalid_value, "the country code must be 1 to 3 digits");
  }
  if (national.empty() || !all_digits(national)) {
    return Error(Errc::invalid_value, "the national number must be digits only");
  }
  if (country.size() + national.size() > 15) {
    return Error(Errc::invalid_value, fmt::format("{} digits in all; E.164 allows at most 15",
                                                  country.size() + national.size()));
  }
  return PhoneNumber{std::string(country), std::string(national)};
}

}  // namespace chathooks::flw
