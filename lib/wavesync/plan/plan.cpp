#include "wavesync/plan/plan.hpp"
#include "wavesync/model/json_fields.hpp"

#include "wavesync/hooks/hook_annotations.hpp"
#include "wavesync/hooks/hook_names.hpp"

#include <algorithm>
#include <functional>
#include <memory>
#include <tuple>
#include <unordered_map>

namespace wavesync {
namespace {

int phase_rank(Phase phase) {
  switch (phase) {
    case Phase::pre_sync: return -1;
    case Phase::sync: return 0;
    case Phase::post_sync: return 1;
    case Phase::sync_fail: return 2;
    case Phase::pre_delete: return 3;
    case Phase::post_delete: return 4;
  }
  return 0;
}

// The planned resource is held by pointer: sorting 100,000 tasks then swaps pointers, not
// objects of several hundred bytes with a JSON tree each.
struct Task {
  std::unique_ptr<PlannedResource> planned;
  int kind_rank = 0;
  std::size_t input_index = 0;
  std::string name;  // sort keys, read once
  std::string namespace_name;
  std::string group;
};

Task make_task(PlannedResource planned, int rank, std::size_t index) {
  Task t{std::make_unique<PlannedResource>(std::move(planned)), rank, index, {}, {}, {}};
  // A generateName hook sorts by the name it is about to get, as Argo CD names hooks before
  // sorting (getSyncTasks), not as an empty name that always comes first.
  t.name = t.planned->generated_name.empty() ? t.planned->resource.name() : t.planned->generated_name;
  t.namespace_name = t.planned->resource.namespace_name();
  t.group = group_of(t.planned->resource.api_version());
  return t;
}

// Argo CD compares phase, wave, kind rank, then name (syncTasks.Less). Its sort is not
// stable, so ties beyond the name are unspecified there; we break them by namespace, then
// group, then input order so that the plan is deterministic.
bool task_less(const Task& a, const Task& b) {
  auto key = [](const Task& t) {
    return std::make_tuple(phase_rank(t.planned->phase), t.planned->wave, t.kind_rank);
  };
  if (key(a) != key(b)) return key(a) < key(b);
  if (int c = a.name.compare(b.name); c != 0) return c < 0;
  if (int c = a.namespace_name.compare(b.namespace_name); c != 0) return c < 0;
  if (int c = a.group.compare(b.group); c != 0) return c < 0;
  return a.input_index < b.input_index;
}

using DepKey = std::function<std::optional<std::string>(const Resource&)>;

// Moves each dependency (a Namespace, a CRD) in front of the first task that refers to it
// and gives it that task's phase and wave (gitops-engine syncTasks.adjustDeps). The moved
// task is not sorted again.
void adjust_deps(std::vector<Task>& tasks, const DepKey& is_dep, const DepKey& refers_to) {
  std::unordered_map<std::string, std::size_t> first_index;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    const Resource& r = tasks[i].planned->resource;
    if (auto dep = is_dep(r)) {
      auto it = first_index.find(*dep);
      if (it == first_index.end()) continue;
      std::size_t index = it->second;
      tasks[i].planned->phase = tasks[index].planned->phase;
      tasks[i].planned->wave = tasks[index].planned->wave;
      std::rotate(tasks.begin() + static_cast<std::ptrdiff_t>(index), tasks.begin() + static_cast<std::ptrdiff_t>(i),
                  tasks.begin() + static_cast<std::ptrdiff_t>(i) + 1);
      for (auto& [key, first] : first_index) {
        if (first >= index) ++first;
      }
    } else if (auto ref = refers_to(r)) {
      first_index.emplace(*ref, i);
    }
  }
}

void bubble_dependencies(std::vector<Task>& tasks, const std::string& destination_namespace) {
  adjust_deps(
      tasks,
      [](const Resource& r) -> std::optional<std::string> {
        if (r.kind() == "Namespace" && group_of(r.api_version()).empty()) return r.name();
        return std::nullopt;
      },
      [&](const Resource& r) -> std::optional<std::string> {
        // Argo CD fills the destination namespace into every object before sorting, cluster-
        // scoped ones included, so they too pull that Namespace forward.
        std::string ns = r.namespace_name();
        if (ns.empty()) ns = destination_namespace;
        if (ns.empty()) return std::nullopt;
        return ns;
      });
  adjust_deps(
      tasks,
      [](const Resource& r) -> std::optional<std::string> {
        if (r.kind() != "CustomResourceDefinition" || group_of(r.api_version()) != "apiextensions.k8s.io") {
          return std::nullopt;
        }
        const nlohmann::json crd = r.object();
        auto group = optional_string_at(crd, {"spec", "group"});
        auto kind = optional_string_at(crd, {"spec", "names", "kind"});
        if (!group || !kind) return std::nullopt;
        return *group + "/" + *kind;
      },
      [](const Resource& r) -> std::optional<std::string> { return group_of(r.api_version()) + "/" + r.kind(); });
}

}  // namespace

Result<Plan> make_plan(std::vector<Resource> resources, const PlanOptions& options) {
  Plan plan;
  plan.revision = options.revision.empty() ? run_id(resources) : options.revision;
  std::vector<Task> tasks;
  tasks.reserve(resources.size());
  for (std::size_t i = 0; i < resources.size(); ++i) {
    Resource& resource = resources[i];
    HookReading reading = read_hook(resource);
    plan.warnings.insert(plan.warnings.end(), reading.warnings.begin(), reading.warnings.end());
    Wave wave = read_wave(resource, plan.warnings);
    SyncOptions sync_options = parse_sync_options(resource, plan.warnings);
    auto policy = read_failure_policy(resource);
    if (!policy) return policy.error();
    int rank = kind_rank(resource.kind());
    if (!reading.hook) {
      tasks.push_back(make_task(
          PlannedResource{std::move(resource), Phase::sync, wave, std::nullopt, std::move(sync_options), std::move(*policy), {}},
          rank, i));
      continue;
    }
    // One task per hook phase: a `PreSync,PostSync` hook runs twice. No phase: never applied.
    const HookSpec& hook = *reading.hook;
    if (hook.phases.empty()) {
      plan.unapplied.push_back(std::move(resource));
      continue;
    }
    // Argo CD names every nameless hook this way (an empty generateName gives the bare suffix).
    const bool generated = resource.name().empty();
    for (std::size_t p = 0; p < hook.phases.size(); ++p) {
      bool last = p + 1 == hook.phases.size();
      PlannedResource planned{last ? std::move(resource) : resource, hook.phases[p], wave, hook, sync_options, *policy, {}};
      if (generated) {
        planned.generated_name = generated_hook_name(planned.resource.generate_name(), plan.revision, hook.phases[p],
                                                     options.started_at_unix);
      }
      tasks.push_back(make_task(std::move(planned), rank, i));
    }
  }
  // The objects now live in the tasks; what is left of the inputs is 100,000 moved-from shells.
  std::vector<Resource>().swap(resources);
  if (options.strictness == Strictness::strict && !plan.warnings.empty()) {
    return make_error(plan.warnings.front() + " (--strict)");
  }

  std::sort(tasks.begin(), tasks.end(), task_less);
  bubble_dependencies(tasks, options.destination_namespace);

  // Each step's vector is sized before it is filled: grown by doubling, 100,000 objects (sizeof
  // PlannedResource is several hundred bytes) held twice their size at the last growth.
  for (std::size_t first = 0; first < tasks.size();) {
    std::size_t end = first + 1;
    while (end < tasks.size() && tasks[end].planned->phase == tasks[first].planned->phase &&
           tasks[end].planned->wave == tasks[first].planned->wave)
      ++end;
    Step& step = plan.steps.emplace_back(Step{tasks[first].planned->phase, tasks[first].planned->wave, {}});
    step.resources.reserve(end - first);
    for (std::size_t t = first; t < end; ++t) {
      step.resources.push_back(std::move(*tasks[t].planned));
      tasks[t].planned.reset();
    }
    first = end;
  }
  return plan;
}

bool has_helm_hooks(const Plan& plan) {
  return std::any_of(plan.steps.begin(), plan.steps.end(), [](const Step& step) {
    return std::any_of(step.resources.begin(), step.resources.end(),
                       [](const PlannedResource& r) { return r.hook && !r.hook->helm.empty(); });
  });
}

Plan select_helm_hooks(Plan plan, HelmHooks mode) {
  if (mode == HelmHooks::argo) return plan;
  auto dropped = [mode](const PlannedResource& r) {
    if (!r.hook || r.hook->helm.empty()) return false;
    return std::none_of(r.hook->helm.begin(), r.hook->helm.end(),
                        [&](HelmHook t) { return helm_hook_phase(t) == r.phase && helm_hook_runs(t, mode); });
  };
  for (Step& step : plan.steps) std::erase_if(step.resources, dropped);
  std::erase_if(plan.steps, [](const Step& step) { return step.resources.empty(); });
  return plan;
}

}  // namespace wavesync
