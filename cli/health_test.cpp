// `wavesync health test DIR`: runs every health_test.yaml table under DIR (Argo CD's format:
// `tests: [{inputPath, healthStatus: {status, message}}]`) against the health.lua beside it and
// reports each case, so teams can test their health scripts in CI without Go or an Argo CD.
#include "commands.hpp"
#include "health_sources.hpp"

#include "wavesync/health/fields.hpp"
#include "wavesync/health/scripts.hpp"
#include "wavesync/manifest/limits.hpp"
#include "wavesync/manifest/manifest_stream.hpp"
#include "wavesync/model/result.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace wavesync::cli {

namespace {

namespace fs = std::filesystem;

struct HealthTestArgs {
  std::string dir;
  bool verbose = false;
};

Result<nlohmann::json> read_yaml(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path.string() + ": cannot read");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = std::move(buffer).str();
  if (text.size() > manifest::k_max_file_bytes) {
    return make_error(path.string() + ": " + std::to_string(text.size()) + " bytes: expected at most " +
                      std::to_string(manifest::k_max_file_bytes));
  }
  auto documents = manifest::read_documents(text, path.string());
  if (!documents) return documents.error();
  for (auto& document : *documents) {
    if (!document.root.is_null()) return std::move(document.root);
  }
  return make_error(path.string() + ": empty file");
}

// A key as Go's encoding/json finds it (Argo CD's tables are read through it): exact, else
// case-insensitive; Argo CD's own tables spell `inputPath` as `inputpath` in places.
const nlohmann::json* go_field(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  if (auto it = object.find(name); it != object.end()) return &*it;
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    if (key.size() == name.size() &&
        std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return &*it;
    }
  }
  return nullptr;
}

struct Counts {
  int passed = 0;
  int failed = 0;
};

std::string quoted(const health::Health& h) {
  return std::string(health::status_name(h.status)) + " \"" + h.message + "\"";
}

// One table: every case against the script beside it. Bad input is an error for the whole run.
Result<void> run_table(const fs::path& table_path, const fs::path& root, const health::Scripts& runner,
                       bool verbose, Counts& counts) {
  fs::path dir = table_path.parent_path();
  std::string label = fs::relative(dir, root).generic_string();
  auto table = read_yaml(table_path);
  if (!table) return table.error();
  fs::path script_path = dir / "health.lua";
  std::ifstream script_in(script_path, std::ios::binary);
  if (!script_in) return make_error(script_path.string() + ": cannot read (a health_test.yaml needs a health.lua beside it)");
  std::ostringstream script_text;
  script_text << script_in.rdbuf();
  health::HealthScript script{label, {script_path.string(), std::move(script_text).str()}, lua::Libraries::open};

  const nlohmann::json* tests = go_field(*table, "tests");
  if (tests == nullptr || !tests->is_array()) return make_error(table_path.string() + ": expected `tests:`, a list");
  for (std::size_t i = 0; i < tests->size(); ++i) {
    const nlohmann::json& test = (*tests)[i];
    std::string where = table_path.string() + ": tests[" + std::to_string(i) + "]";
    const nlohmann::json* input_node = go_field(test, "inputPath");
    if (input_node == nullptr || !input_node->is_string()) return make_error(where + ": expected inputPath, a string");
    const nlohmann::json* expected_node = go_field(test, "healthStatus");
    if (expected_node == nullptr || !expected_node->is_object()) return make_error(where + ": expected healthStatus, a map");
    const nlohmann::json* status_node = go_field(*expected_node, "status");
    const nlohmann::json* message_node = go_field(*expected_node, "message");
    std::string expected_status = status_node != nullptr && status_node->is_string() ? status_node->get<std::string>() : "";
    auto status = health::parse_status(expected_status);
    if (!status) return make_error(where + ": invalid healthStatus.status \"" + expected_status + "\"");
    health::Health expected{*status, message_node != nullptr && message_node->is_string() ? message_node->get<std::string>() : ""};
    std::string input = input_node->get<std::string>();
    auto live = read_yaml(dir / input);
    if (!live) return live.error().wrap(where);
    // As Argo CD's own test (util/lua health_test.go) does: the script for the object's kind
    // among all under DIR, else the one beside the table.
    const health::HealthScript* chosen = runner.find(health::group_of_object(*live), health::string_at(*live, {"kind"}));
    health::Health got = runner.run(chosen != nullptr ? *chosen : script, *live);
    if (got == expected) {
      ++counts.passed;
      if (verbose) fmt::print("PASS {} {}: {}\n", label, input, quoted(got));
    } else {
      ++counts.failed;
      fmt::print("FAIL {} {}: expected {}, got {}\n", label, input, quoted(expected), quoted(got));
    }
  }
  return {};
}

int run_health_test(const HealthTestArgs& args) {
  std::error_code ec;
  if (!fs::is_directory(args.dir, ec)) {
    fmt::print(stderr, "wavesync: error: health test: {}: not a directory\n", args.dir);
    return exit_code::k_usage;
  }
  std::vector<fs::path> tables;
  for (auto it = fs::recursive_directory_iterator(args.dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().filename() == "health_test.yaml") tables.push_back(it->path());
  }
  if (ec) {
    fmt::print(stderr, "wavesync: error: health test: {}: {}\n", args.dir, ec.message());
    return exit_code::k_usage;
  }
  std::sort(tables.begin(), tables.end());
  if (tables.empty()) {
    fmt::print(stderr, "wavesync: error: health test: no health_test.yaml under {}\n", args.dir);
    return exit_code::k_usage;
  }
  health::Scripts runner;
  if (auto ok = add_health_script_dir(runner, args.dir); !ok) {
    fmt::print(stderr, "wavesync: error: health test: {}\n", ok.error().message);
    return exit_code::k_usage;
  }
  Counts counts;
  for (const fs::path& table : tables) {
    if (auto ok = run_table(table, args.dir, runner, args.verbose, counts); !ok) {
      fmt::print(stderr, "wavesync: error: {}\n", ok.error().message);
      return exit_code::k_usage;
    }
  }
  fmt::print("{} passed, {} failed ({} tables)\n", counts.passed, counts.failed, tables.size());
  return counts.failed == 0 ? exit_code::k_ok : exit_code::k_sync_failed;
}

}  // namespace

CLI::App* setup_health_test(CLI::App& health, int* exit_code) {
  auto args = std::make_shared<HealthTestArgs>();
  CLI::App* cmd = health.add_subcommand(
      "test", "Run Argo CD-style health_test.yaml tables against the health.lua beside each");
  cmd->add_option("DIR", args->dir, "Directory searched for health_test.yaml files")->required();
  cmd->add_flag("-v,--verbose", args->verbose, "Also print the cases that pass");
  cmd->footer("Exit code 0 when every case passes, 1 when one fails, 2 for unreadable tables, objects or scripts.");
  cmd->callback([args, exit_code] { *exit_code = run_health_test(*args); });
  return cmd;
}

}  // namespace wavesync::cli
