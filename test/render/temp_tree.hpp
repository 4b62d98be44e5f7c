// A directory tree for render tests under the system temp dir, removed at the end of the test.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace wavesync::test {

struct TempTree {
  std::filesystem::path path;
  TempTree() {
    std::string pattern = (std::filesystem::temp_directory_path() / "wavesync-render-test-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;
  ~TempTree() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  void write(const std::string& relative, const std::string& text) const {
    std::filesystem::create_directories((path / relative).parent_path());
    std::ofstream(path / relative) << text;
  }
  [[nodiscard]] std::string str() const { return path.string(); }
  [[nodiscard]] std::string operator/(const std::string& relative) const { return (path / relative).string(); }
};

}  // namespace wavesync::test
