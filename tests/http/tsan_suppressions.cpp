// ThreadSanitizer suppressions compiled into test_transport (TSan reads this hook at start-up;
// other builds ignore it). Only races reported inside the Debian libcpp-httplib.so, the test
// server: that library is not built with TSan, so the acquire side of its function-local
// statics (std::regex objects in its request parser) is invisible to TSan, and two server
// threads reading the same initialised regex are reported. No chathooks frame is involved.
extern "C" const char* __tsan_default_suppressions();

extern "C" const char* __tsan_default_suppressions() { return "race:libcpp-httplib.so\n"; }
