// Problem answers for requests refused by the HTTP server in front of a receiver.
#include "chathooks/receiver/edge_refusal.hpp"

#include <string>

#include "receiver/problem_reply.hpp"

namespace chathooks::receiver {

Reply edge_refusal(int status, Errc code, std::string_view detail) {
  const int sent = status >= 400 && status <= 599 ? status : 400;
  return detail::problem_reply(sent, Disposition::rejected, Error(code, std::string(detail)),
                               detail);
}

}  // namespace chathooks::receiver
