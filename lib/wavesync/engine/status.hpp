// `wavesync status`'s cluster work: the live state of every object in the plan, read with one
// GET per object and judged by the health rules, as a value grouped by step. Judging one object
// is pure (judge_object); formatting the report is output/'s (live_status.hpp). Hooks never
// make the status fail when they are absent (delete policies remove them after they ran); a
// hook that exists and failed does.
#pragma once

#include "wavesync/engine/events.hpp"
#include "wavesync/health/health.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/model/result.hpp"
#include "wavesync/plan/plan.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wavesync::engine {

struct ObjectStatus {
  ObjectRef id;
  SourceLocation source;
  bool hook = false;
  bool looked_up = true;  // false for generateName-only hooks (no fixed name to look up)
  bool exists = false;
  std::optional<health::Health> health;  // nullopt: absent, or no health rule applies
  std::string hook_state;                // hooks: `absent`, `running`, `succeeded`, `failed`
  std::string error;                     // the GET failed (not for 404)
  // Exists and is healthy (or has no health rule); a hook: not failed.
  [[nodiscard]] bool ok() const;
};

struct StepStatus {
  Phase phase = Phase::sync;
  Wave wave = 0;
  std::vector<ObjectStatus> objects;
};

struct StatusReport {
  std::vector<StepStatus> steps;
  [[nodiscard]] bool all_ok() const;
};

// Judges one planned object against what the server returned (nullopt: not found). Pure.
ObjectStatus judge_object(const PlannedResource& planned, const std::optional<nlohmann::json>& live,
                          const health::Options& options);

// GETs every planned object. Error only for cluster access problems (exit code 4); other
// failures are recorded per object. `scripts`: the user's health scripts (--argocd-cm,
// --health-scripts), or nullptr.
Result<StatusReport> collect_status(const Plan& plan, kube::Client& client, health::ConditionsRule conditions,
                                    const health::Scripts* scripts = nullptr);

}  // namespace wavesync::engine
