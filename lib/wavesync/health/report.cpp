#include "wavesync/health/report.hpp"

#include "wavesync/health/fields.hpp"

#include <array>

namespace wavesync::health {

namespace {

constexpr std::array<std::string_view, 5> k_workload_kinds = {
    "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"};

bool is_workload(const Json& object) {
  std::string kind = string_at(object, {"kind"});
  for (std::string_view k : k_workload_kinds) {
    if (k == kind) return true;
  }
  return false;
}

bool wants_diagnostics(const std::optional<Health>& health) {
  return health && health->status != Status::healthy && health->status != Status::suspended;
}

}  // namespace

std::vector<ObjectReport> assess_all(const std::vector<Json>& objects, const Options& options) {
  std::vector<Json> pods;
  std::vector<Json> replica_sets;
  for (const Json& o : objects) {
    std::string kind = string_at(o, {"kind"});
    if (group_of_object(o).empty() && kind == "Pod") pods.push_back(o);
    if (group_of_object(o) == "apps" && kind == "ReplicaSet") replica_sets.push_back(o);
  }
  std::vector<ObjectReport> out;
  out.reserve(objects.size());
  for (const Json& o : objects) {
    ObjectReport r{string_at(o, {"apiVersion"}), string_at(o, {"kind"}),
                   string_at(o, {"metadata", "namespace"}), string_at(o, {"metadata", "name"}),
                   assess(o, options), {}};
    if (wants_diagnostics(r.health)) {
      if (group_of_object(o).empty() && r.kind == "Pod") {
        r.diagnostics = pod_diagnostics(o);
      } else if (is_workload(o)) {
        r.diagnostics = workload_diagnostics(o, pods, replica_sets);
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

std::string format_text(const ObjectReport& report) {
  std::string line = report.kind;
  if (!report.namespace_name.empty() || !report.name.empty()) line += " ";
  if (!report.namespace_name.empty()) line += report.namespace_name + "/";
  line += report.name + ": ";
  if (!report.health) {
    line += "None: no health rule";
  } else {
    line += status_name(report.health->status);
    if (!report.health->message.empty()) line += ": " + report.health->message;
  }
  for (const Diagnostic& d : report.diagnostics) line += "\n  " + d.line;
  return line;
}

std::string format_json(const ObjectReport& report) {
  nlohmann::ordered_json out = {
      {"apiVersion", report.api_version},
      {"kind", report.kind},
      {"namespace", report.namespace_name},
      {"name", report.name},
      {"status", report.health ? std::string(status_name(report.health->status)) : "None"},
      {"message", report.health ? report.health->message : ""},
  };
  if (!report.diagnostics.empty()) {
    nlohmann::ordered_json lines = nlohmann::ordered_json::array();
    for (const Diagnostic& d : report.diagnostics) lines.push_back(d.line);
    out["diagnostics"] = std::move(lines);
  }
  // Object fields come from the cluster; replace invalid UTF-8 rather than fail the report.
  return out.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace wavesync::health
