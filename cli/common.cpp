#include "common.hpp"

#include "wavesync/manifest/loader.hpp"
#include "wavesync/render/render.hpp"

#include <fmt/core.h>

#include <chrono>
#include <iostream>

namespace wavesync::cli {

void add_manifest_flags(CLI::App* cmd, ManifestFlags* flags) {
  cmd->add_option("paths", flags->paths,
                  "Manifest files or directories, read recursively (`-` reads stdin); a directory with a "
                  "kustomization or Chart.yaml is rendered");
  cmd->add_option("-n,--namespace", flags->namespace_name, "Namespace for objects that do not name one");
  cmd->add_option("--exclude", flags->excludes, "Leave out files and directories matching this glob (repeatable)");
  cmd->add_flag("--strict", flags->strict, "Treat manifest and plan warnings as errors");
  cmd->add_flag("--follow-symlinks", flags->follow_symlinks, "Follow symlinks that leave a manifest directory");
  cmd->add_flag("--namespace-strict", flags->namespace_strict,
                "Reject objects that name a namespace other than the target namespace");
  add_input_flags(cmd, &flags->inputs);
  cmd->parse_complete_callback([flags] {
    auto resolved = resolve_inputs(flags->inputs, flags->paths, flags->namespace_name);
    if (!resolved) flags->input_error = resolved.error();
  });
}

std::string resolve_namespace(const std::string& flag, const std::string& context_namespace) {
  if (!flag.empty()) return flag;
  if (!context_namespace.empty()) return context_namespace;
  return "default";
}

Result<Plan> load_plan(const ManifestFlags& flags, const std::string& default_namespace) {
  manifest::LoadOptions load;
  load.default_namespace = default_namespace;
  load.excludes = flags.excludes;
  load.symlinks = flags.follow_symlinks ? manifest::SymlinkPolicy::follow : manifest::SymlinkPolicy::stay_inside;
  load.namespaces = flags.namespace_strict ? manifest::NamespacePolicy::strict : manifest::NamespacePolicy::default_missing;
  load.duplicates = flags.strict ? manifest::DuplicatePolicy::error : manifest::DuplicatePolicy::keep_last;
  if (flags.input_error) return *flags.input_error;
  render::SystemProcessRunner runner;
  Result<manifest::LoadResult> loaded = manifest::LoadResult{};
  if (flags.inputs.app) {
    for (const render::RenderRequest& source : flags.inputs.app->sources) {
      auto rendered = render::render_source(source, load, runner);
      if (!rendered) return rendered.error();
      for (Resource& r : rendered->resources) loaded->resources.push_back(std::move(r));
      loaded->warnings.insert(loaded->warnings.end(), rendered->warnings.begin(), rendered->warnings.end());
    }
    for (const std::string& w : application_warnings(*flags.inputs.app)) loaded->warnings.push_back(w);
  } else {
    auto helm = helm_options(flags.inputs);
    if (!helm) return helm.error();
    loaded = render::load_inputs(flags.paths, flags.inputs.kustomize_dirs, *helm, load, runner, std::cin);
  }
  if (!loaded) return loaded.error();
  if (flags.strict && !loaded->warnings.empty()) return make_error(loaded->warnings.front() + " (--strict)");

  PlanOptions options;
  options.strictness = flags.strict ? Strictness::strict : Strictness::lenient;
  options.destination_namespace = default_namespace;
  // Generated hook names end in the sync's start, as Argo CD's do.
  options.started_at_unix =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto plan = make_plan(std::move(loaded->resources), options);
  if (!plan) return plan.error();
  if (flags.inputs.app) apply_app_sync_options(*flags.inputs.app, *plan);
  plan->warnings.insert(plan->warnings.begin(), loaded->warnings.begin(), loaded->warnings.end());
  return plan;
}

void print_error(const Error& error) { fmt::print(stderr, "wavesync: error: {}\n", error.message); }

void print_warning(const std::string& message) { fmt::print(stderr, "wavesync: warning: {}\n", message); }

}  // namespace wavesync::cli
