#include "wavesync/engine/diagnose.hpp"

#include "wavesync/health/diagnostics.hpp"

#include <algorithm>
#include <set>
#include <sstream>

namespace wavesync::engine {

namespace {

const std::set<std::string> k_failure_condition_types = {"Failed", "Stalled", "ReplicaFailure", "Degraded",
                                                         "FailureTarget"};
// Conditions whose True status means "fine" are reported when False/Unknown; others when True.
const std::set<std::string> k_neutral_condition_types = {"Suspended", "Reconciling", "Terminating",
                                                         "SuccessCriteriaMet", "Complete"};

std::string selector_of(const nlohmann::json& workload) {
  const auto spec = workload.value("spec", nlohmann::json::object());
  const auto selector = spec.value("selector", nlohmann::json::object());
  const auto labels = selector.value("matchLabels", nlohmann::json::object());
  std::string out;
  for (auto it = labels.begin(); it != labels.end(); ++it) {
    if (!it.value().is_string()) continue;
    if (!out.empty()) out += ",";
    out += it.key() + "=" + it.value().get<std::string>();
  }
  return out;
}

// Items of a List; the API server leaves apiVersion and kind out of each item, so they are
// filled in from the request.
std::vector<nlohmann::json> items_of(Result<nlohmann::json> list, const kube::WatchRequest& request) {
  std::vector<nlohmann::json> out;
  if (!list || !list->contains("items") || !(*list)["items"].is_array()) return out;
  for (auto& item : (*list)["items"]) {
    if (!item.is_object()) continue;
    if (!item.contains("apiVersion")) item["apiVersion"] = request.api_version;
    if (!item.contains("kind")) item["kind"] = request.kind;
    out.push_back(item);
  }
  return out;
}

std::vector<std::string> tail_lines(const std::string& text, int n) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  if (lines.size() > static_cast<std::size_t>(n)) lines.erase(lines.begin(), lines.end() - n);
  return lines;
}

}  // namespace

// The pods of a workload (or the pod itself). Jobs are found by their `job-name` label, the
// rest by matchLabels; health::select_pods then keeps the ones really owned.
std::vector<nlohmann::json> pods_of(kube::Client& client, const ObjectRef& id, const nlohmann::json& live,
                                    std::vector<nlohmann::json>* replica_sets) {
  if (id.kind == "Pod") return {live};
  static const std::set<std::string> k_workloads = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"};
  if (k_workloads.count(id.kind) == 0) return {};
  kube::WatchRequest pods{"v1", "Pod", id.namespace_name, "", ""};
  pods.label_selector = id.kind == "Job" ? "job-name=" + id.name : selector_of(live);
  if (pods.label_selector.empty()) return {};
  if (id.kind == "Deployment") {
    kube::WatchRequest rs{"apps/v1", "ReplicaSet", id.namespace_name, pods.label_selector, ""};
    *replica_sets = items_of(client.list(rs), rs);
  }
  return items_of(client.list(pods), pods);
}

std::vector<std::string> relevant_conditions(const nlohmann::json& live) {
  std::vector<std::string> out;
  const auto status = live.value("status", nlohmann::json::object());
  if (!status.is_object() || !status.contains("conditions") || !status["conditions"].is_array()) return out;
  for (const auto& c : status["conditions"]) {
    if (!c.is_object()) continue;
    const std::string type = c.value("type", "");
    const std::string value = c.value("status", "");
    bool failure_type = k_failure_condition_types.count(type) != 0;
    bool bad = failure_type ? value == "True" : (value != "True" && k_neutral_condition_types.count(type) == 0);
    if (!bad) continue;
    std::string line = type + "=" + value;
    if (!c.value("reason", "").empty()) line += " " + c.value("reason", "");
    if (!c.value("message", "").empty()) line += ": " + c.value("message", "");
    out.push_back(line);
  }
  return out;
}

Diagnostic diagnose(kube::Client& client, const ObjectRef& id, const SourceLocation& source,
                    const nlohmann::json* live, std::optional<health::Health> health, LogTail logs) {
  Diagnostic d;
  d.resource = id;
  d.source = source;
  d.health = std::move(health);
  const ObjectRef& ref = id;
  if (live != nullptr && live->is_object()) {
    d.conditions = relevant_conditions(*live);
    std::vector<nlohmann::json> replica_sets;
    std::vector<nlohmann::json> pods = pods_of(client, id, *live, &replica_sets);
    std::vector<health::Diagnostic> found =
        id.kind == "Pod" ? health::pod_diagnostics(*live) : health::workload_diagnostics(*live, pods, replica_sets);
    for (const auto& f : found) {
      if (f.missing) {
        std::string m = f.missing->str();
        if (std::find(d.missing.begin(), d.missing.end(), m) == d.missing.end()) d.missing.push_back(m);
      }
      if (d.pod_reasons.size() < k_max_pod_lines) d.pod_reasons.push_back(f.line);
    }
    if (logs == LogTail::include) {
      // The newest pod is the last attempt; its log is what explains the failure.
      const nlohmann::json* newest = nullptr;
      for (const auto& pod : pods) {
        if (newest == nullptr || pod["metadata"].value("creationTimestamp", "") >=
                                     (*newest)["metadata"].value("creationTimestamp", ""))
          newest = &pod;
      }
      if (newest != nullptr) {
        auto text = client.pod_logs(id.namespace_name, (*newest)["metadata"].value("name", ""), "", kube::LogOptions{k_log_tail_lines});
        if (text) d.log_tail = tail_lines(*text, k_log_tail_lines);
      }
    }
  }
  if (auto events = client.events_for(ref)) {
    std::size_t from = events->size() > k_max_events ? events->size() - k_max_events : 0;
    for (std::size_t i = from; i < events->size(); ++i) {
      const auto& e = (*events)[i];
      d.events.push_back(e.value("type", "Normal") + " " + e.value("reason", "") + ": " + e.value("message", ""));
    }
  }
  return d;
}

namespace {
bool names_object(const std::string& reason, const std::string& id) {
  for (std::size_t at = reason.find(id); at != std::string::npos; at = reason.find(id, at + 1)) {
    const std::size_t end = at + id.size();
    const bool starts = at == 0 || reason[at - 1] == ' ';
    const bool ends = end == reason.size() || reason[end] == ' ' || reason[end] == ':' || reason[end] == ',' ||
                      reason[end] == ')';
    if (starts && ends) return true;
  }
  return false;
}

void name_missing_in(const std::vector<std::string*>& reasons, const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    if (d.missing.empty()) continue;
    std::string missing;
    for (const std::string& m : d.missing) missing += (missing.empty() ? "" : ", ") + m;
    const std::string id = d.resource.str();
    for (std::string* reason : reasons) {
      if (names_object(*reason, id)) *reason += " (" + missing + ")";
    }
  }
}
}  // namespace

void name_missing_references(std::vector<std::string>& reasons, const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string*> texts;
  for (std::string& reason : reasons) texts.push_back(&reason);
  name_missing_in(texts, diagnostics);
}

void name_missing_references(std::vector<Reason>& reasons, const std::vector<Diagnostic>& diagnostics) {
  std::vector<std::string*> texts;
  for (Reason& reason : reasons) texts.push_back(&reason.text);
  name_missing_in(texts, diagnostics);
}

}  // namespace wavesync::engine
