// FakeTransport: scripted answers and recorded requests for tests.
#include "chathooks/testing/fake_transport.hpp"

#include <utility>

namespace chathooks::testing {

FakeTransport::FakeTransport(Handler handler) : handler_(std::move(handler)) {}

void FakeTransport::push_response(http::HttpResponse response) {
  std::lock_guard<std::mutex> lock(mutex_);
  script_.emplace_back(std::move(response));
}

void FakeTransport::push_response(int status, std::string body) {
  http::HttpResponse response;
  response.status = status;
  response.body = std::move(body);
  push_response(std::move(response));
}

void FakeTransport::push_error(Error error) {
  std::lock_guard<std::mutex> lock(mutex_);
  script_.emplace_back(std::move(error));
}

void FakeTransport::set_handler(Handler handler) {
  std::lock_guard<std::mutex> lock(mutex_);
  handler_ = std::move(handler);
}

Result<http::HttpResponse> FakeTransport::send(const http::HttpRequest& request) {
  Handler handler;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    requests_.push_back(request);
    if (!script_.empty()) {
      auto answer = std::move(script_.front());
      script_.pop_front();
      return answer;
    }
    handler = handler_;
  }
  if (handler) return handler(request);
  return Error(Errc::invalid_argument,
               "FakeTransport: no scripted answer left for " + request.method + " " + request.url);
}

std::vector<http::HttpRequest> FakeTransport::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_;
}

std::size_t FakeTransport::request_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return requests_.size();
}

std::size_t FakeTransport::scripted_left() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return script_.size();
}

void FakeTransport::clear_requests() {
  std::lock_guard<std::mutex> lock(mutex_);
  requests_.clear();
}

}  // namespace chathooks::testing
