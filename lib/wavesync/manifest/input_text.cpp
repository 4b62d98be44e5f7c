#include "wavesync/manifest/input_text.hpp"

#include "wavesync/manifest/limits.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace wavesync::manifest {
namespace {

namespace fs = std::filesystem;

std::string too_large(const std::string& name, std::uintmax_t bytes) {
  return name + ": " + (bytes == 0 ? std::string("input") : std::to_string(bytes) + " bytes") +
         " is too large: expected at most " + std::to_string(k_max_file_bytes) + " bytes (10 MiB) per manifest file";
}

}  // namespace

Result<std::string> read_stream_text(std::istream& in, const std::string& name) {
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > k_max_file_bytes) return make_error(too_large(name, 0));
  }
  return text;
}

Result<std::string> read_file_text(const fs::path& path, const std::string& name) {
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec) return make_error(name + ": cannot read: " + ec.message());
  if (fs::is_directory(status)) return make_error(name + ": cannot read: is a directory");
  if (!fs::is_regular_file(status)) {
    // A named pipe or a device (`<(kubectl get ...)`, /dev/stdin): no size to check first.
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(name + ": cannot read: " + std::strerror(errno));
    return read_stream_text(in, name);
  }
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return make_error(name + ": cannot read: " + ec.message());
  // Checked before reading, so a huge file costs one stat, not a slow parse.
  if (size > k_max_file_bytes) return make_error(too_large(name, size));
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(name + ": cannot open for reading");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

}  // namespace wavesync::manifest
