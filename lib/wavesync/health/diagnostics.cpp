// Diagnostic lines for Pods and the workloads behind them. Only what the Pod's own status says;
// events and logs are the engine's to add.
#include "wavesync/health/diagnostics.hpp"

#include "wavesync/health/fields.hpp"

#include <algorithm>

namespace wavesync::health {

namespace {

bool is_benign_waiting(std::string_view reason) {
  return reason == "ContainerCreating" || reason == "PodInitializing";
}

std::string joined(std::string_view a, std::string_view b) {
  if (b.empty()) return std::string(a);
  return std::string(a) + ": " + std::string(b);
}

// `REASON (exit code N)`, with `Error` standing in for a missing reason.
std::string termination(const Json& terminated) {
  std::string reason = field(terminated, "reason");
  if (reason.empty()) reason = "Error";
  auto exit_code = optional_int_at(terminated, {"exitCode"});
  if (exit_code) reason += " (exit code " + std::to_string(*exit_code) + ")";
  return reason;
}

struct Finder {
  std::string pod;
  std::string ns;
  std::vector<Diagnostic>& out;

  void add(const std::string& text, std::string_view evidence) {
    out.push_back({pod, "pod " + pod + ": " + text, parse_missing_reference(evidence, ns)});
  }

  void container(const Json& status, bool init) {
    std::string who = std::string(init ? "init container " : "container ") + field(status, "name");
    const Json* waiting = find_path(status, {"state", "waiting"});
    const Json* terminated = find_path(status, {"state", "terminated"});
    const Json* last = find_path(status, {"lastState", "terminated"});
    if (waiting != nullptr && waiting->is_object()) {
      std::string reason = field(*waiting, "reason");
      std::string message = field(*waiting, "message");
      if (reason.empty() && message.empty()) return;
      if (is_benign_waiting(reason) && message.empty()) return;
      std::string text = who + " waiting: " + joined(reason, message);
      // A back-off message only says that the container keeps failing; the last termination says
      // how.
      if (last != nullptr && last->is_object()) {
        text += " (last terminated: " + last_exit(*last) + ")";
      }
      add(text, message);
      return;
    }
    if (terminated != nullptr && terminated->is_object()) {
      auto exit_code = optional_int_at(*terminated, {"exitCode"});
      // A clean exit is what init containers and run-to-completion pods are for.
      if (exit_code.value_or(0) == 0 && field(*terminated, "reason") != "OOMKilled") return;
      std::string message = field(*terminated, "message");
      add(who + " terminated: " + joined(termination(*terminated), message), message);
      return;
    }
    // Running again after a crash and not ready yet: say how it ended last time.
    if (!bool_at(status, {"ready"}) && last != nullptr && last->is_object()) {
      add(who + " restarted: last terminated: " + last_exit(*last), field(*last, "message"));
    }
  }

  static std::string last_exit(const Json& terminated) {
    std::string reason = field(terminated, "reason");
    if (reason.empty()) reason = "Error";
    auto exit_code = optional_int_at(terminated, {"exitCode"});
    if (exit_code) reason += ", exit code " + std::to_string(*exit_code);
    return reason;
  }
};

}  // namespace

std::vector<Diagnostic> pod_diagnostics(const Json& pod) {
  std::vector<Diagnostic> out;
  Finder finder{string_at(pod, {"metadata", "name"}), string_at(pod, {"metadata", "namespace"}),
                out};
  std::string phase = string_at(pod, {"status", "phase"});
  if (phase == "Failed") {
    std::string reason = string_at(pod, {"status", "reason"});
    std::string message = string_at(pod, {"status", "message"});
    if (!reason.empty() || !message.empty()) {
      finder.add("failed: " + joined(reason.empty() ? "Failed" : reason, message), message);
    }
  }
  const Json* scheduled = condition(pod, "PodScheduled");
  if (scheduled != nullptr && field(*scheduled, "status") == "False") {
    std::string reason = field(*scheduled, "reason");
    finder.add("not scheduled: " + joined(reason.empty() ? "Unschedulable" : reason,
                                          field(*scheduled, "message")),
               "");
  }
  for (auto [key, init] : {std::pair{"initContainerStatuses", true},
                           std::pair{"containerStatuses", false}}) {
    const Json* list = find_path(pod, {"status", key});
    if (list == nullptr || !list->is_array()) continue;
    for (const Json& status : *list) {
      if (status.is_object()) finder.container(status, init);
    }
  }
  return out;
}

std::vector<Diagnostic> workload_diagnostics(const Json& workload, std::span<const Json> pods,
                                             std::span<const Json> replica_sets) {
  std::vector<const Json*> selected = select_pods(workload, pods, replica_sets);
  std::stable_sort(selected.begin(), selected.end(), [](const Json* a, const Json* b) {
    return string_at(*a, {"metadata", "name"}) < string_at(*b, {"metadata", "name"});
  });
  std::vector<Diagnostic> out;
  for (const Json* pod : selected) {
    std::vector<Diagnostic> found = pod_diagnostics(*pod);
    out.insert(out.end(), found.begin(), found.end());
  }
  return out;
}

}  // namespace wavesync::health
