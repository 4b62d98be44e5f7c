#include "wavesync/engine/status.hpp"

#include <algorithm>

namespace wavesync::engine {

using nlohmann::json;

bool ObjectStatus::ok() const {
  if (!error.empty()) return false;
  if (hook) return hook_state != "failed";
  if (!exists) return false;
  return !health || health->status == health::Status::healthy;
}

bool StatusReport::all_ok() const {
  return std::all_of(steps.begin(), steps.end(), [](const StepStatus& s) {
    return std::all_of(s.objects.begin(), s.objects.end(), [](const ObjectStatus& o) { return o.ok(); });
  });
}

ObjectStatus judge_object(const PlannedResource& planned, const std::optional<json>& live,
                          const health::Options& options) {
  ObjectStatus s;
  s.id = object_ref_of(planned.resource);
  s.source = planned.resource.source;
  s.hook = planned.hook.has_value();
  s.exists = live.has_value();
  if (live) {
    health::Options o = options;
    o.role = s.hook ? health::Role::hook : health::Role::resource;
    s.health = health::assess(*live, o);
  }
  if (s.hook) {
    if (!s.exists) s.hook_state = "absent";
    else if (!s.health || s.health->status == health::Status::healthy) s.hook_state = "succeeded";
    else if (s.health->status == health::Status::degraded || s.health->status == health::Status::unknown)
      s.hook_state = "failed";
    else s.hook_state = "running";
  }
  return s;
}

Result<StatusReport> collect_status(const Plan& plan, kube::Client& client, health::ConditionsRule conditions,
                                    const health::Scripts* scripts) {
  StatusReport report;
  health::Options options;
  options.conditions = conditions;
  options.scripts = scripts;
  for (const Step& step : plan.steps) {
    StepStatus s{step.phase, step.wave, {}};
    for (const PlannedResource& planned : step.resources) {
      if (planned.hook && planned.resource.name().empty()) {
        ObjectStatus o = judge_object(planned, std::nullopt, options);
        o.looked_up = false;
        o.hook_state = "not tracked (generateName)";
        s.objects.push_back(std::move(o));
        continue;
      }
      auto live = client.get(object_ref_of(planned.resource));
      if (!live) {
        if (live.error().exit_code == exit_code::k_cluster) return live.error();
        // An unknown kind (its CRD is not installed yet) means the object does not exist.
        if (live.error().http_status == 404) {
          s.objects.push_back(judge_object(planned, std::nullopt, options));
          continue;
        }
        ObjectStatus o = judge_object(planned, std::nullopt, options);
        o.error = live.error().message;
        s.objects.push_back(std::move(o));
        continue;
      }
      s.objects.push_back(judge_object(planned, *live, options));
    }
    report.steps.push_back(std::move(s));
  }
  return report;
}

}  // namespace wavesync::engine
