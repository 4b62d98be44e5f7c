#include "wavesync/output/live_status.hpp"

#include "wavesync/output/format.hpp"
#include "wavesync/output/json_events.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace wavesync::output {

using engine::ObjectStatus;
using engine::StatusReport;
using engine::StepStatus;
using nlohmann::json;

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
