// Health scripts: where they come from (argocd-cm, directories), which one applies, and what
// its returned value means. Semantics of argo-cd util/lua/lua.go (GetHealthScript,
// ExecuteHealthLua) and util/settings/settings.go (GetResourceOverrides).
#include "wavesync/health/scripts.hpp"

#include "wavesync/health/fields.hpp"

#include <algorithm>
#include <cctype>

namespace wavesync::health {

namespace {

constexpr std::string_view k_customizations = "resource.customizations";

bool equal_fold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// Go's strconv.ParseBool.
std::optional<bool> parse_go_bool(std::string_view text) {
  for (std::string_view t : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (text == t) return true;
  }
  for (std::string_view f : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (text == f) return false;
  }
  return std::nullopt;
}

// settings.go convertToOverrideKey: `group_Kind` -> `group/Kind`, `Kind` stays.
std::optional<std::string> override_key(std::string_view group_kind) {
  auto underscore = group_kind.find('_');
  if (underscore == std::string_view::npos) {
    if (group_kind.empty()) return std::nullopt;
    return std::string(group_kind);
  }
  if (group_kind.find('_', underscore + 1) != std::string_view::npos) return std::nullopt;
  return std::string(group_kind.substr(0, underscore)) + "/" + std::string(group_kind.substr(underscore + 1));
}

bool is_pattern(std::string_view key) { return key.find_first_of("*?[{") != std::string_view::npos; }

const HealthScript* find_in(const std::map<std::string, HealthScript>& scripts, const std::string& key,
                            Separator separator) {
  if (auto it = scripts.find(key); it != scripts.end()) return &it->second;
  for (const auto& [pattern, script] : scripts) {
    if (is_pattern(pattern) && glob_match(pattern, key, separator)) return &script;
  }
  return nullptr;
}

}  // namespace

std::string config_map_key(const std::string& group, const std::string& kind) {
  return group.empty() ? kind : group + "/" + kind;
}

Scripts::Scripts(lua::Limits limits) : sandbox_(std::make_unique<lua::Sandbox>(limits)) {}

Result<void> Scripts::add_argocd_cm(const nlohmann::json& data, const nlohmann::json& block, const std::string& origin) {
  std::map<std::string, HealthScript> found;
  if (block.is_object()) {
    for (const auto& [key, value] : block.items()) {
      if (!value.is_object()) continue;
      std::string where = origin + " " + std::string(k_customizations) + " \"" + key + "\"";
      auto lua = value.find("health.lua");
      if (lua == value.end() || lua->is_null()) continue;
      if (!lua->is_string()) return make_error(where + ": health.lua is not a string");
      bool open = false;
      if (auto libs = value.find("health.lua.useOpenLibs"); libs != value.end() && !libs->is_null()) {
        if (!libs->is_boolean()) return make_error(where + ": health.lua.useOpenLibs is not a boolean");
        open = libs->get<bool>();
      }
      found[key] = HealthScript{key, {where, lua->get<std::string>()},
                                open ? lua::Libraries::open : lua::Libraries::argo};
    }
  }
  if (data.is_object()) {
    std::map<std::string, bool> open_libs;
    for (const auto& [key, value] : data.items()) {
      if (key.rfind(k_customizations, 0) != 0) continue;
      // resource.customizations.<type>.<group_kind>: four parts split on the first three dots.
      std::vector<std::string> parts;
      std::size_t start = 0;
      while (parts.size() < 3) {
        auto dot = key.find('.', start);
        if (dot == std::string::npos) break;
        parts.push_back(key.substr(start, dot - start));
        start = dot + 1;
      }
      if (parts.size() < 3) continue;
      std::string group_kind = key.substr(start);
      std::string where = origin + " " + key;
      auto target = override_key(group_kind);
      if (!target) {
        return make_error(where + ": group kind should be in format `resource.customizations.<type>.<group_kind>` or "
                                  "`resource.customizations.<type>.<kind>`, got group kind: '" + group_kind + "'");
      }
      if (*target == "all") target = "*/*";
      const std::string& type = parts[2];
      std::string text = value.is_string() ? value.get<std::string>() : "";
      if (type == "health") {
        bool open = found.count(*target) && found[*target].libs == lua::Libraries::open;
        found[*target] = HealthScript{*target, {where, text}, open ? lua::Libraries::open : lua::Libraries::argo};
      } else if (type == "useOpenLibs") {
        auto flag = parse_go_bool(text);
        if (!flag) return make_error(where + ": invalid boolean \"" + text + "\"");
        open_libs[*target] = *flag;
      } else if (type != "actions" && type != "ignoreDifferences" && type != "ignoreResourceUpdates" &&
                 type != "knownTypeFields") {
        return make_error(where + ": resource customization type " + type + " not supported");
      }
    }
    for (const auto& [target, open] : open_libs) {
      if (auto it = found.find(target); it != found.end()) {
        it->second.libs = open ? lua::Libraries::open : lua::Libraries::argo;
      }
    }
  }
  for (auto& [key, script] : found) {
    // Argo CD skips an override whose script is empty and looks further.
    if (script.script.source.empty()) continue;
    overrides_[key] = std::move(script);
  }
  return {};
}

void Scripts::add_file(const std::string& path, lua::Script script) {
  std::string key = path;
  // A `_` in a directory name is Argo CD's wildcard (`_.crossplane.io/_`).
  std::replace(key.begin(), key.end(), '_', '*');
  files_.emplace(key, HealthScript{key, std::move(script), lua::Libraries::open});
}

const HealthScript* Scripts::find(const std::string& group, const std::string& kind) const {
  std::string key = config_map_key(group, kind);
  if (const HealthScript* s = find_in(overrides_, key, Separator::none)) return s;
  return find_in(files_, key, Separator::slash);
}

std::optional<Health> Scripts::judge(const nlohmann::json& live) const {
  if (empty()) return std::nullopt;
  const HealthScript* script = find(group_of_object(live), string_at(live, {"kind"}));
  if (script == nullptr) return std::nullopt;
  return run(*script, live);
}

Health Scripts::run(const HealthScript& script, const nlohmann::json& live) const {
  auto returned = sandbox_->run(script.script, live, script.libs);
  if (!returned) return {Status::unknown, returned.error().message};
  return verdict_of_script_result(*returned);
}

Health verdict_of_script_result(const nlohmann::json& returned) {
  static const Health k_no_status{Status::progressing, "health script returned no status"};
  if (returned.is_null() || returned.is_array()) return k_no_status;
  if (!returned.is_object()) {
    std::string type = returned.is_string() ? "string" : returned.is_boolean() ? "boolean" : "number";
    return {Status::unknown, "expect table output from Lua script, not " + type};
  }
  // encoding/json matches field names case-insensitively; a value of the wrong type makes the
  // whole result an empty HealthStatus in ExecuteHealthLua.
  std::string status;
  std::string message;
  for (const auto& [key, value] : returned.items()) {
    std::string* target = equal_fold(key, "status") ? &status : equal_fold(key, "message") ? &message : nullptr;
    if (target == nullptr || value.is_null()) continue;
    if (!value.is_string()) return k_no_status;
    *target = value.get<std::string>();
  }
  auto parsed = parse_status(status);
  if (!parsed) return {Status::unknown, "Lua returned an invalid health status"};
  return {*parsed, message};
}

}  // namespace wavesync::health
