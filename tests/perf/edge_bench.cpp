// edge_bench: the chathooks::beast HTTP edge as `chathooks serve boticario-event` runs it, under
// slow clients and at full speed, each against a reference measured in the same process.
// Built with the tests, run by hand, not by ctest. Run it from a Release build:
//
//   cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release &&
//     cmake --build build-bench --target edge_bench chathooks_cli
//   ./build-bench/tests/perf/edge_bench [--rounds R] [--requests N] [--slow S] [--cli PATH]
//
// It starts `chathooks serve boticario-event --port 0 --secret <whsec>` as a child process
// (stdout to /dev/null, stderr read here for its `listening on` line; the binary is the build's
// chathooks_cli unless --cli names another), then measures:
//
// 1. slowloris_p99_vs_idle: R rounds (default 3; --rounds 0 skips this part), each an idle
//    phase then a slowloris phase.
//    A phase sends N (default 600) signed POSTs of tests/data/boticario_message_event.json, a
//    fresh connection each (connect, write, read the whole answer, close; the latency is from
//    connect() to the last byte of the answer), one at a time, paced (idle: one every 10 ms;
//    slowloris: spread over 9 s, one every 15 ms for 600). With 600 samples the p99 is the
//    6th-slowest, not the 2nd: one scheduling hiccup of the 2-core machine no longer sets it. In
//    the slowloris phase S connections (default 256, opened over the first 2 s) each send one byte
//    of a never-ending request header every 2 s; the edge answers each 408 after its 10 s header
//    deadline, and the connection is reopened at once, so S stay open throughout. The phase's
//    requests start 3 s after the first slow connection and run to about 12 s, across that wave of
//    408s and reopenings. Prints idle_p99_ms, slowloris_p99_ms (p99 by nearest rank; medians over
//    the rounds), slowloris_p99_vs_idle (the median of the rounds' ratios; target <= 3) and
//    slowloris_408s (408 answers the slow connections got in all, each followed by a reopening). A
//    round ends with 3 s of quiet, so that the next idle phase does not meet the slow connections'
//    closing and the edge's lingering reads.
// 2. serve_vs_bare: requests per second of the serve process against a bare Boost.Beast
//    server in this process (the same io_context engine, EdgeOptions' default thread count,
//    as serve uses; it reads each request whole with http::async_read and answers a fixed
//    empty 200, keep-alive). Clients: 8 threads, each one keep-alive connection (blocking
//    socket, TCP_NODELAY), request then answer in a loop; both servers get the same signed
//    requests (a fresh webhook-id each, signed before the timed slice). 4 rounds of one 1 s
//    slice per side, the order alternating. Prints serve_rps, bare_rps and serve_vs_bare (the
//    median of the rounds' ratios; target >= 0.7).
//
// Each figure is printed as one `name=value` line on stdout; per-round figures go to stderr.
// Every answer must be 200, else it exits with status 1. About 75 s in all.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "bench_support.hpp"
#include "chathooks/beast/edge_options.hpp"
#include "chathooks/signing/signer.hpp"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr int kRpsThreads = 8;
constexpr int kRpsRounds = 4;
constexpr milliseconds kRpsSlice{1000};
// Requests signed per client thread for one slice: more than a thread can send in a slice here.
constexpr std::size_t kRpsBatch = 8000;

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "edge_bench: FAILED: %s\n", what.c_str());
  std::exit(1);
}

struct Args {
  int rounds = 3;
  int requests = 600;
  int slow = 256;
  std::string cli = CHATHOOKS_CLI_PATH;
};

Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string name = argv[i];
    if (name == "--rounds") args.rounds = std::max(0, std::atoi(argv[i + 1]));
    if (name == "--requests") args.requests = std::max(1, std::atoi(argv[i + 1]));
    if (name == "--slow") args.slow = std::max(1, std::atoi(argv[i + 1]));
    if (name == "--cli") args.cli = argv[i + 1];
  }
  return args;
}

// ---- the serve child process -----------------------------------------------------------------

// `chathooks serve boticario-event --port 0 --secret kSecret`, stdout to /dev/null; its stderr
// (the `listening on` line, then one `rejected:` line per 408) is read by a thread of its own so
// that the pipe never fills. SIGTERM and a wait at destruction.
class ServeProcess {
 public:
  explicit ServeProcess(const std::string& cli) {
    int err_pipe[2];
    if (::pipe(err_pipe) != 0) die("pipe()");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
    posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
    posix_spawn_file_actions_addclose(&actions, err_pipe[1]);
    std::vector<std::string> argv_text = {cli,        "serve", "boticario-event", "--port", "0",
                                          "--secret", kSecret};
    std::vector<char*> argv;
    for (auto& text : argv_text) argv.push_back(text.data());
    argv.push_back(nullptr);
    const int spawned = ::posix_spawn(&pid_, cli.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(err_pipe[1]);
    if (spawned != 0) die("cannot start " + cli + ": " + std::strerror(spawned));
    reader_ = std::thread([this, fd = err_pipe[0]] { read_stderr(fd); });
    std::unique_lock<std::mutex> lock(mutex_);
    if (!ready_.wait_for(lock, std::chrono::seconds(30), [this] { return port_ != 0 || ended_; }) ||
        port_ == 0) {
      lock.unlock();
      stop();
      die("serve did not say where it listens; stderr: " + text_);
    }
  }
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;
  ~ServeProcess() { stop(); }

  std::uint16_t port() const { return port_; }

  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = 0;
    }
    if (reader_.joinable()) reader_.join();
  }

 private:
  void read_stderr(int fd) {
    char chunk[4096];
    std::string line;
    for (;;) {
      const ssize_t n = ::read(fd, chunk, sizeof chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      for (ssize_t i = 0; i < n; ++i) {
        if (chunk[i] != '\n') {
          line += chunk[i];
          continue;
        }
        on_line(line);
        line.clear();
      }
    }
    ::close(fd);
    std::lock_guard<std::mutex> lock(mutex_);
    ended_ = true;
    ready_.notify_all();
  }

  void on_line(const std::string& line) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (port_ != 0) return;  // only the start matters; later lines are dropped
    text_ += line + "\n";
    static constexpr std::string_view kListening = "listening on http://127.0.0.1:";
    const auto at = line.find(kListening);
    if (at == std::string::npos) return;
    port_ = static_cast<std::uint16_t>(std::atoi(line.c_str() + at + kListening.size()));
    ready_.notify_all();
  }

  pid_t pid_ = 0;
  std::thread reader_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::uint16_t port_ = 0;
  bool ended_ = false;
  std::string text_;
};

// ---- the client side -------------------------------------------------------------------------

// A blocking loopback connection with TCP_NODELAY; -1 when connect() fails.
int connect_to(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

bool send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Reads one whole answer (header, then Content-Length bytes) from `fd`, keeping any bytes past
// it in `buffer`. The status, or -1 when the connection ends first.
int read_response(int fd, std::string& buffer) {
  char chunk[8192];
  std::size_t header_end = std::string::npos;
  std::size_t need = 0;
  for (;;) {
    if (header_end == std::string::npos) {
      header_end = buffer.find("\r\n\r\n");
      if (header_end != std::string::npos) {
        std::size_t length = 0;
        std::string lower = buffer.substr(0, header_end);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        const auto field = lower.find("\r\ncontent-length:");
        if (field != std::string::npos)
          length = std::strtoul(lower.c_str() + field + 17, nullptr, 10);
        need = header_end + 4 + length;
      }
    }
    if (header_end != std::string::npos && buffer.size() >= need) break;
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  const int status = buffer.size() > 12 ? std::atoi(buffer.c_str() + 9) : -1;
  buffer.erase(0, need);
  return status;
}

// Signed POSTs of `body`, each with a fresh webhook-id, as bytes to write.
std::vector<std::string> signed_requests(const chathooks::signing::Signer& signer,
                                         const std::string& body, std::size_t count,
                                         bool keep_alive) {
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  std::vector<std::string> out;
  out.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::string id = chathooks::signing::new_message_id();
    std::string request = "POST /webhooks/boticario HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    request += "Content-Type: application/json\r\nwebhook-id: " + id;
    request += "\r\nwebhook-timestamp: " + std::to_string(now);
    request += "\r\nwebhook-signature: " + signer.sign(id, now, body);
    request += "\r\nContent-Length: " + std::to_string(body.size());
    request += keep_alive ? "\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
    request += body;
    out.push_back(std::move(request));
  }
  return out;
}

// p99 by nearest rank.
double p99(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const auto rank = static_cast<std::size_t>(std::ceil(0.99 * static_cast<double>(v.size())));
  return v[std::max<std::size_t>(rank, 1) - 1];
}

// Sends `requests` one at a time, a fresh connection each, one every `interval` from `start`.
// The latencies in ms; any answer other than 200 ends the program.
std::vector<double> timed_requests(std::uint16_t port, const std::vector<std::string>& requests,
                                   Clock::time_point start, milliseconds interval) {
  std::vector<double> latencies;
  latencies.reserve(requests.size());
  for (std::size_t i = 0; i < requests.size(); ++i) {
    std::this_thread::sleep_until(start + interval * static_cast<int>(i));
    const auto t0 = Clock::now();
    const int fd = connect_to(port);
    if (fd < 0) die("connect() to serve failed");
    std::string buffer;
    const bool sent = send_all(fd, requests[i]);
    const int status = sent ? read_response(fd, buffer) : -1;
    const auto t1 = Clock::now();
    ::close(fd);
    if (status != 200) die("a signed POST was answered " + std::to_string(status));
    latencies.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  }
  return latencies;
}

// `count` connections that each send one byte of a request header every 2 s, opened over the
// first 2 s, each reopened as soon as the server answers it (408) or closes it. One thread,
// non-blocking sockets, poll().
class Slowloris {
 public:
  Slowloris(std::uint16_t port, int count) : port_(port), count_(count) {
    thread_ = std::thread([this] { run(); });
  }
  Slowloris(const Slowloris&) = delete;
  Slowloris& operator=(const Slowloris&) = delete;
  ~Slowloris() {
    stop_ = true;
    thread_.join();
  }
  long refused_408() const { return answered_408_.load(); }
  long failed_opens() const { return failed_opens_.load(); }

 private:
  struct Slow {
    int fd = -1;
    Clock::time_point next;
    std::size_t sent = 0;
  };
  static constexpr milliseconds kByteInterval{2000};
  static constexpr milliseconds kOpenSpread{2000};

  void open(Slow& slow, Clock::time_point now) {
    slow.fd = connect_to(port_);
    slow.sent = 0;
    slow.next = now;
    if (slow.fd < 0) {
      ++failed_opens_;
      slow.next = now + milliseconds(100);
      return;
    }
    ::fcntl(slow.fd, F_SETFL, ::fcntl(slow.fd, F_GETFL) | O_NONBLOCK);
  }

  void close_slow(Slow& slow) {
    ::close(slow.fd);
    slow.fd = -1;
  }

  void run() {
    static constexpr std::string_view kHeader = "POST /slow HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ";
    const auto start = Clock::now();
    std::vector<Slow> slows(static_cast<std::size_t>(count_));
    for (std::size_t i = 0; i < slows.size(); ++i)
      slows[i].next = start + kOpenSpread * static_cast<int>(i) / count_;
    std::vector<pollfd> fds;
    std::vector<std::size_t> which;
    char chunk[4096];
    while (!stop_) {
      auto now = Clock::now();
      auto wake = now + milliseconds(50);
      for (std::size_t i = 0; i < slows.size(); ++i) {
        Slow& slow = slows[i];
        if (slow.next > now) {
          wake = std::min(wake, slow.next);
          continue;
        }
        if (slow.fd < 0) {
          open(slow, now);
          if (slow.fd < 0) continue;
        }
        const char byte = slow.sent < kHeader.size() ? kHeader[slow.sent] : 'a';
        if (::send(slow.fd, &byte, 1, MSG_NOSIGNAL) != 1) {
          close_slow(slow);
          open(slow, now);
          continue;
        }
        ++slow.sent;
        slow.next = now + kByteInterval;
        wake = std::min(wake, slow.next);
      }
      fds.clear();
      which.clear();
      for (std::size_t i = 0; i < slows.size(); ++i) {
        if (slows[i].fd < 0) continue;
        fds.push_back({slows[i].fd, POLLIN, 0});
        which.push_back(i);
      }
      const auto wait = std::chrono::duration_cast<milliseconds>(wake - Clock::now()).count();
      const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(std::max<long>(wait, 0)));
      if (ready <= 0) continue;
      now = Clock::now();
      for (std::size_t k = 0; k < fds.size(); ++k) {
        if (fds[k].revents == 0) continue;
        Slow& slow = slows[which[k]];
        const ssize_t n = ::recv(slow.fd, chunk, sizeof chunk, 0);
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) continue;
        if (n > 12 && std::string_view(chunk, 12) == "HTTP/1.1 408") ++answered_408_;
        // An answer or the end of the connection: reopen at once (unread bytes just reset it).
        close_slow(slow);
        open(slow, now);
      }
    }
    for (Slow& slow : slows)
      if (slow.fd >= 0) close_slow(slow);
  }

  std::uint16_t port_;
  int count_;
  std::atomic<bool> stop_{false};
  std::atomic<long> answered_408_{0};
  std::atomic<long> failed_opens_{0};
  std::thread thread_;
};

// ---- the bare server -------------------------------------------------------------------------

namespace asio = boost::asio;
namespace http = boost::beast::http;

// The least a Beast server does per request: read it whole, answer a fixed empty 200.
class BareSession : public std::enable_shared_from_this<BareSession> {
 public:
  explicit BareSession(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}
  void start() {
    boost::beast::error_code ignored;
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    read();
  }

 private:
  void read() {
    request_ = {};
    http::async_read(socket_, buffer_, request_,
                     [self = shared_from_this()](const boost::beast::error_code& ec, std::size_t) {
                       if (ec) return self->close();
                       self->answer();
                     });
  }
  void answer() {
    response_ = {};
    response_.version(11);
    response_.result(http::status::ok);
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    http::async_write(socket_, response_,
                      [self = shared_from_this()](const boost::beast::error_code& ec, std::size_t) {
                        if (ec || !self->response_.keep_alive()) return self->close();
                        self->read();
                      });
  }
  void close() {
    boost::beast::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
};

// The bare server on 127.0.0.1, its own io_context run by as many threads as serve's edge.
class BareServer {
 public:
  BareServer()
      : threads_(chathooks::beast_adapter::EdgeOptions{}.threads),
        io_(static_cast<int>(threads_)),
        acceptor_(asio::make_strand(io_)) {
    const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_.local_endpoint().port();
    accept();
    for (std::size_t i = 0; i < threads_; ++i) runners_.emplace_back([this] { io_.run(); });
  }
  BareServer(const BareServer&) = delete;
  BareServer& operator=(const BareServer&) = delete;
  ~BareServer() {
    io_.stop();
    for (auto& runner : runners_) runner.join();
  }
  std::uint16_t port() const { return port_; }
  std::size_t threads() const { return threads_; }

 private:
  void accept() {
    acceptor_.async_accept(asio::make_strand(io_), [this](const boost::beast::error_code& ec,
                                                          asio::ip::tcp::socket socket) {
      if (!ec) std::make_shared<BareSession>(std::move(socket))->start();
      if (acceptor_.is_open()) accept();
    });
  }

  std::size_t threads_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::vector<std::thread> runners_;
};

// Requests per second of kRpsThreads keep-alive clients on `port` over one slice; each thread
// sends from its own batch of `requests`.
double requests_per_second(std::uint16_t port,
                           const std::vector<std::vector<std::string>>& batches) {
  std::vector<int> fds;
  for (int t = 0; t < kRpsThreads; ++t) {
    const int fd = connect_to(port);
    if (fd < 0) die("connect() failed");
    fds.push_back(fd);
  }
  std::atomic<int> waiting{kRpsThreads};
  std::atomic<bool> go{false};
  std::atomic<long> done{0};
  std::atomic<bool> exhausted{false};
  std::atomic<int> bad_status{0};
  Clock::time_point start;
  std::vector<std::thread> threads;
  for (int t = 0; t < kRpsThreads; ++t) {
    threads.emplace_back([&, t] {
      const auto& batch = batches[static_cast<std::size_t>(t)];
      std::string buffer;
      --waiting;
      while (!go.load()) std::this_thread::yield();
      const auto deadline = start + kRpsSlice;
      long count = 0;
      for (std::size_t i = 0;; ++i) {
        if (i == batch.size()) {
          exhausted = true;
          break;
        }
        if (Clock::now() >= deadline) break;
        const int fd = fds[static_cast<std::size_t>(t)];
        const int status = send_all(fd, batch[i]) ? read_response(fd, buffer) : -1;
        if (status != 200) {
          bad_status = status;
          break;
        }
        ++count;
      }
      done += count;
    });
  }
  while (waiting.load() > 0) std::this_thread::yield();
  start = Clock::now();
  go = true;
  for (auto& thread : threads) thread.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (const int fd : fds) ::close(fd);
  if (bad_status.load() != 0) die("an answer was " + std::to_string(bad_status.load()));
  if (exhausted) std::fprintf(stderr, "edge_bench: warning: a client ran out of requests\n");
  return static_cast<double>(done.load()) / seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse_args(argc, argv);
  ::signal(SIGPIPE, SIG_IGN);
  const std::string body = perf::load("boticario_message_event.json");
  auto signer = chathooks::signing::Signer::create({kSecret});
  if (!signer) die("Signer::create: " + signer.error().message());

  ServeProcess serve(args.cli);
  const std::uint16_t port = serve.port();
  std::fprintf(stderr, "edge_bench: serve on port %u; %d rounds, %d requests per phase, %d slow\n",
               port, args.rounds, args.requests, args.slow);
  // Warm-up: the first connections and the receiver's first requests.
  timed_requests(port, signed_requests(*signer, body, 20, false), Clock::now(), milliseconds(0));

  // 1. Slowloris against idle.
  std::vector<double> idle_p99s, slow_p99s, ratios;
  long total_408 = 0;
  for (int round = 1; round <= args.rounds; ++round) {
    const auto count = static_cast<std::size_t>(args.requests);
    const double idle = p99(timed_requests(port, signed_requests(*signer, body, count, false),
                                           Clock::now(), milliseconds(10)));
    double slow = 0;
    long refused = 0;
    {
      const auto requests = signed_requests(*signer, body, count, false);
      Slowloris slowloris(port, args.slow);
      const auto start = Clock::now() + std::chrono::seconds(3);
      // The phase's requests spread over 9 s whatever their number (45 ms apart for 200).
      slow = p99(timed_requests(port, requests, start, milliseconds(9000 / args.requests)));
      refused = slowloris.refused_408();
      if (slowloris.failed_opens() > 0)
        std::fprintf(stderr, "edge_bench: %ld slow connections could not be opened\n",
                     slowloris.failed_opens());
    }
    total_408 += refused;
    idle_p99s.push_back(idle);
    slow_p99s.push_back(slow);
    ratios.push_back(slow / idle);
    std::fprintf(stderr, "round %d: idle p99 %.3f ms, slowloris p99 %.3f ms (%.2f), %ld 408s\n",
                 round, idle, slow, slow / idle, refused);
    // Idle means idle: the next round's idle phase starts once the slow connections' closing
    // (and the edge's lingering reads of the refused ones, 2 s) is over.
    std::this_thread::sleep_for(std::chrono::seconds(3));
  }

  // 2. serve against a bare Beast server.
  BareServer bare;
  std::vector<double> serve_rates, bare_rates, rate_ratios;
  const auto batches = [&] {
    std::vector<std::vector<std::string>> all;
    for (int t = 0; t < kRpsThreads; ++t)
      all.push_back(signed_requests(*signer, body, kRpsBatch, true));
    return all;
  };
  for (int round = 1; round <= kRpsRounds; ++round) {
    double serve_rate = 0, bare_rate = 0;
    for (int side = 0; side < 2; ++side) {
      const bool serve_side = (side == 0) == (round % 2 == 1);
      const double rate = requests_per_second(serve_side ? port : bare.port(), batches());
      (serve_side ? serve_rate : bare_rate) = rate;
    }
    serve_rates.push_back(serve_rate);
    bare_rates.push_back(bare_rate);
    rate_ratios.push_back(serve_rate / bare_rate);
    std::fprintf(stderr, "round %d: serve %.0f/s, bare %.0f/s (%.3f)\n", round, serve_rate,
                 bare_rate, serve_rate / bare_rate);
  }
  serve.stop();

  if (args.rounds > 0) {
    std::printf("idle_p99_ms=%.3f\n", perf::median(idle_p99s));
    std::printf("slowloris_p99_ms=%.3f\n", perf::median(slow_p99s));
    std::printf("slowloris_p99_vs_idle=%.3f\n", perf::median(ratios));
    std::printf("slowloris_408s=%ld\n", total_408);
  }
  std::printf("serve_rps=%.0f\n", perf::median(serve_rates));
  std::printf("bare_rps=%.0f\n", perf::median(bare_rates));
  std::printf("serve_vs_bare=%.3f\n", perf::median(rate_ratios));
  std::printf("server_threads=%zu\n", bare.threads());
  return 0;
}
