// How a request's body is framed (RFC 9112 section 6): the Content-Length and
// Transfer-Encoding checks every receiver runs before it reads a body, and the refusal for a
// body that did not arrive whole. Private to the library; receiver::framing_refusal() is the
// public face. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "chathooks/receiver/request.hpp"

namespace chathooks::receiver::detail {

/// A 400 (or `status`) problem with Errc::protocol and `detail`.
Reply bad_framing(std::string detail, int status = 400);

/// The refusal for the request head's framing, or nullopt when it is sound; `length` gets the
/// Content-Length, if any (saturated at SIZE_MAX).
std::optional<Reply> check_framing(const Request& request, std::optional<std::size_t>& length);

}  // namespace chathooks::receiver::detail
