#include "wavesync/render/application.hpp"
#include "wavesync/model/json_fields.hpp"

#include "wavesync/model/duration.hpp"

#include <glob.h>

#include <filesystem>
#include <map>

namespace wavesync::render {

namespace fs = std::filesystem;

namespace {

using Vars = std::map<std::string, std::string>;

// Argo CD's Env.Envsubst (os.Expand over the ARGOCD_APP_* variables): `$NAME` and `${NAME}`,
// unknown names become empty, `$$` is `$`.
std::string envsubst(const std::string& text, const Vars& vars) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '$' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    std::string name;
    if (text[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    if (text[i + 1] == '{') {
      const std::size_t close = text.find('}', i + 2);
      if (close == std::string::npos) {
        out += text.substr(i);
        break;
      }
      name = text.substr(i + 2, close - i - 2);
      i = close;
    } else {
      std::size_t j = i + 1;
      while (j < text.size() && (std::isalnum(static_cast<unsigned char>(text[j])) != 0 || text[j] == '_')) ++j;
      if (j == i + 1) {
        out += '$';
        continue;
      }
      name = text.substr(i + 1, j - i - 1);
      i = j - 1;
    }
    if (auto it = vars.find(name); it != vars.end()) out += it->second;
  }
  return out;
}

const nlohmann::json& field(const nlohmann::json& object, const char* key) {
  static const nlohmann::json null;
  if (!object.is_object()) return null;
  auto it = object.find(key);
  return it == object.end() ? null : *it;
}

std::vector<std::string> strings_at(const nlohmann::json& object, const char* key) {
  std::vector<std::string> out;
  for (const nlohmann::json& item : field(object, key))
    if (item.is_string()) out.push_back(item.get<std::string>());
  return out;
}

// `https://github.com/org/repo.git/` and `https://github.com/Org/repo` name one repository.
std::string normalize_repo_url(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  if (url.size() > 4 && url.compare(url.size() - 4, 4, ".git") == 0) url.resize(url.size() - 4);
  for (char& c : url) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return url;
}

// A path inside the checkout: `relative` against `base`, an absolute path against the root
// (Argo CD's util/io/path resolveFileOrDirectory); leaving the checkout is an error.
Result<std::string> inside_checkout(const std::string& base, const std::string& repo_root, const std::string& path,
                                    const std::string& what) {
  fs::path joined = path.starts_with("/") ? fs::path(repo_root) / path.substr(1) : fs::path(base) / path;
  joined = joined.lexically_normal();
  const fs::path rel = joined.lexically_relative(fs::path(repo_root).lexically_normal());
  if (rel.empty() || *rel.begin() == "..") return make_error(what + " " + path + ": resolves outside the checkout " + repo_root);
  return joined.string();
}

// `path` relative to the working directory when it is below it, for shorter source locations.
std::string shorter(const std::string& path) {
  std::error_code ec;
  const fs::path cwd = fs::current_path(ec);
  if (ec) return path;
  const fs::path rel = fs::path(path).lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return path;
  return rel.string();
}

struct Context {
  const std::string& at;  // file:line of the Application
  const std::string& repo_root;
  Vars vars;
  std::vector<std::string>* notes;
  Error fail(const std::string& message) const { return make_error(at + ": " + message); }
};

// syncPolicy.retry: limit (an integer), backoff.duration and backoff.maxDuration (a Go
// duration or a bare number of seconds, parseStringToDuration), backoff.factor (an integer).
Result<RetrySpec> read_retry(const nlohmann::json& retry, const Context& ctx) {
  if (!retry.is_object()) return ctx.fail("spec.syncPolicy.retry: expected an object");
  RetrySpec spec;
  if (const nlohmann::json& limit = field(retry, "limit"); !limit.is_null()) {
    if (!limit.is_number_integer()) return ctx.fail("spec.syncPolicy.retry.limit: expected an integer");
    spec.limit = limit.get<std::int64_t>();
  }
  const nlohmann::json& backoff = field(retry, "backoff");
  if (backoff.is_null()) return spec;
  if (!backoff.is_object()) return ctx.fail("spec.syncPolicy.retry.backoff: expected an object");
  auto duration = [&](const char* key, std::optional<std::chrono::milliseconds>& out) -> Result<void> {
    const nlohmann::json& value = field(backoff, key);
    if (value.is_null() || (value.is_string() && value.get<std::string>().empty())) return {};
    const std::string name = std::string("spec.syncPolicy.retry.backoff.") + key;
    if (!value.is_string()) return ctx.fail(name + ": expected a duration such as 5s or 3m");
    auto parsed = parse_duration(name, value.get<std::string>());
    if (!parsed) return ctx.fail(parsed.error().message);
    out = *parsed;
    return {};
  };
  if (auto ok = duration("duration", spec.backoff); !ok) return ok.error();
  if (auto ok = duration("maxDuration", spec.max_backoff); !ok) return ok.error();
  if (const nlohmann::json& factor = field(backoff, "factor"); !factor.is_null()) {
    if (!factor.is_number_integer() || factor.get<std::int64_t>() < 1)
      return ctx.fail("spec.syncPolicy.retry.backoff.factor: expected a positive integer");
    spec.factor = factor.get<std::int64_t>();
  }
  return spec;
}

Result<std::vector<std::string>> value_files(const nlohmann::json& helm, const std::string& app_path,
                                             const std::string& field_name, const Context& ctx) {
  std::vector<std::string> out;
  const bool ignore_missing = bool_at(helm, {"ignoreMissingValueFiles"});
  for (const std::string& raw : strings_at(helm, "valueFiles")) {
    // `$name/...` names another source's checkout (a `ref`); Argo CD resolves it before envsubst.
    const bool argocd_variable = raw.starts_with("$ARGOCD_") || raw.starts_with("${ARGOCD_");
    const std::string file = envsubst(raw, ctx.vars);
    if (raw.starts_with("$") && !argocd_variable)
      return ctx.fail(field_name + ".helm.valueFiles " + raw +
                      ": values from another source ($ref) are not supported: use a path in this checkout");
    if (file.find("://") != std::string::npos) {
      out.push_back(file);  // helm fetches it, as under Argo CD
      continue;
    }
    auto path = inside_checkout(app_path, ctx.repo_root, file, field_name + ".helm.valueFiles");
    if (!path) return ctx.fail(path.error().message);
    if (path->find_first_of("*?[") != std::string::npos) {
      glob_t matches{};
      const int rc = ::glob(path->c_str(), 0, nullptr, &matches);
      std::vector<std::string> found(matches.gl_pathv, matches.gl_pathv + (rc == 0 ? matches.gl_pathc : 0));
      ::globfree(&matches);
      if (found.empty() && !ignore_missing)
        return ctx.fail(field_name + ".helm.valueFiles " + raw + ": matches no file");
      out.insert(out.end(), found.begin(), found.end());
      continue;
    }
    std::error_code ec;
    if (!fs::exists(*path, ec)) {
      if (ignore_missing) continue;
      return ctx.fail(field_name + ".helm.valueFiles " + raw + ": no such file (" + *path + ")");
    }
    out.push_back(*path);
  }
  return out;
}

Result<void> read_helm(const nlohmann::json& helm, const std::string& app_path, const std::string& field_name,
                       const std::string& app_name, const std::string& destination_namespace, HelmOptions& out,
                       const Context& ctx) {
  out.release_name = string_at(helm, {"releaseName"});
  if (out.release_name.empty()) out.release_name = app_name;
  out.namespace_name = string_at(helm, {"namespace"});
  if (out.namespace_name.empty()) out.namespace_name = destination_namespace;
  auto files = value_files(helm, app_path, field_name, ctx);
  if (!files) return files.error();
  out.value_files = std::move(*files);
  out.ignore_missing_value_files = bool_at(helm, {"ignoreMissingValueFiles"});
  // valuesObject wins over values (ApplicationSourceHelm.ValuesYAML); JSON is YAML to helm.
  if (const nlohmann::json& object = field(helm, "valuesObject"); object.is_object() && !object.empty())
    out.values_yaml = object.dump();
  else out.values_yaml = string_at(helm, {"values"});
  for (const nlohmann::json& p : field(helm, "parameters")) {
    const std::string name = string_at(p, {"name"});
    const std::string value = envsubst(string_at(p, {"value"}), ctx.vars);
    (bool_at(p, {"forceString"}) ? out.set_string : out.set).emplace_back(name, value);
  }
  for (const nlohmann::json& p : field(helm, "fileParameters")) {
    auto path = inside_checkout(app_path, ctx.repo_root, envsubst(string_at(p, {"path"}), ctx.vars),
                                field_name + ".helm.fileParameters");
    if (!path) return ctx.fail(path.error().message);
    out.set_file.emplace_back(string_at(p, {"name"}), *path);
  }
  out.skip_crds = bool_at(helm, {"skipCrds"});
  out.skip_tests = bool_at(helm, {"skipTests"});
  out.skip_schema_validation = bool_at(helm, {"skipSchemaValidation"});
  out.kube_version = string_at(helm, {"kubeVersion"});
  out.api_versions = strings_at(helm, "apiVersions");
  if (!string_at(helm, {"version"}).empty())
    ctx.notes->push_back(field_name + ".helm.version: the helm on PATH renders the chart");
  return {};
}

Result<void> read_kustomize(const nlohmann::json& k, const std::string& field_name, KustomizeOptions& out,
                            const Context& ctx) {
  out.name_prefix = string_at(k, {"namePrefix"});
  out.name_suffix = string_at(k, {"nameSuffix"});
  out.namespace_name = string_at(k, {"namespace"});
  for (const std::string& image : strings_at(k, "images")) out.images.push_back(envsubst(image, ctx.vars));
  for (const nlohmann::json& r : field(k, "replicas")) {
    const nlohmann::json& count = field(r, "count");
    long long n = 0;
    if (count.is_number_integer()) {
      n = count.get<long long>();
    } else {
      try {
        std::size_t used = 0;
        n = std::stoll(count.is_string() ? count.get<std::string>() : "", &used);
        if (used != count.get<std::string>().size()) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        return ctx.fail(field_name + ".kustomize.replicas " + string_at(r, {"name"}) + ": count " + count.dump() +
                        ": expected an integer");
      }
    }
    out.replicas.emplace_back(string_at(r, {"name"}), n);
  }
  if (const nlohmann::json& labels = field(k, "commonLabels"); labels.is_object())
    for (const auto& [key, value] : labels.items())
      if (value.is_string()) out.common_labels[key] = envsubst(value.get<std::string>(), ctx.vars);
  const bool subst_annotations = bool_at(k, {"commonAnnotationsEnvsubst"});
  if (const nlohmann::json& annotations = field(k, "commonAnnotations"); annotations.is_object())
    for (const auto& [key, value] : annotations.items())
      if (value.is_string())
        out.common_annotations[key] = subst_annotations ? envsubst(value.get<std::string>(), ctx.vars) : value.get<std::string>();
  out.force_common_labels = bool_at(k, {"forceCommonLabels"});
  out.force_common_annotations = bool_at(k, {"forceCommonAnnotations"});
  out.label_without_selector = bool_at(k, {"labelWithoutSelector"});
  out.label_include_templates = bool_at(k, {"labelIncludeTemplates"});
  if (const nlohmann::json& patches = field(k, "patches"); patches.is_array()) out.patches = patches;
  out.components = strings_at(k, "components");
  out.ignore_missing_components = bool_at(k, {"ignoreMissingComponents"});
  if (!string_at(k, {"version"}).empty())
    ctx.notes->push_back(field_name + ".kustomize.version: the kustomize (or kubectl) on PATH renders it");
  if (!string_at(k, {"kubeVersion"}).empty() || !strings_at(k, "apiVersions").empty())
    ctx.notes->push_back(field_name + ".kustomize.kubeVersion/apiVersions: used only with --enable-helm build options, which wavesync does not pass");
  return {};
}

// One source, or nullopt for a `ref`-only source (it only lends its files to value files).
Result<std::optional<RenderRequest>> read_source(const nlohmann::json& s, const std::string& name, Application& app,
                                                 const std::string& first_repo, Context& ctx) {
  if (!s.is_object()) return ctx.fail(name + ": expected an object");
  const std::string repo_url = string_at(s, {"repoURL"});
  if (repo_url.empty()) return ctx.fail(name + ".repoURL: missing");
  if (!string_at(s, {"chart"}).empty())
    return ctx.fail(name + ".chart " + string_at(s, {"chart"}) + ": a chart from the Helm repository " + repo_url +
                    " cannot be rendered from a local checkout: vendor the chart into the repository and use path");
  if (s.contains("plugin"))
    return ctx.fail(name + ".plugin: config management plugins are not supported: render the manifests yourself and pass them to wavesync");
  if (const nlohmann::json& jsonnet = field(field(s, "directory"), "jsonnet"); jsonnet.is_object() && !jsonnet.empty())
    return ctx.fail(name + ".directory.jsonnet: Jsonnet is not supported: render it to YAML and pass that to wavesync");
  const std::string path = string_at(s, {"path"});
  if (!string_at(s, {"ref"}).empty() && path.empty()) return std::optional<RenderRequest>{};
  if (ctx.repo_root.empty())
    return ctx.fail(name + ".repoURL " + repo_url + ": no local checkout: the Application's file is not inside a git checkout: pass --repo DIR");
  if (!first_repo.empty() && normalize_repo_url(first_repo) != normalize_repo_url(repo_url))
    return ctx.fail(name + ".repoURL " + repo_url + ": no local checkout: --repo " + ctx.repo_root +
                    " is the checkout of " + first_repo);
  // ApplicationSource.ExplicitType, with Argo CD's type names.
  std::vector<std::string> types;
  for (const auto& [key, type] : {std::pair{"kustomize", "Kustomize"}, {"helm", "Helm"}, {"directory", "Directory"}})
    if (s.contains(key)) types.emplace_back(type);
  if (types.size() > 1)
    return ctx.fail(name + ": multiple application sources defined: " + types[0] + "," + types[1]);
  auto dir = inside_checkout(ctx.repo_root, ctx.repo_root, path.empty() ? "." : path, name + ".path");
  if (!dir) return ctx.fail(dir.error().message);
  const std::string app_path = *dir;
  std::error_code ec;
  if (!fs::is_directory(app_path, ec))
    return ctx.fail(name + ".path " + path + ": no such directory in the checkout " + ctx.repo_root);
  const std::string revision = string_at(s, {"targetRevision"});
  if (!revision.empty() && revision != "HEAD")
    ctx.notes->push_back(name + ".targetRevision " + revision +
                         ": rendered from the checkout as it is (wavesync checks out no revision)");
  ctx.vars["ARGOCD_APP_SOURCE_REPO_URL"] = repo_url;
  ctx.vars["ARGOCD_APP_SOURCE_PATH"] = path;
  ctx.vars["ARGOCD_APP_SOURCE_TARGET_REVISION"] = revision;

  RenderRequest request;
  request.path = shorter(app_path);
  request.repo_root = ctx.repo_root;
  if (s.contains("kustomize")) {
    request.kind = SourceKind::kustomize;
    auto r = read_kustomize(field(s, "kustomize"), name, request.kustomize, ctx);
    if (!r) return r.error();
  } else if (s.contains("helm")) {
    request.kind = SourceKind::helm;
  } else if (s.contains("directory")) {
    request.kind = SourceKind::directory;
    const nlohmann::json& d = field(s, "directory");
    request.directory.recurse = bool_at(d, {"recurse"});
    request.directory.include = string_at(d, {"include"});
    request.directory.exclude = string_at(d, {"exclude"});
    if (bool_at(d, {"disableExtensionFilter"}))
      ctx.notes->push_back(name + ".directory.disableExtensionFilter: only .yaml, .yml and .json files are read");
  }
  // Helm options apply to a detected chart too, as Argo CD reads them whenever the source is Helm.
  auto r = read_helm(field(s, "helm"), app_path, name, app.name, app.destination_namespace, request.helm, ctx);
  if (!r) return r.error();
  return std::optional<RenderRequest>(std::move(request));
}

}  // namespace

std::optional<std::string> Application::sync_option(const std::string& option) const {
  for (const auto& [key, value] : sync_options)
    if (key == option) return value;
  return std::nullopt;
}

std::string find_git_root(const std::string& dir) {
  std::error_code ec;
  fs::path at = fs::absolute(dir, ec).lexically_normal();
  if (ec) return "";
  for (;;) {
    if (fs::exists(at / ".git", ec)) return at.string();
    if (!at.has_parent_path() || at.parent_path() == at) return "";
    at = at.parent_path();
  }
}

Result<Application> read_application(const Resource& resource, const std::string& repo_root) {
  Application app;
  app.file = resource.source.file_line();
  Context ctx{app.file, repo_root, {}, &app.notes};
  if (resource.api_version() != "argoproj.io/v1alpha1" || resource.kind() != "Application")
    return ctx.fail("expected an Argo CD Application (apiVersion argoproj.io/v1alpha1, kind Application), found " +
                    resource.api_version() + " " + resource.kind());
  app.name = resource.name();
  if (app.name.empty()) return ctx.fail("metadata.name: missing");
  const nlohmann::json object = resource.object();
  const nlohmann::json& spec = field(object, "spec");
  if (!spec.is_object()) return ctx.fail("spec: missing");
  if (spec.contains("sourceHydrator"))
    return ctx.fail("spec.sourceHydrator: not supported: point wavesync at the hydrated manifests (--argocd-app with spec.source)");
  const nlohmann::json& destination = field(spec, "destination");
  app.destination_namespace = string_at(destination, {"namespace"});
  const std::string server = string_at(destination, {"server"});
  const std::string cluster = string_at(destination, {"name"});
  if ((!server.empty() && server != "https://kubernetes.default.svc") || (!cluster.empty() && cluster != "in-cluster"))
    app.notes.push_back("spec.destination " + (server.empty() ? cluster : server) +
                        ": wavesync syncs to the kubeconfig's context (--kubeconfig, --context)");
  const std::string project = string_at(spec, {"project"});
  if (!project.empty() && project != "default")
    app.notes.push_back("spec.project " + project + ": AppProject restrictions are not checked");
  ctx.vars = {{"ARGOCD_APP_NAME", app.name},
              {"ARGOCD_APP_NAMESPACE", app.destination_namespace},
              {"ARGOCD_APP_PROJECT_NAME", project.empty() ? "default" : project}};

  std::vector<std::pair<std::string, const nlohmann::json*>> sources;
  if (const nlohmann::json& list = field(spec, "sources"); list.is_array() && !list.empty()) {
    for (std::size_t i = 0; i < list.size(); ++i) sources.emplace_back("spec.sources[" + std::to_string(i) + "]", &list[i]);
  } else if (field(spec, "source").is_object()) {
    sources.emplace_back("spec.source", &field(spec, "source"));
  } else {
    return ctx.fail("spec.source: missing: an Application needs spec.source or spec.sources");
  }
  std::string first_repo;
  for (const auto& [name, source] : sources) {
    auto request = read_source(*source, name, app, first_repo, ctx);
    if (!request) return request.error();
    if (!*request) continue;
    if (first_repo.empty()) first_repo = string_at(*source, {"repoURL"});
    app.sources.push_back(std::move(**request));
  }
  if (app.sources.empty()) return ctx.fail("spec.sources: no source with a path to render");

  const nlohmann::json& policy = field(spec, "syncPolicy");
  const nlohmann::json& automated = field(policy, "automated");
  if (automated.is_object() && !(field(automated, "enabled").is_boolean() && !automated["enabled"].get<bool>())) {
    app.automated_prune = bool_at(automated, {"prune"});
    if (bool_at(automated, {"selfHeal"}))
      app.notes.push_back("spec.syncPolicy.automated.selfHeal: wavesync syncs once; nothing watches for drift afterwards");
    if (bool_at(automated, {"allowEmpty"}))
      app.notes.push_back("spec.syncPolicy.automated.allowEmpty: not checked: an empty render prunes everything with --prune");
  }
  for (const std::string& option : strings_at(policy, "syncOptions")) {
    const std::size_t eq = option.find('=');
    if (eq == std::string::npos || eq == 0)
      return ctx.fail("spec.syncPolicy.syncOptions \"" + option + "\": expected Name=value");
    app.sync_options.emplace_back(option.substr(0, eq), option.substr(eq + 1));
  }
  if (const nlohmann::json& retry = field(policy, "retry"); !retry.is_null()) {
    auto spec = read_retry(retry, ctx);
    if (!spec) return spec.error();
    app.retry = *spec;
  }
  if (const nlohmann::json& metadata = field(policy, "managedNamespaceMetadata"); !metadata.is_null()) {
    if (!metadata.is_object()) return ctx.fail("spec.syncPolicy.managedNamespaceMetadata: expected an object");
    for (const auto& [key, out] : {std::pair<const char*, std::map<std::string, std::string>*>{"labels", &app.namespace_labels},
                                   {"annotations", &app.namespace_annotations}}) {
      const nlohmann::json& values = field(metadata, key);
      if (values.is_null()) continue;
      const std::string name = std::string("spec.syncPolicy.managedNamespaceMetadata.") + key;
      if (!values.is_object()) return ctx.fail(name + ": expected a map of strings");
      for (const auto& [k, v] : values.items()) {
        if (!v.is_string()) return ctx.fail(name + "." + k + ": expected a string");
        (*out)[k] = v.get<std::string>();
      }
    }
  }
  if (const nlohmann::json& ignore = field(spec, "ignoreDifferences"); ignore.is_array()) app.ignore_differences = ignore;
  return app;
}

}  // namespace wavesync::render
