// `wavesync health -f FILE...`: judges live objects saved from a cluster (`kubectl get -o yaml`,
// one document, several, or a List) and prints one verdict per object, with the reasons found in
// the Pods among them. Answers "why is my wave not moving?" without a sync.
#include "commands.hpp"
#include "health_sources.hpp"

#include "wavesync/health/health.hpp"
#include "wavesync/health/report.hpp"
#include "wavesync/manifest/input_text.hpp"
#include "wavesync/manifest/loader.hpp"
#include "wavesync/manifest/manifest_stream.hpp"
#include "wavesync/manifest/objects.hpp"
#include "wavesync/model/result.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <iostream>
#include <memory>
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

struct LiveObject {
  nlohmann::json object;
  SourceLocation source;
};

// Live objects, not manifests: read and split into objects as the manifest loader does (the same
// size limit, lists flattened), but none of its identity checks (a saved listing may repeat an
// object, span namespaces, or be a bare test object).
Result<std::vector<LiveObject>> load_live_objects(const std::vector<std::string>& files) {
  std::vector<LiveObject> out;
  for (const std::string& path : files) {
    const std::string name = path == "-" ? manifest::k_stdin_name : path;
    auto text = path == "-" ? manifest::read_stream_text(std::cin, name) : manifest::read_file_text(path, name);
    if (!text) return text.error();
    auto documents = manifest::read_documents(*text, name);
    if (!documents) return documents.error();
    for (auto& document : *documents) {
      auto added = manifest::for_each_object(std::move(document), [&out](manifest::DocumentObject found) {
        out.push_back({std::move(found.object), std::move(found.source)});
        return Result<void>();
      });
      if (!added) return added.error();
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
