// Shared helpers of the outbox tests: a temporary database file removed at the end.
// Thread-safety: one TempFile per test; not shared between threads.
#pragma once

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace outbox_test {

/// A path in the system's temporary folder that no other test uses, with the SQLite side files
/// (-wal, -shm, -journal) removed with it.
class TempFile {
 public:
  TempFile() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             ("chathooks-outbox-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter.fetch_add(1)) + ".db"))
                .string();
    remove_all();
  }
  ~TempFile() { remove_all(); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;

  const std::string& path() const { return path_; }

 private:
  void remove_all() {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(path_ + suffix, ignored);
    }
  }
  std::string path_;
};

}  // namespace outbox_test
