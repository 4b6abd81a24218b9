// Runs a program (fork + execve, no shell) and waits for it, optionally as another user, with
// its output appended to a file: how the test servers' support runs initdb, pg_ctl, pg_config
// and redis-server. Thread-safe: calls share nothing, and between fork and exec the child makes
// only async-signal-safe calls, so a threaded test program may use it.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace test_servers {

// Whom a program runs as: the current user (run_as_current()) or a named account.
struct RunAs {
  bool switch_user = false;  // false: the current user; the fields below are then unused
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // supplementary groups (getgrouplist)
};

RunAs run_as_current();
// The account `name`; throws std::runtime_error when there is no such user.
RunAs run_as_user(const std::string& name);

// Runs argv[0] (an absolute path) with argv, in directory `cwd`, as `who`, stdin /dev/null and
// stdout+stderr appended to `output_file` (created if missing, owned by the caller). Returns
// the exit status (128 + signal number if killed); throws std::runtime_error when the program
// cannot be started.
int run_program(const std::vector<std::string>& argv, const std::string& cwd, const RunAs& who,
                const std::string& output_file);

}  // namespace test_servers
