// One HTTP exchange on a curl easy handle: checks, configuration, callbacks, outcome.
#include "http/curl_request.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cerrno>
#include <string_view>

#include "http/address_guard.hpp"
#include "http/request_check.hpp"

namespace chathooks::http::detail {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

long to_long_ms(std::chrono::milliseconds duration) {
  return duration.count() <= 0 ? 0L : static_cast<long>(duration.count());
}

}  // namespace

Result<RequestTarget> check_request(const HttpRequest& request,
                                    const CurlTransportOptions& options) {
  if (auto method = check_method(request.method); !method) return method.error();
  if (auto framing = check_framing_headers(request.headers); !framing) return framing.error();
  const bool literal_guard = !options.allow_private_addresses && !options.proxy.empty();
  // Webhook senders post to the same few URLs again and again: remember the last URL this
  // thread accepted (with the one option the verdict depends on) and skip parsing it again.
  struct LastUrl {
    std::string url;
    bool literal_guard = false;
    std::string origin;
  };
  thread_local LastUrl last;
  if (!last.origin.empty() && last.literal_guard == literal_guard && last.url == request.url) {
    return RequestTarget{last.origin};
  }
  auto target = check_url(request.url, literal_guard);
  if (target) {
    last.url = request.url;
    last.literal_guard = literal_guard;
    last.origin = target->origin;
  }
  return target;
}

std::chrono::milliseconds effective_timeout(const HttpRequest& request,
                                            const CurlTransportOptions& options) {
  return request.timeout.count() > 0 ? request.timeout : options.timeout;
}

TransferContext::TransferContext(const CurlTransportOptions& options) : options_(options) {}

bool configure_handle(CURL* easy, const CurlTransportOptions& options, CURLSH* share) {
  bool ok = true;
  auto set = [&](CURLoption option, auto value) {
    if (ok) ok = curl_easy_setopt(easy, option, value) == CURLE_OK;
  };
  set(CURLOPT_NOSIGNAL, 1L);
  set(CURLOPT_PROTOCOLS_STR, "http,https");
  set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set(CURLOPT_FOLLOWLOCATION, options.follow_redirects ? 1L : 0L);
  set(CURLOPT_MAXREDIRS, 5L);
  set(CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  set(CURLOPT_CONNECTTIMEOUT_MS, to_long_ms(options.connect_timeout));
  if (options.low_speed_limit_bytes > 0 && options.low_speed_time.count() > 0) {
    set(CURLOPT_LOW_SPEED_LIMIT, static_cast<long>(options.low_speed_limit_bytes));
    set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.low_speed_time.count()));
  }
  // Refuses early when Content-Length announces too much; on_body enforces it otherwise.
  set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_response_bytes));
  set(CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
  set(CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
  if (!options.ca_file.empty()) set(CURLOPT_CAINFO, options.ca_file.c_str());
  if (!options.ca_path.empty()) set(CURLOPT_CAPATH, options.ca_path.c_str());
  // An empty string disables proxies, including those named by environment variables.
  set(CURLOPT_PROXY, options.proxy.c_str());
  set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
  set(CURLOPT_USERAGENT, options.user_agent.c_str());
  set(CURLOPT_TCP_KEEPALIVE, 1L);
  set(CURLOPT_WRITEFUNCTION, &TransferContext::on_body);
  set(CURLOPT_HEADERFUNCTION, &TransferContext::on_header);
  if (!options.allow_private_addresses && options.proxy.empty()) {
    set(CURLOPT_OPENSOCKETFUNCTION, &TransferContext::on_open_socket);
  }
  if (share != nullptr) set(CURLOPT_SHARE, share);
  return ok;
}

void clear_transfer_pointers(CURL* easy) {
  // Nothing calls these between transfers; clearing them keeps a pooled handle from holding
  // pointers into a finished transfer's state.
  curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, static_cast<char*>(nullptr));
  curl_easy_setopt(easy, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  curl_easy_setopt(easy, CURLOPT_WRITEDATA, static_cast<void*>(nullptr));
  curl_easy_setopt(easy, CURLOPT_HEADERDATA, static_cast<void*>(nullptr));
  curl_easy_setopt(easy, CURLOPT_OPENSOCKETDATA, static_cast<void*>(nullptr));
}

Result<void> TransferContext::configure(CURL* easy, const HttpRequest& request,
                                        std::chrono::milliseconds timeout) {
  // Header list: the request's fields, then suppress what curl would add on its own and the
  // request did not ask for (a form Content-Type for POST bodies, "Expect: 100-continue",
  // which costs a round trip or a one-second stall).
  curl_slist* list = nullptr;
  bool list_ok = true;
  auto append = [&](const std::string& line) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (next == nullptr) {
      list_ok = false;
      return;
    }
    list = next;
  };
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's way to send a header with an empty value.
    append(value.empty() ? name + ";" : name + ": " + value);
  }
  if (!request.headers.contains("Content-Type")) append("Content-Type:");
  if (!request.headers.contains("Expect")) append("Expect:");
  headers_.reset(list);
  if (!list_ok) return Error(Errc::internal, "out of memory building request headers");

  // Everything that differs between transfers is set here, every time, so that a pooled
  // handle carries nothing over from its previous transfer (configure_handle set the rest).
  bool ok = true;
  auto set = [&](CURLoption option, auto value) {
    if (ok) ok = curl_easy_setopt(easy, option, value) == CURLE_OK;
  };
  set(CURLOPT_ERRORBUFFER, error_buffer_);
  set(CURLOPT_URL, request.url.c_str());
  set(CURLOPT_TIMEOUT_MS, to_long_ms(timeout));
  set(CURLOPT_HTTPHEADER, headers_.get());
  set(CURLOPT_WRITEDATA, static_cast<void*>(this));
  set(CURLOPT_HEADERDATA, static_cast<void*>(this));
  set(CURLOPT_OPENSOCKETDATA, static_cast<void*>(this));
  set(CURLOPT_CUSTOMREQUEST, static_cast<char*>(nullptr));
  set(CURLOPT_NOBODY, 0L);
  if (request.method == "GET" && request.body.empty()) {
    set(CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD" && request.body.empty()) {
    set(CURLOPT_NOBODY, 1L);
  } else {
    // The body is sent from the request's own storage: no copy.
    set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    set(CURLOPT_POSTFIELDS, request.body.data());
    if (request.method != "POST") set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  if (!ok) return Error(Errc::internal, "libcurl refused an option");
  return {};
}

std::size_t TransferContext::on_body(char* data, std::size_t size, std::size_t count, void* self) {
  auto& context = *static_cast<TransferContext*>(self);
  const std::size_t bytes = size * count;
  auto& body = context.response_.body;
  if (bytes > context.options_.max_response_bytes - body.size()) {
    // Returning less than given makes curl abort with CURLE_WRITE_ERROR; nothing past the cap
    // is ever stored.
    context.body_too_large_ = true;
    return 0;
  }
  body.append(data, bytes);
  return bytes;
}

std::size_t TransferContext::on_header(char* data, std::size_t size, std::size_t count,
                                       void* self) {
  auto& context = *static_cast<TransferContext*>(self);
  const std::size_t bytes = size * count;
  context.header_bytes_ += bytes;
  if (context.header_bytes_ > context.options_.max_header_bytes) {
    context.headers_too_large_ = true;
    return 0;
  }
  std::string_view line(data, bytes);
  if (line.substr(0, 5) == "HTTP/") {
    // A new status line (after a 1xx, or per hop when following redirects): start over.
    context.has_pending_ = false;
    context.response_.headers.clear();
    return bytes;
  }
  if (!line.empty() && (line.front() == ' ' || line.front() == '\t')) {
    // Obsolete line folding: RFC 9110 lets a recipient join the line with a space.
    if (context.has_pending_) context.pending_value_ += " " + std::string(trim(line));
    return bytes;
  }
  context.flush_pending();
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) return bytes;  // The blank line ending the headers.
  // A field is held until the next line shows whether it continues (folding).
  context.pending_name_ = std::string(line.substr(0, colon));
  context.pending_value_ = std::string(trim(line.substr(colon + 1)));
  context.has_pending_ = true;
  return bytes;
}

void TransferContext::flush_pending() {
  if (!has_pending_) return;
  has_pending_ = false;
  // A field HttpHeaders refuses (a NUL in it) is dropped, not fatal.
  (void)response_.headers.add(std::move(pending_name_), std::move(pending_value_));
}

curl_socket_t TransferContext::on_open_socket(void* self, curlsocktype purpose,
                                              struct curl_sockaddr* address) {
  auto& context = *static_cast<TransferContext*>(self);
  // curl_sockaddr ends with a sockaddr that is really addrlen bytes long.
  if (purpose != CURLSOCKTYPE_IPCXN ||
      is_blocked_sockaddr(&address->addr, static_cast<std::size_t>(address->addrlen))) {
    context.blocked_ = true;
    return CURL_SOCKET_BAD;
  }
  int type = address->socktype;
#ifdef SOCK_CLOEXEC
  type |= SOCK_CLOEXEC;
#endif
  return socket(address->family, type, address->protocol);
}

Result<HttpResponse> TransferContext::finish(CURL* easy, CURLcode code) {
  if (code == CURLE_OK) {
    flush_pending();
    long status = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    if (status < 100 || status > 999) {
      return Error(Errc::protocol, "the server sent no valid HTTP status");
    }
    response_.status = static_cast<int>(status);
    return std::move(response_);
  }
  if (body_too_large_ || code == CURLE_FILESIZE_EXCEEDED) {
    return Error(Errc::response_too_large, "response body exceeds " +
                                               std::to_string(options_.max_response_bytes) +
                                               " bytes (max_response_bytes)");
  }
  if (headers_too_large_) {
    return Error(Errc::response_too_large, "response headers exceed " +
                                               std::to_string(options_.max_header_bytes) +
                                               " bytes (max_header_bytes)");
  }
  if (blocked_ && code == CURLE_COULDNT_CONNECT) {
    return Error(Errc::blocked_destination,
                 "the destination resolves to a loopback, private or special-purpose address; "
                 "set allow_private_addresses to allow it");
  }
  long os_errno = 0;
  curl_easy_getinfo(easy, CURLINFO_OS_ERRNO, &os_errno);
  return map_curl_error(code, os_errno, error_buffer_);
}

Error map_curl_error(CURLcode code, long os_errno, const char* detail) {
  std::string message = curl_easy_strerror(code);
  if (detail != nullptr && detail[0] != '\0') message += std::string(": ") + detail;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Error(Errc::dns, std::move(message));
    case CURLE_COULDNT_CONNECT:
      return Error(os_errno == ECONNREFUSED ? Errc::connection_refused : Errc::connection_failed,
                   std::move(message));
    case CURLE_OPERATION_TIMEDOUT:
      return Error(Errc::timeout, std::move(message));
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return Error(Errc::tls, std::move(message));
    case CURLE_FILESIZE_EXCEEDED:
      return Error(Errc::response_too_large, std::move(message));
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_PROXY:
      return Error(Errc::connection_failed, std::move(message));
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_HTTP3:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_RANGE_ERROR:
      return Error(Errc::protocol, std::move(message));
    case CURLE_URL_MALFORMAT:
      return Error(Errc::invalid_request, std::move(message));
    case CURLE_ABORTED_BY_CALLBACK:
      return Error(Errc::cancelled, std::move(message));
    case CURLE_OUT_OF_MEMORY:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_RECURSIVE_API_CALL:
    case CURLE_FAILED_INIT:
    case CURLE_UNKNOWN_OPTION:
    case CURLE_NOT_BUILT_IN:
    case CURLE_WRITE_ERROR:
      return Error(Errc::internal, std::move(message));
    default:
      return Error(Errc::connection_failed, std::move(message));
  }
}

}  // namespace chathooks::http::detail
