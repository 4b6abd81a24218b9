// The Redis connection pool (redis_pool.hpp).
#include "receiver/redis_pool.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/time.h>

#include <cerrno>
#include <ctime>
#include <utility>

namespace chathooks::receiver::detail {
namespace {

timeval to_timeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(duration.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((duration.count() % 1000) * 1000);
  return tv;
}

// An error reply's text, e.g. "WRONGPASS invalid username-password pair".
std::string error_text(const redisReply& reply) {
  return std::string(reply.str != nullptr ? reply.str : "", reply.len);
}

// Blocks SIGPIPE in this thread for its lifetime; a SIGPIPE raised meanwhile (a write to a
// closed connection) is consumed before the mask is restored, unless one was pending already.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    sigemptyset(&pending);
    was_pending_ = sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1;
    blocked_ = pthread_sigmask(SIG_BLOCK, &pipe_, &old_) == 0;
  }
  ~SigpipeBlock() {
    if (!blocked_) return;
    sigset_t pending;
    sigemptyset(&pending);
    if (!was_pending_ && sigpending(&pending) == 0 && sigismember(&pending, SIGPIPE) == 1) {
      const timespec zero{0, 0};
      const int saved = errno;
      while (sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {
      }
      errno = saved;
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;

 private:
  sigset_t pipe_;
  sigset_t old_;
  bool was_pending_ = false;
  bool blocked_ = false;
};

}  // namespace

RedisPool::RedisPool(RedisAddress address, std::size_t max,
                     std::chrono::milliseconds connect_timeout,
                     std::chrono::milliseconds command_timeout)
    : address_(std::move(address)),
      label_(address_.label()),
      max_(max),
      connect_timeout_(connect_timeout),
      command_timeout_(command_timeout) {}

RedisPool::~RedisPool() = default;

Result<std::unique_ptr<RedisPool>> RedisPool::open(RedisAddress address, std::size_t max,
                                                   std::chrono::milliseconds connect_timeout,
                                                   std::chrono::milliseconds command_timeout) {
  if (max == 0) return Error(Errc::invalid_argument, "a Redis store needs at least 1 connection");
  if (connect_timeout.count() <= 0 || command_timeout.count() <= 0)
    return Error(Errc::invalid_argument, "a Redis store's timeouts must be positive");
  std::unique_ptr<RedisPool> pool(
      new RedisPool(std::move(address), max, connect_timeout, command_timeout));
  auto first = pool->connect();
  if (!first) return std::move(first).error();
  pool->idle_.push_back(std::move(*first));
  pool->open_ = 1;
  return pool;
}

Result<RedisPool::ContextPtr> RedisPool::connect() const {
  const timeval connect_tv = to_timeval(connect_timeout_);
  ContextPtr context(address_.socket_path.empty()
                         ? redisConnectWithTimeout(address_.host.c_str(), address_.port, connect_tv)
                         : redisConnectUnixWithTimeout(address_.socket_path.c_str(), connect_tv));
  if (!context) return Error(Errc::storage, label_ + ": out of memory making a connection");
  if (context->err != 0)
    return Error(Errc::storage, label_ + ": cannot connect: " + std::string(context->errstr));
  if (redisSetTimeout(context.get(), to_timeval(command_timeout_)) != REDIS_OK)
    return Error(Errc::storage, label_ + ": cannot set the command timeout");

  if (!address_.password.empty()) {
    std::vector<std::string_view> auth{"AUTH"};
    if (!address_.user.empty()) auth.emplace_back(address_.user);
    auth.emplace_back(address_.password);
    bool retryable = false;
    auto reply = run(context.get(), auth, retryable);
    if (!reply) return std::move(reply).error();
    if ((*reply)->type == REDIS_REPLY_ERROR)
      return Error(Errc::storage, label_ + ": login refused: " + error_text(**reply));
  }
  if (address_.database != 0) {
    const std::string db = std::to_string(address_.database);
    bool retryable = false;
    auto reply = run(context.get(), {"SELECT", db}, retryable);
    if (!reply) return std::move(reply).error();
    if ((*reply)->type == REDIS_REPLY_ERROR)
      return Error(Errc::storage,
                   label_ + ": cannot select database " + db + ": " + error_text(**reply));
  }
  return context;
}

Result<RedisReplyPtr> RedisPool::run(redisContext* context,
                                     const std::vector<std::string_view>& args,
                                     bool& retryable) const {
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string_view arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  SigpipeBlock no_sigpipe;
  errno = 0;
  RedisReplyPtr reply(static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(argv.size()), argv.data(), lengths.data())));
  const int error_number = errno;
  retryable = false;
  if (reply && context->err == 0) return reply;
  if (context->err == REDIS_ERR_IO && (error_number == EAGAIN || error_number == EWOULDBLOCK))
    return Error(Errc::storage,
                 label_ + ": no answer within " + std::to_string(command_timeout_.count()) + " ms");
  retryable = context->err == REDIS_ERR_EOF || context->err == REDIS_ERR_IO;
  const std::string why = context->err != 0 ? std::string(context->errstr) : "no reply";
  return Error(Errc::storage, label_ + ": " + why);
}

// An idle connection the server has closed (a restart, its idle timeout, CLIENT KILL) reads as
// end of file, and nothing else may arrive on an idle one: readable means unusable.
bool RedisPool::alive(const redisContext& context) {
  pollfd idle{context.fd, POLLIN, 0};
  return ::poll(&idle, 1, 0) == 0;
}

Result<RedisPool::ContextPtr> RedisPool::borrow(bool& reused) {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    idle_or_room_.wait(lock, [this] { return !idle_.empty() || open_ < max_; });
    if (idle_.empty()) break;
    ContextPtr context = std::move(idle_.back());
    idle_.pop_back();
    if (alive(*context)) {
      reused = true;
      return context;
    }
    --open_;  // closed by the server: dropped, and a slot is free
  }
  ++open_;
  lock.unlock();
  reused = false;
  auto made = connect();
  if (!made) forget();
  return made;
}

void RedisPool::give_back(ContextPtr context) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    idle_.push_back(std::move(context));
  }
  idle_or_room_.notify_one();
}

void RedisPool::forget() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --open_;
  }
  idle_or_room_.notify_one();
}

void RedisPool::drop_idle() {
  std::vector<ContextPtr> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    open_ -= idle_.size();
    dropped.swap(idle_);
  }
  idle_or_room_.notify_all();
}

Result<RedisReplyPtr> RedisPool::command(const std::vector<std::string_view>& args) {
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    auto borrowed = borrow(reused);
    if (!borrowed) return std::move(borrowed).error();
    // Given back, or forgotten when the link broke or an exception leaves this scope, so that
    // the pool never loses a slot.
    struct Loan {
      RedisPool& pool;
      ContextPtr context;
      bool broken = true;
      ~Loan() {
        if (broken) {
          context.reset();
          pool.forget();
        } else {
          pool.give_back(std::move(context));
        }
      }
    } loan{*this, std::move(*borrowed)};
    bool retryable = false;
    auto reply = run(loan.context.get(), args, retryable);
    loan.broken = !reply;
    if (reply || !reused || !retryable || attempt > 0) return reply;
    // A connection that passed the idle check broke at once: the server went away after it was
    // checked; the other idle ones are likely gone too. Once more, on a new connection.
    drop_idle();
  }
}

}  // namespace chathooks::receiver::detail
