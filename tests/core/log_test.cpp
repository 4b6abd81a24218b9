// The log listener's switch and the logfmt line.
#include <chathooks/log.hpp>

#include <string>
#include <vector>

#include "catch.hpp"

namespace lg = chathooks::log;

TEST_CASE("Log: levels gate the listener, and an empty listener turns it off") {
  CHECK_FALSE(lg::enabled(lg::Level::error));
  lg::set_listener([](const lg::Record&) {}, lg::Level::warning);
  CHECK_FALSE(lg::enabled(lg::Level::debug));
  CHECK_FALSE(lg::enabled(lg::Level::info));
  CHECK(lg::enabled(lg::Level::warning));
  CHECK(lg::enabled(lg::Level::error));
  CHECK_FALSE(lg::enabled(lg::Level::off));
  lg::set_listener([](const lg::Record&) {}, lg::Level::off);
  CHECK_FALSE(lg::enabled(lg::Level::error));
  lg::set_listener([](const lg::Record&) {}, lg::Level::debug);
  CHECK(lg::enabled(lg::Level::debug));
  lg::set_listener(nullptr, lg::Level::debug);
  CHECK_FALSE(lg::enabled(lg::Level::error));
}

TEST_CASE("Log: to_line quotes and escapes what needs it") {
  lg::Record record;
  record.level = lg::Level::error;
  record.event = "delivery.end";
  record.message = "not delivered: \"gone\"\n";
  record.fields = {{"id", "msg_1"},
                   {"empty", ""},
                   {"eq", "a=b"},
                   {"path", "C:\\x"},
                   {"ctl", std::string("\x01\x7f", 2)},
                   {"utf8", "S\xc3\xa3o"}};
  CHECK(lg::to_line(record) ==
        "level=error event=delivery.end msg=\"not delivered: \\\"gone\\\"\\n\" id=msg_1 "
        "empty=\"\" eq=\"a=b\" path=\"C:\\\\x\" ctl=\"\\u0001\\u007f\" utf8=S\xc3\xa3o");
  CHECK(lg::to_string(lg::Level::warning) == "warning");
}
