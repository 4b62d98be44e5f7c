#include "wavesync/output/live_status.hpp"

#include "wavesync/output/format.hpp"
#include "wavesync/output/json_events.hpp"
#include "wavesync/output/run_record.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace wavesync::output {

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
  s.id = id_of(planned);
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
      const engine::ObjectId id = id_of(planned);
      auto live = client.get(kube::ObjectRef{id.api_version, id.kind, id.namespace_name, id.name});
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

namespace {
std::string state_text(const ObjectStatus& o) {
  if (!o.error.empty()) return "error: " + o.error;
  if (o.hook) {
    std::string out = "hook " + o.hook_state;
    if (o.health && !o.health->message.empty()) out += ": " + o.health->message;
    return out;
  }
  if (!o.exists) return "missing";
  return o.health ? health_text(*o.health) : "exists (no health check)";
}
}  // namespace

std::string format_status_text(const StatusReport& report) {
  std::size_t width = 0;
  for (const StepStatus& s : report.steps)
    for (const ObjectStatus& o : s.objects) width = std::max(width, ((o.hook ? "hook " : "") + o.id.str()).size());
  std::string out;
  std::size_t total = 0, exist = 0, ok = 0;
  for (const StepStatus& s : report.steps) {
    out += step_label(s.phase, s.wave) + "\n";
    for (const ObjectStatus& o : s.objects) {
      out += fmt::format("  {} {:<{}}  {}\n", o.ok() ? "ok  " : "FAIL", (o.hook ? "hook " : "") + o.id.str(), width,
                         state_text(o));
      if (o.hook) continue;
      ++total;
      if (o.exists) ++exist;
      if (o.ok()) ++ok;
    }
  }
  out += fmt::format("{} of {} objects exist, {} ready{}\n", exist, total, ok,
                     report.all_ok() ? "" : " (exit code 1)");
  return out;
}

json status_json(const StatusReport& report) {
  json steps = json::array();
  for (const StepStatus& s : report.steps) {
    json objects = json::array();
    for (const ObjectStatus& o : s.objects) {
      json j{{"resource", object_id_json(o.id)},
             {"source", o.source.str()},
             {"hook", o.hook},
             {"exists", o.exists},
             {"ok", o.ok()},
             {"health", o.health ? json{{"status", std::string(health::status_name(o.health->status))},
                                        {"message", o.health->message}}
                                 : json(nullptr)}};
      if (o.hook) j["hookState"] = o.hook_state;
      if (!o.error.empty()) j["error"] = o.error;
      objects.push_back(std::move(j));
    }
    steps.push_back(json{{"phase", std::string(phase_name(s.phase))}, {"wave", s.wave}, {"objects", std::move(objects)}});
  }
  return json{{"ok", report.all_ok()}, {"steps", std::move(steps)}};
}

}  // namespace wavesync::output
