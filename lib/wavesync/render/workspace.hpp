// Scratch space for rendering: a private temporary directory removed when done, and a copy of a
// checkout to run kustomize edits in, so the user's files are never changed (Argo CD edits its
// own clone). Touches the file system only.
#pragma once

#include "wavesync/model/result.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace wavesync::render {

inline constexpr std::uintmax_t k_max_copy_bytes = 512u << 20;  // a checkout copied for kustomize edits

class TempDir {
 public:
  // A new directory under $TMPDIR (else /tmp), mode 0700.
  static Result<TempDir> create();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&&) = delete;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir();
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Copies the directory tree `from` into `to` (which exists), leaving out `.git`; symlinks are
// copied as symlinks. With `only`, copies just those paths (relative to `from`; missing ones are
// skipped), e.g. what git tracks. Fails when it comes to more than k_max_copy_bytes.
Result<void> copy_checkout(const std::string& from, const std::string& to,
                           const std::optional<std::vector<std::string>>& only = std::nullopt);

// Writes `text` to `path` (created or truncated).
Result<void> write_file(const std::string& path, const std::string& text);

}  // namespace wavesync::render
