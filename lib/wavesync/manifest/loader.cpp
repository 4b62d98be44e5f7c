#include "wavesync/manifest/loader.hpp"

#include "wavesync/manifest/input_text.hpp"
#include "wavesync/manifest/limits.hpp"
#include "wavesync/manifest/objects.hpp"
#include "wavesync/manifest/manifest_stream.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>
#include <thread>

namespace wavesync::manifest {
namespace {

namespace fs = std::filesystem;

// One file (or stdin) to read, in load order.
struct Input {
  std::string name;
  fs::path path;
  std::optional<std::string> text;  // already read (stdin, tests)
};

bool ends_with(const std::string& name, std::string_view suffix) {
  return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Reads and parses one input; pure apart from reading `input.path`, so inputs can be
// parsed on several threads.
Result<std::vector<Resource>> load_input(const Input& input) {
  Result<std::string> read = input.text ? Result<std::string>(std::string()) : read_file_text(input.path, input.name);
  if (!read) return read.error();
  const std::string* text = input.text ? &*input.text : &*read;
  // Manifests are kept as JSON text: each document's body is written as text as it is read.
  auto documents = read_documents(*text, input.name, Bodies::text);
  if (!documents) return documents.error();
  std::vector<Resource> resources;
  for (YamlDocument& document : *documents) {
    if (auto ok = append_objects(std::move(document), resources); !ok) return ok.error();
    if (resources.size() > k_max_objects) break;  // reported by the caller
  }
  return resources;
}

class Loader {
 public:
  Loader(const LoadOptions& options, std::istream& stdin_stream) : options_(options), stdin_(stdin_stream) {}

  Result<void> load_path(const std::string& arg) {
    if (arg == "-") return load_stdin();
    std::error_code ec;
    fs::file_status status = fs::status(arg, ec);
    if (ec || !fs::exists(status)) return make_error(arg + ": no such file or directory");
    if (fs::is_directory(status)) {
      std::size_t before = inputs_.size();
      fs::path root = fs::canonical(arg, ec);
      if (ec) return make_error(arg + ": cannot resolve path: " + ec.message());
      visited_.insert(root.string());
      if (auto ok = walk(fs::path(arg), "", root); !ok) return ok;
      if (inputs_.size() == before) result_.warnings.push_back(arg + ": no .yaml, .yml or .json files found");
      return {};
    }
    if (excluded("", fs::path(arg).filename().string())) return {};
    return load_file(fs::path(arg), arg);
  }

  void add_text(std::string_view text, const std::string& name) {
    inputs_.push_back(Input{name, {}, std::string(text)});
  }

  Result<LoadResult> finish() {
    if (auto ok = parse_inputs(); !ok) return ok.error();
    if (auto ok = settle_identity(result_.resources, options_.default_namespace, options_.namespaces,
                                  options_.duplicates, result_.warnings);
        !ok) {
      return ok.error();
    }
    return std::move(result_);
  }

 private:
  Result<void> load_stdin() {
    auto text = read_stream_text(stdin_, k_stdin_name);
    if (!text) return text.error();
    add_text(*text, k_stdin_name);
    return {};
  }

  Result<void> load_file(const fs::path& path, const std::string& name) {
    inputs_.push_back(Input{name, path, std::nullopt});
    return {};
  }

  // Files are independent, so they are parsed on all cores (parsing is most of the time); results are then joined in load order, so the outcome, including which
  // error is reported, does not depend on the threads.
  Result<void> parse_inputs() {
    std::vector<std::optional<Result<std::vector<Resource>>>> results(inputs_.size());
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> first_error{inputs_.size()};
    auto work = [&] {
      for (std::size_t i = next++; i < inputs_.size(); i = next++) {
        if (i > first_error.load()) continue;
        results[i] = load_input(inputs_[i]);
        if (!results[i]->ok()) {
          std::size_t seen = first_error.load();
          while (i < seen && !first_error.compare_exchange_weak(seen, i)) {
          }
        }
      }
    };
    std::size_t threads = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), inputs_.size());
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (std::thread& t : pool) t.join();
    for (auto& result : results) {
      if (!result) continue;
      if (!result->ok()) return result->error();
      for (Resource& r : result->value()) {
        result_.resources.push_back(std::move(r));
        if (result_.resources.size() > k_max_objects) {
          return make_error(result_.resources.back().source.str() + ": more than " + std::to_string(k_max_objects) +
                            " objects: expected at most " + std::to_string(k_max_objects) + " in one run");
        }
      }
    }
    return {};
  }

  bool excluded(const std::string& relative, const std::string& basename) const {
    for (const std::string& glob : options_.excludes) {
      if (!relative.empty() && fnmatch(glob.c_str(), relative.c_str(), FNM_PATHNAME) == 0) return true;
      if (fnmatch(glob.c_str(), basename.c_str(), 0) == 0) return true;
    }
    return false;
  }

  static bool is_manifest_name(const std::string& name) {
    return ends_with(name, ".yaml") || ends_with(name, ".yml") || ends_with(name, ".json");
  }

  static bool inside(const fs::path& target, const fs::path& root) {
    auto t = target.begin();
    for (auto r = root.begin(); r != root.end(); ++r, ++t) {
      if (t == target.end() || *t != *r) return false;
    }
    return true;
  }

  // Depth-first in byte order of names, like kubectl's filepath.Walk, so the order of
  // objects (and of equal-rank ties in the plan) never depends on the file system.
  Result<void> walk(const fs::path& display, const std::string& relative, const fs::path& root) {
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(display, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) return make_error(display.generic_string() + ": cannot list directory: " + ec.message());
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.path().filename().string() < b.path().filename().string(); });
    for (const fs::directory_entry& entry : entries) {
      std::string name = entry.path().filename().string();
      std::string rel = relative.empty() ? name : relative + "/" + name;
      fs::path shown = display / name;
      if (excluded(rel, name)) continue;
      bool is_link = entry.is_symlink(ec);
      fs::file_status status = entry.status(ec);  // follows symlinks
      if (is_link) {
        fs::path target = fs::canonical(entry.path(), ec);
        if (ec) {
          result_.warnings.push_back(shown.generic_string() + ": broken symlink skipped");
          continue;
        }
        if (options_.symlinks == SymlinkPolicy::stay_inside && !inside(target, root)) {
          result_.warnings.push_back(shown.generic_string() + ": symlink to " + target.string() +
                                     " leaves the manifest directory and is not followed: use --follow-symlinks "
                                     "to follow it");
          continue;
        }
      }
      if (fs::is_directory(status)) {
        fs::path canonical = fs::canonical(entry.path(), ec);
        if (ec || !visited_.insert(canonical.string()).second) continue;  // symlink loop
        if (auto ok = walk(shown, rel, root); !ok) return ok;
        continue;
      }
      if (!fs::is_regular_file(status) || !is_manifest_name(name)) continue;
      if (auto ok = load_file(entry.path(), shown.generic_string()); !ok) return ok;
    }
    return {};
  }

  const LoadOptions& options_;
  std::istream& stdin_;
  LoadResult result_;
  std::vector<Input> inputs_;
  std::set<std::string> visited_;
};

}  // namespace

Result<LoadResult> load_manifests(const std::vector<std::string>& paths, const LoadOptions& options,
                                  std::istream& stdin_stream) {
  Loader loader(options, stdin_stream);
  for (const std::string& path : paths) {
    if (auto ok = loader.load_path(path); !ok) return ok.error();
  }
  return loader.finish();
}

Result<LoadResult> load_manifest_text(std::string_view text, const std::string& file, const LoadOptions& options) {
  std::istringstream no_stdin;
  Loader loader(options, no_stdin);
  loader.add_text(text, file);
  return loader.finish();
}

}  // namespace wavesync::manifest
