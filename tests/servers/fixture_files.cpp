// test_servers' fixture files (fixture_files.hpp).
#include "fixture_files.hpp"

#include <filesystem>
#include <fstream>
#include <utility>

#include "files.hpp"

namespace fs = std::filesystem;

namespace test_servers {

std::string read_fixture_uri(const std::string& fixture_dir) {
  std::string text = read_file_or_empty(fixture_dir + "/uri");
  return text.substr(0, text.find('\n'));
}

std::optional<ServerInfo> read_fixture_server(const std::string& fixture_dir) {
  std::ifstream in(fixture_dir + "/server");
  ServerInfo server;
  if (!std::getline(in, server.dir) || !std::getline(in, server.bindir) || server.dir.empty() ||
      server.bindir.empty()) {
    return std::nullopt;
  }
  return server;
}

std::optional<ServerInfo> read_shared_server(const std::string& fixture_dir) {
  std::string uri = read_fixture_uri(fixture_dir);
  std::optional<ServerInfo> server = read_fixture_server(fixture_dir);
  if (uri.empty() || !server) return std::nullopt;
  server->uri = std::move(uri);
  return server;
}

void write_fixture_files(const std::string& fixture_dir, const ServerInfo& server) {
  fs::create_directories(fixture_dir);
  write_file(fixture_dir + "/server", server.dir + "\n" + server.bindir + "\n");
  write_file(fixture_dir + "/uri.new", server.uri + "\n");
  fs::rename(fixture_dir + "/uri.new", fixture_dir + "/uri");
}

void remove_fixture_files(const std::string& fixture_dir) {
  std::error_code ignored;
  fs::remove(fixture_dir + "/uri", ignored);
  fs::remove(fixture_dir + "/uri.new", ignored);
  fs::remove(fixture_dir + "/server", ignored);
  fs::remove(fixture_dir, ignored);  // only when empty
}

}  // namespace test_servers
