// An Argo CD Application (argoproj.io/v1alpha1, pkg/apis/application/v1alpha1/types.go) read
// into what wavesync can do with it from a local checkout: the render requests of its sources
// and the sync settings it asks for. What cannot be rendered locally (a Helm repository chart,
// a plugin, Jsonnet, a source hydrator, a repository without a checkout) is an error; fields a
// one-shot sync has no use for are notes. Reads the file system (value files, globs) only.
#pragma once

#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"
#include "wavesync/render/request.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wavesync::render {

// syncPolicy.retry as Argo CD reads it (RetryStrategy): durations are Go durations or bare
// seconds; an absent backoff field keeps Argo CD's default (5s, factor 2, at most 3m).
struct RetrySpec {
  std::int64_t limit = 0;  // < 0: retry without end (Argo CD), not followed by wavesync
  std::optional<std::chrono::milliseconds> backoff;
  std::optional<std::int64_t> factor;
  std::optional<std::chrono::milliseconds> max_backoff;
};

struct Application {
  std::string name;
  std::string file;                   // the Application's file:line, for messages
  std::string destination_namespace;  // empty when the Application names none
  std::vector<RenderRequest> sources;
  bool automated_prune = false;       // syncPolicy.automated.prune (with automated enabled)
  // syncPolicy.syncOptions as (name, value), in order: ("CreateNamespace", "true").
  std::vector<std::pair<std::string, std::string>> sync_options;
  std::optional<RetrySpec> retry;  // syncPolicy.retry, checked
  // syncPolicy.managedNamespaceMetadata: for the namespace CreateNamespace=true manages.
  std::map<std::string, std::string> namespace_labels;
  std::map<std::string, std::string> namespace_annotations;
  nlohmann::json ignore_differences = nlohmann::json::array();
  // Fields wavesync reads but does not act on, one line each (`spec.x: why`).
  std::vector<std::string> notes;

  // The value of sync option `name`, or nullopt when it is not set.
  [[nodiscard]] std::optional<std::string> sync_option(const std::string& name) const;
};

// Reads `app` (already loaded from its file) against the checkout at `repo_root`; an empty
// `repo_root` means there is no checkout.
Result<Application> read_application(const Resource& app, const std::string& repo_root);

// The top of the git checkout holding `dir` (the nearest ancestor with a `.git`), or empty.
std::string find_git_root(const std::string& dir);

}  // namespace wavesync::render
