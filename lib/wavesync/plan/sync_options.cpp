#include "wavesync/hooks/hook_annotations.hpp"
#include "wavesync/plan/plan.hpp"

namespace wavesync {

namespace {
constexpr const char* k_annotation_sync_options = "argocd.argoproj.io/sync-options";
}

bool SyncOptions::has(const std::string& name, const std::string& value) const {
  auto it = values.find(name);
  return it != values.end() && it->second == value;
}

SyncOptions parse_sync_options(const Resource& resource, std::vector<std::string>& warnings) {
  SyncOptions options;
  const std::string* text = resource.annotation(k_annotation_sync_options);
  if (text == nullptr) return options;
  // Argo CD compares whole items such as `Prune=false`, so a later duplicate name with a
  // different value is also honoured there; keeping the last one is the closest map form.
  for (const std::string& item : split_annotation_list(*text)) {
    auto eq = item.find('=');
    if (eq == std::string::npos) {
      warnings.push_back(resource.annotation_source(k_annotation_sync_options).file_line() +
                         ": invalid sync option \"" + item + "\": expected Name=value, such as Prune=false");
      options.values[item] = "";
      continue;
    }
    options.values[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return options;
}

Result<AppSyncOptions> parse_app_sync_options(const std::vector<std::string>& items) {
  AppSyncOptions options;
  for (const std::string& item : items) {
    const auto eq = item.find('=');
    const std::string name = item.substr(0, eq);
    const std::string value = eq == std::string::npos ? std::string() : item.substr(eq + 1);
    auto boolean = [&](std::optional<bool>& field) -> Result<void> {
      if (value != "true" && value != "false") {
        return make_error("--sync-option " + item + ": expected " + name + "=true or " + name + "=false");
      }
      field = value == "true";
      return {};
    };
    Result<void> ok;
    if (name == "CreateNamespace") ok = boolean(options.create_namespace);
    else if (name == "ApplyOutOfSyncOnly") ok = boolean(options.apply_out_of_sync_only);
    else if (name == "PruneLast") ok = boolean(options.prune_last);
    else if (name == "PrunePropagationPolicy") {
      if (value != "foreground" && value != "background" && value != "orphan") {
        ok = make_error("--sync-option " + item + ": expected PrunePropagationPolicy=foreground, background or orphan");
      } else {
        options.prune_propagation = value;
      }
    } else if (item == "ServerSideApply=true") {
      continue;
    } else {
      ok = make_error("--sync-option " + item +
                      ": not supported; supported: CreateNamespace, ApplyOutOfSyncOnly, PrunePropagationPolicy, "
                      "PruneLast (=true|false) and ServerSideApply=true");
    }
    if (!ok) return ok.error();
  }
  return options;
}

}  // namespace wavesync
