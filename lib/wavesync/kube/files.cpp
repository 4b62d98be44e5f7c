#include "wavesync/kube/files.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace wavesync::kube {

Result<std::string> read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(path + ": " + std::strerror(errno), exit_code::k_cluster);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool is_regular_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

bool is_readable_file(const std::string& path) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec) return false;
  return std::filesystem::is_regular_file(status) || std::filesystem::is_fifo(status) ||
         std::filesystem::is_character_file(status);
}

std::string resolve_against(const std::string& path, const std::string& base_dir) {
  if (path.empty() || path.front() == '/') return path;
  return (std::filesystem::path(base_dir) / path).lexically_normal().string();
}

}  // namespace wavesync::kube
