#include "wavesync/plan/plan_json.hpp"

#include "wavesync/model/json_text.hpp"

namespace wavesync {
namespace {

nlohmann::json string_or_null(const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); }

// Everything about a planned resource except its object.
nlohmann::json resource_header(const PlannedResource& planned) {
  const Resource& r = planned.resource;
  nlohmann::json hook;  // null for ordinary resources
  if (planned.hook) {
    nlohmann::json phases = nlohmann::json::array();
    for (Phase p : planned.hook->phases) phases.push_back(std::string(phase_name(p)));
    nlohmann::json policies = nlohmann::json::array();
    for (DeletePolicy p : planned.hook->delete_policies) policies.push_back(std::string(delete_policy_name(p)));
    hook = {{"phases", std::move(phases)}, {"deletePolicies", std::move(policies)}};
  }
  return {{"apiVersion", r.api_version()},
          {"kind", r.kind()},
          {"namespace", string_or_null(r.namespace_name())},
          {"name", string_or_null(r.name())},
          {"generateName", string_or_null(r.generate_name())},
          {"hook", std::move(hook)},
          {"source", r.source.file_line()}};
}

void append_string_or_null(std::string& out, const std::string& s) {
  if (s.empty()) out.append("null");
  else append_json_string(out, s);
}

// resource_header(planned).dump() without its closing brace, written without building a tree:
// the keys in dump()'s (sorted) order.
void append_resource_header(std::string& out, const PlannedResource& planned) {
  const Resource& r = planned.resource;
  out.append("{\"apiVersion\":");
  append_json_string(out, r.api_version());
  out.append(",\"generateName\":");
  append_string_or_null(out, r.generate_name());
  out.append(",\"hook\":");
  if (planned.hook) {
    out.append("{\"deletePolicies\":[");
    for (std::size_t i = 0; i < planned.hook->delete_policies.size(); ++i) {
      if (i > 0) out.push_back(',');
      append_json_string(out, std::string(delete_policy_name(planned.hook->delete_policies[i])));
    }
    out.append("],\"phases\":[");
    for (std::size_t i = 0; i < planned.hook->phases.size(); ++i) {
      if (i > 0) out.push_back(',');
      append_json_string(out, std::string(phase_name(planned.hook->phases[i])));
    }
    out.append("]}");
  } else {
    out.append("null");
  }
  out.append(",\"kind\":");
  append_json_string(out, r.kind());
  out.append(",\"name\":");
  append_string_or_null(out, r.name());
  out.append(",\"namespace\":");
  append_string_or_null(out, r.namespace_name());
  out.append(",\"source\":");
  append_json_string(out, r.source.file_line());
}

bool is_secret(const Resource& r) { return r.kind() == "Secret" && r.api_version() == "v1"; }

// A Secret's values never leave wavesync: CI logs keep `plan -o json` output. The keys stay, so
// the plan still shows what the Secret holds.
nlohmann::json redacted(const nlohmann::json& object) {
  nlohmann::json copy = object;
  for (const char* field : {"data", "stringData"}) {
    auto it = copy.find(field);
    if (it == copy.end() || !it->is_object()) continue;
    for (auto& value : *it) value = k_redacted_value;
  }
  // kubectl's last-applied annotation is the whole Secret again, values included.
  auto meta = copy.find("metadata");
  if (meta != copy.end() && meta->is_object()) {
    auto annotations = meta->find("annotations");
    if (annotations != meta->end() && annotations->is_object() &&
        annotations->contains("kubectl.kubernetes.io/last-applied-configuration")) {
      (*annotations)["kubectl.kubernetes.io/last-applied-configuration"] = k_redacted_value;
    }
  }
  return copy;
}

nlohmann::json step_header(const Step& step) {
  return {{"phase", std::string(phase_name(step.phase))}, {"wave", step.wave}};
}

}  // namespace

nlohmann::json plan_to_json(const Plan& plan) {
  nlohmann::json steps = nlohmann::json::array();
  for (const Step& step : plan.steps) {
    nlohmann::json resources = nlohmann::json::array();
    for (const PlannedResource& planned : step.resources) {
      nlohmann::json resource = resource_header(planned);
      resource["object"] = is_secret(planned.resource) ? redacted(planned.resource.object()) : planned.resource.object();
      resources.push_back(std::move(resource));
    }
    nlohmann::json s = step_header(step);
    s["resources"] = std::move(resources);
    steps.push_back(std::move(s));
  }
  return {{"steps", std::move(steps)}, {"warnings", plan.warnings}};
}

std::string plan_to_json_text(const Plan& plan) {
  std::string out = "{\"steps\":[";
  for (std::size_t s = 0; s < plan.steps.size(); ++s) {
    const Step& step = plan.steps[s];
    if (s > 0) out.push_back(',');
    std::string header = dump_compact(step_header(step));
    header.pop_back();  // reopen the object to add "resources"
    out.append("\n").append(header).append(",\"resources\":[");
    for (std::size_t i = 0; i < step.resources.size(); ++i) {
      const PlannedResource& planned = step.resources[i];
      out.append(i > 0 ? ",\n" : "\n");
      append_resource_header(out, planned);
      out.append(",\"object\":");
      // The stored text is what dump() would give: no tree is built for a plain object.
      if (is_secret(planned.resource)) out.append(dump_compact(redacted(planned.resource.object())));
      else out.append(planned.resource.json_text());
      out.push_back('}');
    }
    out.append("\n]}");
  }
  out.append("\n],\"warnings\":").append(dump_compact(nlohmann::json(plan.warnings))).append("}\n");
  return out;
}

}  // namespace wavesync
