#include "wavesync/render/directory_source.hpp"

#include <algorithm>
#include <filesystem>

namespace wavesync::render {

namespace fs = std::filesystem;

namespace {

bool manifest_name(const std::string& name) {
  auto ends = [&](const std::string& suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends(".yaml") || ends(".yml") || ends(".json");
}

}  // namespace

Result<std::vector<std::string>> directory_files(const std::string& dir, const DirectoryOptions& options) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  if (ec) return make_error(dir + ": " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) return make_error(dir + ": " + ec.message());
    const fs::path& path = it->path();
    if (it->is_directory(ec)) {
      if (!options.recurse || path.filename() == ".git") it.disable_recursion_pending();
      continue;
    }
    const std::string rel = path.lexically_relative(dir).generic_string();
    const std::string name = path.filename().string();
    const bool jsonnet = name.size() > 8 && name.compare(name.size() - 8, 8, ".jsonnet") == 0;
    if (!jsonnet && !manifest_name(name)) continue;
    if (!options.exclude.empty() && glob_match(options.exclude, rel)) continue;
    if (!options.include.empty() && !glob_match(options.include, rel)) continue;
    if (jsonnet)
      return make_error(path.string() + ": Jsonnet is not supported: render it to YAML first (Argo CD evaluates it)");
    files.push_back(path.string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace wavesync::render
