// Shared helpers for engine tests: plans built from inline JSON, a recording event sink, and a
// fake cluster whose simulated controllers make objects ready after a delay.
#pragma once

#include "fakes/fake_client.hpp"
#include "wavesync/engine/sync.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace wavesync::test {

using nlohmann::json;

inline json object(const std::string& api_version, const std::string& kind, const std::string& ns,
                   const std::string& name, json extra = json::object()) {
  json o{{"apiVersion", api_version}, {"kind", kind}, {"metadata", {{"name", name}}}};
  if (!ns.empty()) o["metadata"]["namespace"] = ns;
  for (auto it = extra.begin(); it != extra.end(); ++it) o[it.key()] = it.value();
  return o;
}

inline json deployment(const std::string& ns, const std::string& name) {
  return object("apps/v1", "Deployment", ns, name,
                {{"spec",
                  {{"replicas", 1},
                   {"selector", {{"matchLabels", {{"app", name}}}}},
                   {"template", {{"metadata", {{"labels", {{"app", name}}}}},
                                 {"spec", {{"containers", json::array({{{"name", "app"}, {"image", "nginx"}}})}}}}}}}});
}

inline json job(const std::string& ns, const std::string& name) {
  return object("batch/v1", "Job", ns, name,
                {{"spec", {{"template", {{"spec", {{"restartPolicy", "Never"},
                                                    {"containers", json::array({{{"name", "run"}, {"image", "busybox"}}})}}}}}}}});
}

// A hook Job Argo CD left behind: it still carries Argo CD's hook finalizer.
inline json job_with_hook_finalizer(const std::string& ns, const std::string& name) {
  json left = job(ns, name);
  left["metadata"]["finalizers"] = json::array({"argocd.argoproj.io/hook-finalizer"});
  return left;
}

inline json config_map(const std::string& ns, const std::string& name) {
  return object("v1", "ConfigMap", ns, name, {{"data", {{"k", "v"}}}});
}

// A manifest as read from manifests/hooks.yaml:`line` with one more annotation (a hook that is
// not applied by a sync, for plan.unapplied).
inline Resource annotated_manifest(json o, const std::string& annotation, const std::string& value, int line) {
  o["metadata"]["annotations"][annotation] = value;
  return Resource(o, SourceLocation{"manifests/hooks.yaml", line, 1});
}

inline PlannedResource resource(json o, int wave = 0, std::map<std::string, std::string> options = {}) {
  PlannedResource r;
  r.resource.set_object(o);
  r.resource.source = SourceLocation{"manifests/app.yaml", 1, 1};
  r.wave = wave;
  r.sync_options.values = std::move(options);
  return r;
}

inline PlannedResource hook(json o, Phase phase, int wave = 0,
                            std::vector<DeletePolicy> policies = {DeletePolicy::before_hook_creation}) {
  PlannedResource r = resource(std::move(o), wave);
  r.phase = phase;
  r.hook = HookSpec{{phase}, std::move(policies), false};
  return r;
}

// Groups resources into steps by (phase, wave), keeping the given order inside a step.
inline Plan plan_of(std::vector<PlannedResource> resources) {
  Plan plan;
  for (auto& r : resources) {
    auto it = std::find_if(plan.steps.begin(), plan.steps.end(),
                           [&](const Step& s) { return s.phase == r.phase && s.wave == r.wave; });
    if (it == plan.steps.end()) {
      plan.steps.push_back(Step{r.phase, r.wave, {}});
      it = plan.steps.end() - 1;
    }
    it->resources.push_back(std::move(r));
  }
  std::stable_sort(plan.steps.begin(), plan.steps.end(), [](const Step& a, const Step& b) {
    return std::make_pair(static_cast<int>(a.phase), a.wave) < std::make_pair(static_cast<int>(b.phase), b.wave);
  });
  return plan;
}

// Records events as short lines: `step-started Sync 1`, `resource-applied v1 ConfigMap shop/a`.
class RecordingSink final : public engine::EventSink {
 public:
  explicit RecordingSink(engine::Clock& clock) : start_(clock.now()) {}
  void emit(const engine::Event& e) override {
    events.push_back(e);
    std::string line(engine::event_name(e.type));
    if (e.type == engine::EventType::step_started || e.type == engine::EventType::step_done)
      line += " " + std::string(phase_name(*e.phase)) + " " + std::to_string(e.wave);
    if (e.resource) line += " " + e.resource->str();
    if (e.type == engine::EventType::health_changed && e.health)
      line += " " + std::string(health::status_name(e.health->status));
    lines.push_back(line);
  }
  // Fake-clock seconds since the sink was made at which the first event matching `line` happened.
  double at(const std::string& line) const {
    for (std::size_t i = 0; i < lines.size(); ++i)
      if (lines[i] == line)
        return std::chrono::duration<double>(events[i].time - start_).count();
    return -1;
  }
  bool has(const std::string& line) const { return std::find(lines.begin(), lines.end(), line) != lines.end(); }
  std::vector<engine::Event> events;
  std::vector<std::string> lines;

 private:
  engine::TimePoint start_;
};

// A fake cluster where every written object becomes ready `delay` later, except the ones
// listed in `fail` (which fail) and `never` (which stay as written).
struct Cluster {
  fakes::FakeClock clock;
  fakes::FakeClient client{clock};
  RecordingSink sink{clock};
  std::map<std::string, std::chrono::milliseconds> delays;  // by name
  std::chrono::milliseconds delay{std::chrono::seconds(1)};
  std::vector<std::string> fail;
  std::vector<std::string> never;

  Cluster() {
    client.on_write([this](const json& o) {
      std::string name = o["metadata"]["name"];
      if (std::find(never.begin(), never.end(), name) != never.end()) return;
      auto it = delays.find(name);
      auto after = it == delays.end() ? delay : it->second;
      kube::ObjectRef r = fakes::ref(o["apiVersion"], o["kind"], o["metadata"].value("namespace", ""), name);
      bool failing = std::find(fail.begin(), fail.end(), name) != fail.end();
      client.schedule(after, [this, r, failing] {
        auto live = client.object(r);
        if (!live) return;
        client.set_status(r, failing ? fakes::failed_status(*live) : fakes::healthy_status(*live));
      });
    });
  }

  engine::SyncResult sync(const Plan& plan, engine::RunOptions options = {}) {
    return engine::run_sync(plan, client, clock, sink, options);
  }

  json ns(const std::string& name) { return object("v1", "Namespace", "", name); }
  void seed_namespace(const std::string& name) {
    client.seed(json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}},
                     {"status", {{"phase", "Active"}}}});
  }
};

}  // namespace wavesync::test
