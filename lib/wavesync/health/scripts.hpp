// Health scripts in Argo CD's Lua (argo-cd util/lua/lua.go): the user's argocd-cm overrides and
// directories laid out as Argo CD's resource_customizations/, looked up in Argo CD's order and
// run in the Lua sandbox. Not the built-in rules: health::assess consults these first.
#pragma once

#include "wavesync/health/health.hpp"
#include "wavesync/lua/sandbox.hpp"
#include "wavesync/model/glob.hpp"
#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wavesync::health {

// One script and how to run it. `key` is Argo CD's `group/Kind` (`Kind` for the core group) or
// a pattern of it; `origin` names it for people (`argocd-cm resource.customizations.health.x_Y`,
// `DIR/x/Y/health.lua`).
struct HealthScript {
  std::string key;
  lua::Script script;
  lua::Libraries libs = lua::Libraries::argo;
};

class Scripts {
 public:
  explicit Scripts(lua::Limits limits = {});

  // Adds the health overrides of an argocd-cm ConfigMap's `data` (Argo CD
  // util/settings/settings.go GetResourceOverrides): the `resource.customizations` block, given
  // already parsed from its YAML text (`block`, null when absent), then the split keys
  // `resource.customizations.health.<group>_<Kind>` and `resource.customizations.useOpenLibs.
  // <group>_<Kind>` (`all` is `*/*`), which win over the block. Fails, naming the key, where
  // Argo CD would refuse the ConfigMap; a syntax error in a script is reported when it runs.
  Result<void> add_argocd_cm(const nlohmann::json& data, const nlohmann::json& block, const std::string& origin);

  // Adds a script of a directory laid out as Argo CD's resource_customizations/: `path` is its
  // `<group>/<Kind>` (or `<Kind>` for the core group), where `_` is a wildcard within a path
  // segment. Run with the open libraries, as Argo CD runs its bundled scripts. A path added
  // earlier keeps its script.
  void add_file(const std::string& path, lua::Script script);

  // The script for this group and kind, in Argo CD's order (util/lua/lua.go GetHealthScript):
  // an override for exactly `group/Kind`, else the first override pattern (sorted) that matches,
  // else a directory's script for exactly that key, else the first directory pattern (sorted)
  // that matches. nullptr when none.
  const HealthScript* find(const std::string& group, const std::string& kind) const;

  // Runs the script for `live`, if there is one, and turns what it returns into a verdict as
  // Argo CD does (ExecuteHealthLua; an error is Unknown with the error's text).
  std::optional<Health> judge(const nlohmann::json& live) const;

  // Runs one given script on `live` (what `wavesync health test` does with the script beside a
  // health_test.yaml), whatever its key.
  Health run(const HealthScript& script, const nlohmann::json& live) const;

  bool empty() const { return overrides_.empty() && files_.empty(); }

 private:
  std::map<std::string, HealthScript> overrides_;  // by key; patterns included
  std::map<std::string, HealthScript> files_;      // by key; patterns included
  std::unique_ptr<lua::Sandbox> sandbox_;
};

// What a health script's returned value means, as Argo CD reads it (ExecuteHealthLua): a table
// with a valid `status` and a string `message`; nil, an empty table or a value of the wrong type
// inside it give no status (wavesync: Progressing, "health script returned no status", so the
// wave waits as Argo CD's would); another status is Unknown "Lua returned an invalid health
// status"; a non-table is Unknown "expect table output from Lua script, not <type>".
Health verdict_of_script_result(const nlohmann::json& returned);

// Argo CD's key for a group and kind: `group/Kind`, or `Kind` for the core group.
std::string config_map_key(const std::string& group, const std::string& kind);

// Override keys match as Argo CD's glob (model/glob.hpp); directory wildcards with
// Separator::slash, where `*` and `?` do not match `/`.
using Separator = GlobSeparator;
using wavesync::glob_match;

}  // namespace wavesync::health
