#include "wavesync/hooks/hook_annotations.hpp"

#include <algorithm>
#include <array>

namespace wavesync {
namespace {

std::string trim(const std::string& s) {
  const char* ws = " \t\n\r\f\v";
  auto b = s.find_first_not_of(ws);
  if (b == std::string::npos) return {};
  auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::string where(const Resource& r, const char* annotation) {
  return r.annotation_source(annotation).file_line() + ": ";
}

// Helm hook types Argo CD knows but does not run during a sync: not worth a warning.
constexpr std::array<const char*, 8> k_helm_types_not_synced = {
    "pre-delete", "post-delete", "pre-rollback", "post-rollback",
    "test",       "test-success", "test-failure", "crd-install"};

template <typename T>
void add_unique(std::vector<T>& out, T v) {
  if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
}

struct Types {
  std::vector<Phase> phases;
  std::vector<HelmHook> helm;
  bool skip = false;
  bool any = false;          // at least one usable type (Skip counts)
  bool not_synced = false;   // a known type that only runs outside a sync (PreDelete, pre-rollback, ...)
};

Types argo_types(const Resource& r, std::vector<std::string>& warnings) {
  Types t;
  const std::string* value = r.annotation(k_annotation_hook);
  if (value == nullptr) return t;
  for (const std::string& item : split_annotation_list(*value)) {
    if (item == "PreSync") add_unique(t.phases, Phase::pre_sync);
    else if (item == "Sync") add_unique(t.phases, Phase::sync);
    else if (item == "PostSync") add_unique(t.phases, Phase::post_sync);
    else if (item == "SyncFail") add_unique(t.phases, Phase::sync_fail);
    else if (item == "Skip") t.skip = true;
    else if (item == "PreDelete" || item == "PostDelete") {
      // Not sync phases: Argo CD runs them only when an Application is deleted.
      t.not_synced = true;
      continue;
    } else {
      warnings.push_back(where(r, k_annotation_hook) + "unknown hook type \"" + item +
                         "\" ignored: expected PreSync, Sync, PostSync, SyncFail or Skip");
      continue;
    }
    t.any = true;
  }
  return t;
}

Types helm_types(const Resource& r, std::vector<std::string>& warnings) {
  Types t;
  const std::string* value = r.annotation(k_annotation_helm_hook);
  if (value == nullptr) return t;
  for (const std::string& item : split_annotation_list(*value)) {
    if (item == "pre-install") add_unique(t.helm, HelmHook::pre_install);
    else if (item == "pre-upgrade") add_unique(t.helm, HelmHook::pre_upgrade);
    else if (item == "post-install") add_unique(t.helm, HelmHook::post_install);
    else if (item == "post-upgrade") add_unique(t.helm, HelmHook::post_upgrade);
    else {
      bool known = std::find_if(k_helm_types_not_synced.begin(), k_helm_types_not_synced.end(),
                                [&](const char* k) { return item == k; }) != k_helm_types_not_synced.end();
      t.not_synced = t.not_synced || known;
      if (!known) {
        warnings.push_back(where(r, k_annotation_helm_hook) + "unknown Helm hook type \"" + item +
                           "\" ignored: expected pre-install, pre-upgrade, post-install or post-upgrade");
      }
      continue;
    }
    add_unique(t.phases, helm_hook_phase(t.helm.back()));
    t.any = true;
  }
  return t;
}

void read_policies(const Resource& r, const char* annotation, bool helm, std::vector<DeletePolicy>& out,
                   std::vector<std::string>& warnings) {
  const std::string* value = r.annotation(annotation);
  if (value == nullptr) return;
  for (const std::string& item : split_annotation_list(*value)) {
    if (item == (helm ? "before-hook-creation" : "BeforeHookCreation")) add_unique(out, DeletePolicy::before_hook_creation);
    else if (item == (helm ? "hook-succeeded" : "HookSucceeded")) add_unique(out, DeletePolicy::hook_succeeded);
    else if (item == (helm ? "hook-failed" : "HookFailed")) add_unique(out, DeletePolicy::hook_failed);
    else {
      warnings.push_back(where(r, annotation) + "unknown hook delete policy \"" + item + "\" ignored: expected " +
                         (helm ? "before-hook-creation, hook-succeeded or hook-failed"
                               : "BeforeHookCreation, HookSucceeded or HookFailed"));
    }
  }
}

}  // namespace

std::vector<std::string> split_annotation_list(const std::string& value) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= value.size()) {
    auto comma = value.find(',', start);
    if (comma == std::string::npos) comma = value.size();
    std::string item = trim(value.substr(start, comma - start));
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
    start = comma + 1;
  }
  return out;
}

bool has_hook_annotation(const Resource& resource) {
  if (resource.annotation(k_annotation_hook) != nullptr) return true;
  const std::string* helm = resource.annotation(k_annotation_helm_hook);
  // Helm calls crd-install a hook, but Argo CD treats such an object as a normal resource.
  return helm != nullptr && *helm != "crd-install";
}

DeleteHookTypes read_delete_hook(const Resource& resource) {
  DeleteHookTypes types;
  auto has = [&](const char* annotation, const char* value) {
    const std::string* text = resource.annotation(annotation);
    if (text == nullptr) return false;
    const auto items = split_annotation_list(*text);
    return std::find(items.begin(), items.end(), value) != items.end();
  };
  types.pre_delete = has(k_annotation_hook, "PreDelete") || has(k_annotation_helm_hook, "pre-delete");
  types.post_delete = has(k_annotation_hook, "PostDelete") || has(k_annotation_helm_hook, "post-delete");
  return types;
}

HookReading read_hook(const Resource& resource) {
  HookReading reading;
  if (!has_hook_annotation(resource)) return reading;

  Types argo = argo_types(resource, reading.warnings);
  // Argo CD ignores Helm hook types as soon as one valid Argo CD type is present
  // (gitops-engine hook.Types), Skip included.
  Types types = argo;
  if (!argo.any) {
    types = helm_types(resource, reading.warnings);
    types.not_synced = types.not_synced || argo.not_synced;
  }

  HookSpec spec;
  spec.skip = argo.skip;
  spec.phases = types.phases;
  std::sort(spec.phases.begin(), spec.phases.end());
  spec.helm = types.helm;
  std::sort(spec.helm.begin(), spec.helm.end());
  read_policies(resource, k_annotation_hook_delete_policy, false, spec.delete_policies, reading.warnings);
  read_policies(resource, k_annotation_helm_hook_delete_policy, true, spec.delete_policies, reading.warnings);
  if (spec.delete_policies.empty()) spec.delete_policies.push_back(DeletePolicy::before_hook_creation);
  std::sort(spec.delete_policies.begin(), spec.delete_policies.end());

  // A hook without a usable phase is dropped entirely (gitops-engine ignore.go): say so,
  // unless the user asked for exactly that with Skip or a type that only runs outside a sync.
  if (spec.phases.empty() && !spec.skip && !types.not_synced) {
    const char* annotation =
        resource.annotation(k_annotation_hook) != nullptr ? k_annotation_hook : k_annotation_helm_hook;
    std::string name = resource.name().empty() ? resource.generate_name() : resource.name();
    reading.warnings.push_back(where(resource, annotation) + resource.kind() + " " + name +
                               " has no usable hook type and will not be applied");
  }
  reading.hook = std::move(spec);
  return reading;
}

}  // namespace wavesync
