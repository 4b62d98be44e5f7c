// While a step waits: why its workloads are not ready, read from their pods (health::PodBlock),
// reported once per change as a `blocked` event, and --pod-failure-grace applied. Argo CD waits
// for the Deployment's progress deadline (argo-cd#6527); the pods know at once.
#include "wavesync/engine/diagnose.hpp"
#include "wavesync/engine/syncer.hpp"
#include "wavesync/plan/failure_policy.hpp"

namespace wavesync::engine::detail {

namespace {

// How often the pods of one waited workload are read, and how many workloads at most per look:
// a few requests a second whatever the size of the step.
constexpr std::chrono::milliseconds k_pod_look_interval{1000};
constexpr int k_max_pod_looks = 4;
// A crash loop's last log line is read up to this many bytes.
constexpr std::int64_t k_log_line_bytes = 512;

bool has_pods(const ObjectRef& id) {
  const std::string group = group_of(id.api_version);
  if (group.empty()) return id.kind == "Pod";
  if (group == "apps")
    return id.kind == "Deployment" || id.kind == "StatefulSet" || id.kind == "DaemonSet" || id.kind == "ReplicaSet";
  return group == "batch" && id.kind == "Job";
}

// The last line with text, without control characters (a log may hold terminal escapes).
std::string last_line(const std::string& text) {
  std::size_t end = text.size();
  while (end > 0) {
    std::size_t start = text.rfind('\n', end - 1);
    start = start == std::string::npos ? 0 : start + 1;
    std::string line;
    for (std::size_t i = start; i < end; ++i) {
      const auto c = static_cast<unsigned char>(text[i]);
      if (c >= 0x20 && c != 0x7f) line += text[i];
    }
    if (line.find_first_not_of(' ') != std::string::npos) return line;
    if (start == 0) break;
    end = start - 1;
  }
  return {};
}

}  // namespace

const std::string& Syncer::last_log_line(Item& item, const health::PodBlock& block) {
  Item::PodWatch& watch = item.pod_watch();
  if (block.reason != "CrashLoopBackOff") {
    watch.log_key.clear();
    watch.log_line.clear();
    return watch.log_line;
  }
  // Read once per restart of the container, not on every look.
  std::string key = block.pod + "/" + block.container + "/" + std::to_string(block.restarts);
  if (key == watch.log_key) return watch.log_line;
  watch.log_key = std::move(key);
  watch.log_line.clear();
  auto text = client_.pod_logs(item.id.namespace_name, block.pod, block.container,
                               kube::LogOptions{1, k_log_line_bytes, true});
  if (text) watch.log_line = last_line(*text);
  return watch.log_line;
}

std::vector<Reason> Syncer::look_at_pods(StepItems& step) {
  std::vector<Reason> failed;
  const TimePoint now = clock_.now();
  int looked = 0;
  for (Item& item : step.items) {
    if (item.state != ItemState::running || !has_pods(item.id)) continue;
    Item::PodWatch& watch = item.pod_watch();
    if (watch.next_pod_look == TimePoint{}) {
      // A healthy rollout is usually ready within a second: its pods are not read at all.
      watch.next_pod_look = now + k_pod_look_interval;
      continue;
    }
    if (now < watch.next_pod_look || looked == k_max_pod_looks) continue;
    const Observed* o = view_.find(item.id);
    if (o == nullptr || o->deleted || !o->object.is_object()) continue;
    ++looked;
    watch.next_pod_look = now + k_pod_look_interval;
    std::vector<nlohmann::json> replica_sets;
    const std::vector<nlohmann::json> pods = pods_of(client_, item.id, o->object, &replica_sets);
    const std::optional<health::PodBlock> block = health::workload_block(o->object, pods, replica_sets);
    const std::string line = block ? block->line(last_log_line(item, *block)) : std::string();
    const std::optional<std::chrono::milliseconds>& own = item.planned->policy.pod_failure_grace;
    const std::optional<std::chrono::milliseconds> grace = own ? own : options_.pod_failure_grace;
    const BlockVerdict verdict = judge_block(watch.block, block, line, now, grace);
    watch.block = verdict.state;
    if (verdict.report) {
      Event e = event(EventType::blocked, &step, &item);
      e.message = line;
      e.block_reason = block->reason;
      if (block->missing) e.missing.push_back(block->missing->str());
      events_.emit(e);
    }
    if (verdict.fail) {
      const auto stuck = std::chrono::duration_cast<std::chrono::milliseconds>(now - *verdict.state.stuck_since);
      failed.push_back(fail_item(
          step, item,
          line + " for " + format_duration(stuck) + " (" +
              (own ? std::string(k_annotation_pod_failure_grace) : std::string("--pod-failure-grace")) + " " +
              format_duration(*grace) + ")",
          item.hook ? EventType::hook_failed : EventType::health_changed));
    }
  }
  return failed;
}

}  // namespace wavesync::engine::detail
