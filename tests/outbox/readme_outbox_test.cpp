// The README's "Going to production" block, run: a worker thread over a SQLite outbox, an
// enqueue, and a shutdown that leaves nothing in flight. The README quotes the block from here
// (tests/packaging/check_readme_snippets.sh checks the quote).
#include <httplib.h>
#include <chathooks/http/curl_transport.hpp>
#include <chathooks/outbox/sqlite_store.hpp>
#include <chathooks/outbox/worker.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "catch.hpp"
#include "http/test_server.hpp"
#include "outbox_test_support.hpp"

using namespace chathooks;
using chathooks_test::TestServer;

TEST_CASE("the README's outbox block delivers and shuts down with nothing in flight") {
  std::atomic<int> received{0};  // Before the server: its threads count until it stops.
  TestServer receiver;
  receiver.server().Post("/hook", [&](const httplib::Request&, httplib::Response& response) {
    ++received;
    response.status = 200;
  });
  receiver.start();
  outbox_test::TempFile file;
  const std::string path = file.path();
  const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  http::CurlTransportOptions transport_options;
  transport_options.allow_private_addresses = true;  // the receiver is on 127.0.0.1
  http::HttpRequest request;
  request.url = receiver.url("/hook");
  request.body = R"({"hello":"outbox"})";
  std::string failure;  // What the delivery thread reports; read after it is joined.
  auto report = [&failure](const Error& error) { failure = error.to_string(); };

  // Once, at start-up: the outbox file and a worker thread over the libcurl transport.
  auto store = outbox::open_sqlite_store(path).value();
  outbox::WorkerOptions options;
  options.signing_keys = {secret};
  auto transport = http::make_curl_transport(transport_options);
  auto worker = outbox::Worker::create(store, transport, options).value();
  std::atomic<bool> stop{false};
  std::thread delivering([&] {
    auto ran = worker.run(stop);
    if (!ran) report(ran.error());  // The store failed: delivery has stopped.
  });

  // Anywhere: stored durably before it returns; the id is every attempt's webhook-id.
  auto id = outbox::enqueue(*store, request);

  // At shutdown: attempts under way finish and are recorded; the rest waits in the file.
  stop = true;
  delivering.join();

  REQUIRE(id.ok());
  CHECK(failure.empty());
  // Whether the worker saw the message before the stop is a race; either way it is delivered
  // or still pending, never in flight, and a worker started later delivers what is left.
  auto counts = store->counts().value();
  CHECK(counts.in_flight == 0);
  CHECK(counts.pending + counts.delivered == 1);
  std::atomic<bool> keep_going{false};
  REQUIRE(worker.run_until_empty(keep_going).ok());
  CHECK(store->counts().value().delivered == 1);
  CHECK(received.load() == 1);
}
