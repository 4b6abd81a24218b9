// The receiver's error answers: RFC 9457 problem documents (application/problem+json) built
// from an Error, with the status's reason phrase as title. Private to the library.
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include "chathooks/error.hpp"
#include "chathooks/receiver/request.hpp"

namespace chathooks::receiver::detail {

/// The reason phrase of `status` ("Bad Request"); "Client Error" or "Server Error" for a status
/// without a well-known one.
std::string_view reason_phrase(int status) noexcept;

/// A Reply with `status`, a problem body and `error` kept for the host. The body has `type`
/// (about:blank), `title`, `status`, `detail` (`detail`), `code` (the Errc's name) and, when
/// `with_pointer`, `pointer` (the error's JSON Pointer).
Reply problem_reply(int status, Disposition disposition, Error error, std::string_view detail,
                    bool with_pointer = false);

/// As above with the error's own message as detail. (A distinct name: with an overload, a
/// string literal detail would convert to `bool with_pointer` first.)
Reply error_reply(int status, Disposition disposition, Error error, bool with_pointer = false);

}  // namespace chathooks::receiver::detail
