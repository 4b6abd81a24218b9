#include "fixture_files.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "run_program.hpp"

namespace fs = std::filesystem;

namespace test_postgres {
namespace {

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

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

}  // namespace test_postgres
