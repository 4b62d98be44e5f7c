// What to render and how: a directory of manifests, a kustomization or a Helm chart, with the
// options Argo CD's repo server takes from an Application source (reposerver/repository/
// repository.go, GenerateManifests). Value types only.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wavesync::render {

enum class SourceKind { directory, kustomize, helm };

// `spec.source.directory`. Argo CD reads only the top directory unless `recurse`; include and
// exclude are globs on the path relative to the source directory (`*` also matches `/`,
// `{a,b}` alternatives).
struct DirectoryOptions {
  bool recurse = false;
  std::string include;
  std::string exclude;
};

// `spec.source.kustomize`: what Argo CD sets with `kustomize edit` before `kustomize build`.
struct KustomizeOptions {
  std::string name_prefix;
  std::string name_suffix;
  std::string namespace_name;
  std::vector<std::string> images;  // `kustomize edit set image` arguments
  std::vector<std::pair<std::string, long long>> replicas;
  std::map<std::string, std::string> common_labels;
  std::map<std::string, std::string> common_annotations;
  bool force_common_labels = false;
  bool force_common_annotations = false;
  bool label_without_selector = false;
  bool label_include_templates = false;
  nlohmann::json patches = nlohmann::json::array();
  std::vector<std::string> components;
  bool ignore_missing_components = false;

  // True when any option asks for an edit of the kustomization.
  [[nodiscard]] bool edits() const;
};

// `helm template` inputs: `--values`, `--set`, `--set-string`, `--set-file`, the release name and
// the values Argo CD writes to a file of its own (`values` / `valuesObject`).
struct HelmOptions {
  std::string release_name;    // empty: the caller's default
  std::string namespace_name;  // empty: the sync's namespace
  std::vector<std::string> value_files;  // as written: relative to the chart, `/` = repo root
  bool ignore_missing_value_files = false;
  std::string values_yaml;  // inline values; empty: none
  std::vector<std::pair<std::string, std::string>> set;
  std::vector<std::pair<std::string, std::string>> set_string;
  std::vector<std::pair<std::string, std::string>> set_file;
  bool skip_crds = false;
  bool skip_tests = false;
  bool skip_schema_validation = false;
  std::string kube_version;
  std::vector<std::string> api_versions;
};

struct RenderRequest {
  std::string path;                 // the directory to render
  std::optional<SourceKind> kind;   // nullopt: detected from the directory's files
  std::string repo_root;            // value files and kustomize edits stay inside it; empty: `path`
  DirectoryOptions directory;
  KustomizeOptions kustomize;
  HelmOptions helm;
};

}  // namespace wavesync::render
