#include "wavesync/render/workspace.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <vector>

namespace wavesync::render {

namespace fs = std::filesystem;

Result<TempDir> TempDir::create() {
  const char* base = std::getenv("TMPDIR");
  std::string pattern = std::string(base != nullptr && *base != '\0' ? base : "/tmp") + "/wavesync-render-XXXXXX";
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (::mkdtemp(buffer.data()) == nullptr) return make_error("cannot create a temporary directory in " + pattern);
  return TempDir(std::string(buffer.data()));
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ignored;
  fs::remove_all(path_, ignored);
}

namespace {

Error too_much(const std::string& from) {
  return make_error(from + ": more than " + std::to_string(k_max_copy_bytes >> 20) +
                    " MiB to copy for the kustomize edits: render a smaller checkout (--repo)");
}

}  // namespace

Result<void> copy_checkout(const std::string& from, const std::string& to,
                           const std::optional<std::vector<std::string>>& only) {
  std::error_code ec;
  std::uintmax_t total = 0;
  if (only) {
    for (const std::string& rel : *only) {
      const fs::path source = fs::path(from) / rel;
      const fs::path target = fs::path(to) / rel;
      const fs::file_status status = fs::symlink_status(source, ec);
      if (ec || !(fs::is_regular_file(status) || fs::is_symlink(status))) continue;  // gone, or a submodule
      fs::create_directories(target.parent_path(), ec);
      if (fs::is_symlink(status)) {
        fs::copy_symlink(source, target, ec);
      } else {
        total += fs::file_size(source, ec);
        if (total > k_max_copy_bytes) return too_much(from);
        fs::copy_file(source, target, ec);
      }
      if (ec) return make_error("copy " + source.string() + ": " + ec.message());
    }
    return {};
  }
  fs::recursive_directory_iterator it(from, fs::directory_options::none, ec);
  if (ec) return make_error(from + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return make_error(from + ": " + ec.message());
    const fs::path rel = fs::relative(it->path(), from, ec);
    if (it.depth() == 0 && it->path().filename() == ".git") {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    const fs::path target = fs::path(to) / rel;
    if (it->is_symlink(ec)) {
      fs::copy_symlink(it->path(), target, ec);
    } else if (it->is_directory(ec)) {
      fs::create_directories(target, ec);
    } else if (it->is_regular_file(ec)) {
      total += it->file_size(ec);
      if (total > k_max_copy_bytes) return too_much(from);
      fs::copy_file(it->path(), target, ec);
    }
    if (ec) return make_error("copy " + it->path().string() + ": " + ec.message());
  }
  return {};
}

Result<void> write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return make_error("cannot write " + path);
  return {};
}

}  // namespace wavesync::render
