// Reading manifests from the file system and stdin.
#include "manifest/manifest_test_util.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace wavesync::manifest;
namespace fs = std::filesystem;

namespace {

// A fresh directory under the system temp dir, removed at the end of the test.
struct TempDir {
  fs::path path;
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "wavesync-manifest-XXXXXX").string();
    path = mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  void write(const std::string& relative, const std::string& text) const {
    fs::create_directories((path / relative).parent_path());
    std::ofstream(path / relative) << text;
  }
  std::string str() const { return path.string(); }
};

std::string config_map(const std::string& name) {
  return "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n";
}

wavesync::Result<LoadResult> load_paths(const std::vector<std::string>& paths, LoadOptions options = {}) {
  std::istringstream no_stdin;
  return load_manifests(paths, options, no_stdin);
}

std::vector<std::string> names(const LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& res : r.resources) out.push_back(res.name());
  return out;
}

}  // namespace

TEST_CASE("a directory is read recursively in sorted order, manifests only", "[manifest][loader]") {
  TempDir dir;
  dir.write("b.yaml", config_map("b"));
  dir.write("a/z.yml", config_map("az"));
  dir.write("a.json", R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ajson"}})");
  dir.write("c/d/e.yaml", config_map("cde"));
  dir.write("notes.txt", "not: a manifest\n");
  dir.write("README.md", "# hi\n");
  auto r = load_paths({dir.str()});
  REQUIRE(r.ok());
  CHECK(names(*r) == std::vector<std::string>{"az", "ajson", "b", "cde"});
  CHECK(r->resources[0].source.file == dir.str() + "/a/z.yml");
  CHECK(r->warnings.empty());
}

TEST_CASE("a .json file may hold several objects one after another, each with its own position", "[manifest][loader]") {
  TempDir dir;
  // Two on one line (the first is 64 characters long), then one pretty-printed on lines 3-7.
  dir.write("stream.json",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"one\"}}"
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"two\"}}\n"
            "\n"
            "{\n"
            "  \"apiVersion\": \"v1\", \"kind\": \"ConfigMap\",\n"
            "  \"metadata\": {\"name\": \"three {[\\\"\",\n"
            "               \"annotations\": {\"argocd.argoproj.io/sync-wave\": \"x\"}}\n"
            "}\n");
  auto r = load_paths({dir.str()});
  REQUIRE(r.ok());
  CHECK(names(*r) == std::vector<std::string>{"one", "two", "three {[\""});
  const std::string file = dir.str() + "/stream.json";
  CHECK(r->resources[0].source.str() == file + ":1:1");
  CHECK(r->resources[1].source.str() == file + ":1:65");
  CHECK(r->resources[2].source.str() == file + ":3:1");

  // A problem in a later object is reported where it is in the file.
  dir.write("stream.json",
            "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"one\"}}\n"
            "  {\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\": [}}\n");
  auto bad = load_paths({dir.str()});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message.rfind(file + ":2:", 0) == 0);

  // Not a stream (one object, or text that is not only objects): parsed as before.
  dir.write("stream.json", "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"one\"}} x\n");
  auto garbage = load_paths({dir.str()});
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().message.rfind(file + ":1:", 0) == 0);
}

TEST_CASE("a file named explicitly is read whatever its extension", "[manifest][loader]") {
  TempDir dir;
  dir.write("objects.txt", config_map("t"));
  auto r = load_paths({dir.str() + "/objects.txt"});
  REQUIRE(r.ok());
  CHECK(names(*r) == std::vector<std::string>{"t"});
}

TEST_CASE("paths load in the order given", "[manifest][loader]") {
  TempDir dir;
  dir.write("1.yaml", config_map("one"));
  dir.write("2.yaml", config_map("two"));
  auto r = load_paths({dir.str() + "/2.yaml", dir.str() + "/1.yaml"});
  REQUIRE(r.ok());
  CHECK(names(*r) == std::vector<std::string>{"two", "one"});
}

TEST_CASE("a dash reads manifests from stdin", "[manifest][loader]") {
  std::istringstream in(config_map("from-stdin"));
  auto r = load_manifests({"-"}, LoadOptions{}, in);
  REQUIRE(r.ok());
  CHECK(names(*r) == std::vector<std::string>{"from-stdin"});
  CHECK(r->resources[0].source.str() == "<stdin>:1:1");
}

TEST_CASE("a missing path is an error", "[manifest][loader]") {
  auto r = load_paths({"/nonexistent/wavesync/x.yaml"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "/nonexistent/wavesync/x.yaml: no such file or directory");
}

TEST_CASE("a directory without manifests gives a warning", "[manifest][loader]") {
  TempDir dir;
  dir.write("x.txt", "hello");
  auto r = load_paths({dir.str()});
  REQUIRE(r.ok());
  CHECK(r->warnings == std::vector<std::string>{dir.str() + ": no .yaml, .yml or .json files found"});
}

TEST_CASE("exclude globs match the relative path and the basename", "[manifest][loader]") {
  TempDir dir;
  dir.write("app.yaml", config_map("app"));
  dir.write("app-test.yaml", config_map("apptest"));
  dir.write("secrets/s.yaml", config_map("secret"));
  dir.write("sub/keep.yaml", config_map("keep"));
  dir.write("sub/skip.yaml", config_map("skip"));
  LoadOptions options;
  options.excludes = {"*-test.yaml", "secrets", "sub/skip.yaml"};
  auto r = load_paths({dir.str()}, options);
  REQUIRE(r.ok());
  CHECK(names(*r) == std::vector<std::string>{"app", "keep"});
}

TEST_CASE("a symlink that leaves the directory is skipped with a warning unless following is asked", "[manifest][loader]") {
  TempDir outside;
  outside.write("outside.yaml", config_map("outside"));
  TempDir dir;
  dir.write("in.yaml", config_map("inside"));
  fs::create_symlink(outside.path / "outside.yaml", dir.path / "link.yaml");
  dir.write("data/inner.txt", config_map("inner"));
  fs::create_symlink(dir.path / "data" / "inner.txt", dir.path / "z-internal.yaml");
  auto r = load_paths({dir.str()});
  REQUIRE(r.ok());
  CHECK(names(*r) == std::vector<std::string>{"inside", "inner"});
  REQUIRE(r->warnings.size() == 1);
  CHECK(r->warnings[0] == dir.str() + "/link.yaml: symlink to " + fs::canonical(outside.path / "outside.yaml").string() +
                              " leaves the manifest directory and is not followed: use --follow-symlinks to follow it");

  LoadOptions follow;
  follow.symlinks = SymlinkPolicy::follow;
  auto f = load_paths({dir.str()}, follow);
  REQUIRE(f.ok());
  CHECK(names(*f) == std::vector<std::string>{"inside", "outside", "inner"});
  CHECK(f->warnings.empty());
}

TEST_CASE("a symlinked directory loop is walked once", "[manifest][loader]") {
  TempDir dir;
  dir.write("a/x.yaml", config_map("x"));
  fs::create_directory_symlink(dir.path / "a", dir.path / "a" / "loop");
  auto r = load_paths({dir.str()});
  REQUIRE(r.ok());
  CHECK(names(*r) == std::vector<std::string>{"x"});
}

TEST_CASE("a 50 MB file is refused with one error before it is parsed", "[manifest][loader]") {
  TempDir dir;
  {
    std::ofstream out(dir.path / "huge.yaml");
    std::string line = "# padding padding padding padding padding padding padding padding padding\n";
    for (std::size_t written = 0; written < 50u * 1000 * 1000; written += line.size()) out << line;
  }
  std::size_t size = fs::file_size(dir.path / "huge.yaml");
  auto r = load_paths({dir.str()});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == dir.str() + "/huge.yaml: " + std::to_string(size) +
                                 " bytes is too large: expected at most 10485760 bytes (10 MiB) per manifest file");
}

TEST_CASE("stdin over the size limit is refused", "[manifest][loader]") {
  std::istringstream in(std::string(11 * 1024 * 1024, '#'));
  auto r = load_manifests({"-"}, LoadOptions{}, in);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "<stdin>: input is too large: expected at most 10485760 bytes (10 MiB) per manifest file");
}

TEST_CASE("duplicates across files name both files", "[manifest][loader]") {
  TempDir dir;
  dir.write("a.yaml", config_map("same"));
  dir.write("b.yaml", "# comment\n" + config_map("same"));
  LoadOptions strict;
  strict.duplicates = DuplicatePolicy::error;
  auto r = load_paths({dir.str()}, strict);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == dir.str() + "/b.yaml:2:1: duplicate object ConfigMap default/same: also defined at " +
                                 dir.str() + "/a.yaml:1:1");
  auto kept = load_paths({dir.str()});
  REQUIRE(kept.ok());
  CHECK(kept->resources.size() == 1);
  CHECK(kept->resources[0].source.file == dir.str() + "/b.yaml");
}
