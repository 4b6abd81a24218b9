// Flw's phone number format, "+55|1199999999": the country calling code and the national
// number, separated by a bar. parse_phone splits it; e164() joins it the international way.
// Thread-safety: pure functions and a plain value type.
#pragma once

#include <string>
#include <string_view>

#include "chathooks/error.hpp"
#include "chathooks/export.hpp"

namespace chathooks::flw {

/// A phone number split as Flw writes it; parse_phone() makes one from Flw's text.
struct PhoneNumber {
  std::string country_code;     ///< digits only, e.g. "55"
  std::string national_number;  ///< digits only, e.g. "1199999999"

  /// "+551199999999".
  std::string e164() const { return "+" + country_code + national_number; }
  /// Flw's own form, "+55|1199999999".
  std::string flw_format() const { return "+" + country_code + "|" + national_number; }
};

/// Parses "+CC|NATIONAL" (the "+" may be missing): a country code of 1 to 3 digits, a
/// national number of digits only, 15 digits at most in all (E.164). Anything else is
/// Errc::invalid_value with the reason.
CHATHOOKS_API Result<PhoneNumber> parse_phone(std::string_view text);

}  // namespace chathooks::flw
