// Reads Argo CD and Helm hook annotations into a HookSpec, the way Argo CD's sync engine
// does (gitops-engine pkg/sync/hook/hook.go Types, pkg/sync/hook/helm, pkg/sync/common/types.go
// NewHookType). Pure: a Resource in, a value out.
#pragma once

#include "wavesync/hooks/hook.hpp"
#include "wavesync/model/resource.hpp"

#include <optional>
#include <string>
#include <vector>

namespace wavesync {

inline constexpr const char* k_annotation_hook = "argocd.argoproj.io/hook";
inline constexpr const char* k_annotation_hook_delete_policy = "argocd.argoproj.io/hook-delete-policy";
inline constexpr const char* k_annotation_helm_hook = "helm.sh/hook";
inline constexpr const char* k_annotation_helm_hook_delete_policy = "helm.sh/hook-delete-policy";

struct HookReading {
  // nullopt: an ordinary resource, applied in the Sync phase. Otherwise a hook; when its
  // `phases` is empty it is never applied (`Skip` alone, or no usable hook type).
  std::optional<HookSpec> hook;
  // Each starts with `file:line: ` of the annotation.
  std::vector<std::string> warnings;
};

// True when the object carries an Argo CD or Helm hook annotation that makes it a hook
// (Helm's `crd-install` alone does not), whether or not any type is usable.
[[nodiscard]] bool has_hook_annotation(const Resource& resource);

[[nodiscard]] HookReading read_hook(const Resource& resource);

// Which deletion hooks an object is. They run only when the whole set is deleted (`wavesync
// delete`), never during a sync.
struct DeleteHookTypes {
  bool pre_delete = false;   // before anything is deleted
  bool post_delete = false;  // after everything is gone
  [[nodiscard]] bool any() const { return pre_delete || post_delete; }
};

// Argo CD's controller/hook.go isHookOfType: `PreDelete`/`PostDelete` in
// argocd.argoproj.io/hook, or Helm's `pre-delete`/`post-delete` in helm.sh/hook. Both
// annotations are read (for sync hooks Argo CD's types hide Helm's; here they do not).
[[nodiscard]] DeleteHookTypes read_delete_hook(const Resource& resource);

// Splits a comma list, trims blanks, drops empty items and duplicates, keeps order
// (Argo CD's GetAnnotationCSVs).
[[nodiscard]] std::vector<std::string> split_annotation_list(const std::string& value);

}  // namespace wavesync
