// ThreadSanitizer suppressions compiled into test_clients (TSan reads this hook at start-up;
// other builds ignore it). Only races reported inside the Debian libcpp-httplib.so, the test
// server, which is not built with TSan (see tests/http/tsan_suppressions.cpp).
extern "C" const char* __tsan_default_suppressions();

extern "C" const char* __tsan_default_suppressions() { return "race:libcpp-httplib.so\n"; }
