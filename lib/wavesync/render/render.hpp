// Inputs that are not plain manifests, rendered as Argo CD's repo server renders them: a
// kustomization with `kustomize build` (else `kubectl kustomize`), a Helm chart with `helm
// template`, a directory source with Argo CD's recurse/include/exclude. The renderer runs
// through a ProcessRunner; its output is read by manifest/ like any manifest. Each object's
// source is the kustomization file, or the chart template helm names in `# Source:`.
#pragma once

#include "wavesync/manifest/loader.hpp"
#include "wavesync/model/result.hpp"
#include "wavesync/render/process.hpp"
#include "wavesync/render/request.hpp"

#include <istream>
#include <string>
#include <vector>

namespace wavesync::render {

// The kustomization file in `dir` (kustomization.yaml, kustomization.yml or Kustomization, as
// Argo CD's util/kustomize KustomizationNames), or empty when there is none.
std::string kustomization_file(const std::string& dir);

// What Argo CD would render `dir` as (util/app/discovery, AppType): kustomize when it holds a
// kustomization file, else helm when it holds Chart.yaml, else a directory of manifests.
SourceKind detect_kind(const std::string& dir);

// Renders one source. `load` gives the namespace for objects without one (and Helm's
// `--namespace` unless the request names one) and the namespace policy.
Result<manifest::LoadResult> render_source(const RenderRequest& request, const manifest::LoadOptions& load,
                                    ProcessRunner& runner);

// The command-line form: every path is read as `wavesync plan` reads it, except that a
// directory holding a kustomization or Chart.yaml is rendered (Helm with `helm`); each of
// `kustomize_dirs` (`-k`) must hold a kustomization. Resources in argument order.
Result<manifest::LoadResult> load_inputs(const std::vector<std::string>& paths,
                                         const std::vector<std::string>& kustomize_dirs, const HelmOptions& helm,
                                         const manifest::LoadOptions& load, ProcessRunner& runner,
                                         std::istream& stdin_stream);

// `--set` values as Argo CD passes them to helm (util/helm/cmd.go, cleanSetParameters):
// unescaped commas are escaped unless the value is a `{...}` list.
std::string clean_set_value(const std::string& value);

// Replaces each resource's source with the template helm names in the `# Source: chart/...`
// comment above it (`chart_dir` stands for the chart's own name); `rendered` is helm's output.
void locate_helm_templates(std::vector<Resource>& resources, const std::string& rendered,
                           const std::string& chart_dir);

}  // namespace wavesync::render
