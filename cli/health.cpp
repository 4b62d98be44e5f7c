// `wavesync health -f FILE...`: judges live objects saved from a cluster (`kubectl get -o yaml`,
// one document, several, or a List) and prints one verdict per object, with the reasons found in
// the Pods among them. Answers "why is my wave not moving?" without a sync.
#include "commands.hpp"
#include "health_sources.hpp"

#include "wavesync/health/health.hpp"
#include "wavesync/health/report.hpp"
#include "wavesync/manifest/go_scalar.hpp"
#include "wavesync/manifest/limits.hpp"
#include "wavesync/manifest/loader.hpp"
#include "wavesync/manifest/manifest_stream.hpp"
#include "wavesync/model/result.hpp"

#include <fmt/core.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace wavesync::cli {

namespace {

struct HealthArgs {
  std::vector<std::string> files;
  std::string output = "text";
  bool all_conditions = false;
  HealthSourceFlags sources;  // --argocd-cm FILE, --health-scripts DIR
};

// The whole file (`-` is stdin), refused past the loader's size limit.
Result<std::string> read_input(const std::string& path) {
  std::string name = path == "-" ? manifest::k_stdin_name : path;
  std::string text;
  if (path == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return make_error(path + ": cannot read: " + std::strerror(errno));
    std::ostringstream buffer;
    buffer << in.rdbuf();
    text = std::move(buffer).str();
  }
  if (text.size() > manifest::k_max_file_bytes) {
    return make_error(name + ": " + std::to_string(text.size()) + " bytes: expected at most " +
                      std::to_string(manifest::k_max_file_bytes));
  }
  return text;
}

struct LiveObject {
  nlohmann::json object;
  SourceLocation source;
};

// Appends the objects of one document, flattening `items` lists (kind: List, PodList, ...).
// `path` is the JSON pointer the YAML parser keyed positions by, `label` the same for people.
Result<void> flatten(nlohmann::json node,
                     const std::string& path,
                     const std::string& label,
                     const manifest::YamlDocument& document,
                     std::vector<LiveObject>& out) {
  auto marks = document.objects.find(path);
  SourceLocation where = marks != document.objects.end() ? marks->second.start : document.start;
  if (!node.is_object()) {
    std::string what = path.empty() ? "document" : "list item " + label;
    return make_error(where.str() + ": " + what + " is " + manifest::describe_json_type(node) +
                      ", expected a Kubernetes object");
  }
  auto items = node.find("items");
  if (items != node.end() && items->is_array()) {
    nlohmann::json list = std::move(*items);
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string index = std::to_string(i);
      auto ok = flatten(std::move(list[i]),
                        path + "/items/" + index,
                        label + (label.empty() ? "" : ".") + "items[" + index + "]",
                        document,
                        out);
      if (!ok) return ok;
    }
    return {};
  }
  out.push_back({std::move(node), where});
  return {};
}

// Live objects, not manifests: none of the manifest loader's identity checks (a saved listing may
// repeat an object, span namespaces, or be a bare test object), only well-formed YAML.
Result<std::vector<LiveObject>> load_live_objects(const std::vector<std::string>& files) {
  std::vector<LiveObject> out;
  for (const std::string& path : files) {
    auto text = read_input(path);
    if (!text) return text.error();
    auto documents =
        manifest::read_documents(*text, path == "-" ? manifest::k_stdin_name : path);
    if (!documents) return documents.error();
    for (auto& document : *documents) {
      if (document.root.is_null()) continue;
      nlohmann::json root = std::move(document.root);
      if (auto ok = flatten(std::move(root), "", "", document, out); !ok) return ok.error();
    }
  }
  return out;
}

int run_health(const HealthArgs& args) {
  if (args.files.empty()) {
    fmt::print(stderr, "wavesync: error: health: -f/--filename is required (or `wavesync health test DIR`)\n");
    return exit_code::k_usage;
  }
  auto scripts = load_health_scripts(args.sources, nullptr);
  if (!scripts) {
    fmt::print(stderr, "wavesync: error: {}\n", scripts.error().message);
    return scripts.error().exit_code;
  }
  auto loaded = load_live_objects(args.files);
  if (!loaded) {
    fmt::print(stderr, "wavesync: error: {}\n", loaded.error().message);
    return loaded.error().exit_code;
  }
  std::vector<nlohmann::json> objects;
  objects.reserve(loaded->size());
  for (LiveObject& live : *loaded) {
    if (auto ok = health::check_health_annotation(live.object); !ok) {
      fmt::print(stderr, "wavesync: warning: {}: {}\n", live.source.str(), ok.error().message);
    }
    objects.push_back(std::move(live.object));
  }
  health::Options options;
  options.scripts = scripts->get();
  if (args.all_conditions) options.conditions = health::ConditionsRule::all_custom_resources;
  for (const health::ObjectReport& report : health::assess_all(objects, options)) {
    fmt::print("{}\n", args.output == "json" ? health::format_json(report)
                                             : health::format_text(report));
  }
  return exit_code::k_ok;
}

}  // namespace

void setup_health(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<HealthArgs>();
  auto* cmd = app.add_subcommand(
      "health", "Judge live objects saved with `kubectl get -o yaml` as a sync would");
  cmd->add_option("-f,--filename", args->files, "YAML file of live objects (- for stdin)");
  cmd->add_option("-o,--output",
                  args->output,
                  "text (one line per object) or json (one object per line)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_flag("--health-conditions", args->all_conditions,
                "Judge custom resources without an Argo CD rule by their Ready/Stalled conditions");
  add_health_source_flags(cmd, &args->sources);
  cmd->footer("Examples:\n  kubectl get deploy,pod -n shop -o yaml | wavesync health -f -\n"
              "  wavesync health test ./health-scripts    # run health_test.yaml tables");
  CLI::App* test = setup_health_test(*cmd, exit_code);
  cmd->callback([args, exit_code, test] {
    if (test->parsed()) return;
    *exit_code = run_health(*args);
  });
}

}  // namespace wavesync::cli
