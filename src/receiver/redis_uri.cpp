// Parsing of the Redis store's URI (redis_uri.hpp).
#include "receiver/redis_uri.hpp"

#include <string_view>

namespace chathooks::receiver::detail {
namespace {

constexpr std::string_view kTcpScheme = "redis://";
constexpr std::string_view kUnixScheme = "redis+unix://";

Error bad(std::string_view what) {
  return Error(Errc::invalid_argument, "redis URI: " + std::string(what) +
                                           " (expected redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]"
                                           " or redis+unix://[[USER]:PASSWORD@]/PATH[?db=DB])");
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX decoding; false on a malformed escape.
bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return false;
    const int high = hex_value(text[i + 1]);
    const int low = hex_value(text[i + 2]);
    if (high < 0 || low < 0) return false;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return true;
}

// Decimal digits only, at most `max`.
bool parse_number(std::string_view text, std::int64_t max, std::int64_t& out) {
  if (text.empty() || text.size() > 10) return false;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value > max) return false;
  out = value;
  return true;
}

// "[USER]:PASSWORD@" before the rest, when present: sets user and password, returns the rest.
// Credentials end before the first '/' (a '/' in them must be %2F), so a path or a database may
// hold '@'.
Result<std::string_view> take_credentials(std::string_view rest, RedisAddress& address) {
  const std::size_t at = rest.substr(0, rest.find('/')).rfind('@');
  if (at == std::string_view::npos) return rest;
  const std::string_view credentials = rest.substr(0, at);
  const std::size_t colon = credentials.find(':');
  if (colon == std::string_view::npos) return bad("credentials must be USER:PASSWORD or :PASSWORD");
  if (!percent_decode(credentials.substr(0, colon), address.user) ||
      !percent_decode(credentials.substr(colon + 1), address.password))
    return bad("a malformed %-escape in the credentials");
  return rest.substr(at + 1);
}

}  // namespace

std::string RedisAddress::label() const {
  std::string text = socket_path.empty()
                         ? "redis " +
                               (host.find(':') != std::string::npos ? "[" + host + "]" : host) +
                               ":" + std::to_string(port)
                         : "redis unix:" + socket_path;
  if (database != 0) text += "/" + std::to_string(database);
  return text;
}

Result<RedisAddress> parse_redis_uri(const std::string& uri) {
  RedisAddress address;
  std::string_view text(uri);
  const bool unix_socket = text.substr(0, kUnixScheme.size()) == kUnixScheme;
  if (!unix_socket && text.substr(0, kTcpScheme.size()) != kTcpScheme)
    return bad("the scheme must be redis:// or redis+unix://");
  text.remove_prefix(unix_socket ? kUnixScheme.size() : kTcpScheme.size());

  auto rest = take_credentials(text, address);
  if (!rest) return std::move(rest).error();
  text = *rest;

  if (unix_socket) {
    const std::size_t query = text.find('?');
    const std::string_view path = text.substr(0, query);
    if (path.empty() || path.front() != '/') return bad("the socket path must be absolute");
    if (!percent_decode(path, address.socket_path)) return bad("a malformed %-escape in the path");
    if (query != std::string_view::npos) {
      const std::string_view option = text.substr(query + 1);
      if (option.substr(0, 3) != "db=" ||
          !parse_number(option.substr(3), 0x7fffffff, address.database))
        return bad("the only query option is db=N");
    }
    return address;
  }

  const std::size_t slash = text.find('/');
  std::string_view authority = text.substr(0, slash);
  if (slash != std::string_view::npos) {
    const std::string_view db = text.substr(slash + 1);
    if (!db.empty() && !parse_number(db, 0x7fffffff, address.database))
      return bad("the database must be a number");
  }
  std::string_view port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("an unclosed [ in the host");
    address.host = std::string(authority.substr(1, close - 1));
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return bad("unexpected text after the host");
    has_port = !after.empty();
    if (has_port) port = after.substr(1);
  } else {
    const std::size_t colon = authority.find(':');
    address.host = std::string(authority.substr(0, colon));
    has_port = colon != std::string_view::npos;
    if (has_port) port = authority.substr(colon + 1);
  }
  if (address.host.empty()) return bad("the host is missing");
  if (has_port) {
    std::int64_t number = 0;
    if (!parse_number(port, 65535, number) || number == 0)
      return bad("the port must be a number from 1 to 65535");
    address.port = static_cast<int>(number);
  }
  return address;
}

}  // namespace chathooks::receiver::detail
