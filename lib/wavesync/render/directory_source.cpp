#include "wavesync/render/directory_source.hpp"

#include <algorithm>
#include <filesystem>

namespace wavesync::render {

namespace fs = std::filesystem;

namespace {

// Matches pattern[p...] against text[t...]; alternatives are expanded one at a time.
bool match_from(const std::string& pattern, std::size_t p, const std::string& text, std::size_t t) {
  while (p < pattern.size()) {
    const char c = pattern[p];
    if (c == '*') {
      while (p < pattern.size() && pattern[p] == '*') ++p;
      for (std::size_t k = t; k <= text.size(); ++k)
        if (match_from(pattern, p, text, k)) return true;
      return false;
    }
    if (c == '{') {
      // Find the matching `}` and the top-level commas inside it.
      int depth = 0;
      std::size_t end = p;
      std::vector<std::size_t> cuts{p};
      for (; end < pattern.size(); ++end) {
        if (pattern[end] == '{') ++depth;
        else if (pattern[end] == '}' && --depth == 0) break;
        else if (pattern[end] == ',' && depth == 1) cuts.push_back(end);
      }
      if (end == pattern.size()) return t < text.size() && text[t] == c && match_from(pattern, p + 1, text, t + 1);
      cuts.push_back(end);
      const std::string rest = pattern.substr(end + 1);
      for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
        const std::string alt = pattern.substr(cuts[i] + 1, cuts[i + 1] - cuts[i] - 1) + rest;
        if (match_from(alt, 0, text, t)) return true;
      }
      return false;
    }
    if (t >= text.size()) return false;
    if (c == '?') {
      ++p;
      ++t;
      continue;
    }
    if (c == '[') {
      std::size_t q = p + 1;
      const bool negate = q < pattern.size() && (pattern[q] == '!' || pattern[q] == '^');
      if (negate) ++q;
      bool found = false;
      const std::size_t first = q;
      for (; q < pattern.size() && (pattern[q] != ']' || q == first); ++q) {
        if (q + 2 < pattern.size() && pattern[q + 1] == '-' && pattern[q + 2] != ']') {
          if (text[t] >= pattern[q] && text[t] <= pattern[q + 2]) found = true;
          q += 2;
        } else if (pattern[q] == text[t]) {
          found = true;
        }
      }
      if (q >= pattern.size()) return text[t] == '[' && match_from(pattern, p + 1, text, t + 1);
      if (found == negate) return false;
      p = q + 1;
      ++t;
      continue;
    }
    if (c == '\\' && p + 1 < pattern.size()) ++p;
    if (pattern[p] != text[t]) return false;
    ++p;
    ++t;
  }
  return t == text.size();
}

bool manifest_name(const std::string& name) {
  auto ends = [&](const std::string& suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends(".yaml") || ends(".yml") || ends(".json");
}

}  // namespace

bool glob_match(const std::string& pattern, const std::string& text) { return match_from(pattern, 0, text, 0); }

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
