#include "wavesync/output/run_record.hpp"

#include "wavesync/output/format.hpp"

#include <algorithm>

namespace wavesync::output {

using engine::EventType;

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::not_run: return "not-run";
    case Outcome::running: return "running";
    case Outcome::ready: return "ready";
    case Outcome::applied: return "applied";
    case Outcome::failed: return "failed";
    case Outcome::timed_out: return "timed-out";
  }
  return "failed";
}

std::size_t StepRecord::hook_count() const {
  return static_cast<std::size_t>(
      std::count_if(resources.begin(), resources.end(), [](const ResourceRecord& r) { return r.hook; }));
}

std::size_t StepRecord::resource_count() const { return resources.size() - hook_count(); }

const StepRecord* RunRecord::current_step() const {
  for (auto it = steps.rbegin(); it != steps.rend(); ++it)
    if (it->started && !it->done) return &*it;
  return nullptr;
}

const ResourceRecord* RunRecord::find(const engine::ObjectId& id) const {
  for (const StepRecord& s : steps)
    for (const ResourceRecord& r : s.resources)
      if (r.id == id) return &r;
  return nullptr;
}

namespace {
bool has_health_rule(const engine::ObjectId& id) {
  const nlohmann::json stub{{"apiVersion", id.api_version},
                            {"kind", id.kind},
                            {"metadata", {{"name", id.name}, {"namespace", id.namespace_name}}}};
  return health::assess(stub, health::Options{}).has_value();
}
}  // namespace

engine::ObjectId id_of(const PlannedResource& planned) {
  const Resource& r = planned.resource;
  std::string name = r.name();
  if (name.empty()) name = r.generate_name();
  return engine::ObjectId{r.api_version(), r.kind(), r.namespace_name(), name};
}

Recorder::Recorder(const Plan& plan, bool keep_events) : keep_events_(keep_events) {
  for (const Step& step : plan.steps) {
    StepRecord s;
    s.phase = step.phase;
    s.wave = step.wave;
    for (const PlannedResource& p : step.resources) {
      ResourceRecord r;
      r.id = id_of(p);
      r.source = p.resource.source;
      r.hook = p.hook.has_value();
      s.resources.push_back(std::move(r));
    }
    record_.steps.push_back(std::move(s));
  }
  planned_ = record_.steps;
}

StepRecord& Recorder::step_for(const engine::Event& event) {
  const Phase phase = event.phase.value_or(Phase::sync);
  for (StepRecord& s : record_.steps)
    if (s.phase == phase && s.wave == event.wave) return s;
  StepRecord s;
  s.phase = phase;
  s.wave = event.wave;
  // Keep plan order: phases in order, waves ascending.
  auto it = std::find_if(record_.steps.begin(), record_.steps.end(), [&](const StepRecord& o) {
    return std::make_pair(static_cast<int>(o.phase), o.wave) > std::make_pair(static_cast<int>(phase), event.wave);
  });
  return *record_.steps.insert(it, std::move(s));
}

ResourceRecord& Recorder::resource_for(StepRecord& step, const engine::Event& event) {
  const engine::ObjectId& id = *event.resource;
  for (ResourceRecord& r : step.resources) {
    if (r.id == id) return r;
  }
  // A hook named by generateName in the plan gets its real name from the engine: match the
  // planned prefix once.
  for (ResourceRecord& r : step.resources) {
    if (r.hook && r.outcome == Outcome::not_run && !r.applied && r.id.kind == id.kind &&
        r.id.namespace_name == id.namespace_name && id.name.rfind(r.id.name, 0) == 0 &&
        r.id.name.size() < id.name.size() && !r.id.name.empty() && r.id.name.back() == '-') {
      r.id = id;
      return r;
    }
  }
  ResourceRecord r;
  r.id = id;
  r.source = event.source;
  r.hook = event.hook;
  step.resources.push_back(std::move(r));
  return step.resources.back();
}

ResourceRecord* Recorder::find_any(const engine::ObjectId& id) {
  for (StepRecord& s : record_.steps)
    for (ResourceRecord& r : s.resources)
      if (r.id == id) return &r;
  return nullptr;
}

void Recorder::emit(const engine::Event& event) {
  if (keep_events_) record_.events.push_back(event);
  if (event.dry_run) record_.dry_run = true;
  switch (event.type) {
    case EventType::sync_started:
      if (event.attempt > 1) {
        // --retry: a new attempt starts from the plan again; the record keeps the last one.
        record_.steps = planned_;
        record_.diagnostics.clear();
      }
      record_.attempts = event.attempt;
      if (!record_.started) record_.started = event.time;
      record_.run_id = event.message;
      return;
    case EventType::retrying: return;
    case EventType::sync_done:
      record_.outcome = event.sync_outcome;
      record_.exit_code = event.exit_code;
      record_.duration = event.duration;
      record_.reasons = event.reasons;
      // Whatever was still waiting when the sync ended did not make it.
      for (StepRecord& s : record_.steps)
        for (ResourceRecord& r : s.resources)
          if (r.outcome == Outcome::running) {
            r.outcome = Outcome::timed_out;
            if (!r.ended) r.ended = event.time;
          }
      return;
    case EventType::diagnostics:
      for (const engine::Diagnostic& d : event.diagnostics) record_.diagnostics.push_back(d);
      return;
    case EventType::hook_deleted:
      if (event.resource) {
        if (ResourceRecord* r = find_any(*event.resource)) r->notes.push_back("deleted: " + event.message);
      }
      return;
    default: break;
  }
  if (!event.phase) return;
  StepRecord& step = step_for(event);
  switch (event.type) {
    case EventType::step_started: step.started = event.time; return;
    case EventType::step_done: {
      step.done = event.time;
      step.duration = event.duration;
      step.result = event.step_result;
      const bool healthy = event.step_result == engine::StepResult::healthy;
      const bool applied = event.step_result == engine::StepResult::applied;
      for (ResourceRecord& r : step.resources) {
        if (r.outcome != Outcome::running) continue;
        if (healthy) r.outcome = Outcome::ready;
        else if (applied) r.outcome = Outcome::applied;
        else r.outcome = Outcome::timed_out;
        if (!r.ended) r.ended = event.time;
      }
      return;
    }
    default: break;
  }
  if (!event.resource) return;
  ResourceRecord& r = resource_for(step, event);
  if (r.source.file.empty()) r.source = event.source;
  switch (event.type) {
    case EventType::resource_applied:
    case EventType::hook_started:
      if (!r.applied) r.applied = event.time;
      r.apply_result = event.apply_result;
      r.warnings = event.warnings;
      if (r.outcome == Outcome::not_run) r.outcome = event.dry_run ? Outcome::applied : Outcome::running;
      // The engine says nothing more about an object no health rule applies to (ConfigMap,
      // RBAC, most custom resources): it is ready once applied.
      if (r.outcome == Outcome::running && !r.hook && !has_health_rule(r.id)) {
        r.outcome = Outcome::ready;
        r.ended = event.time;
      }
      if (event.health) r.health = event.health;
      return;
    case EventType::apply_failed:
      r.outcome = Outcome::failed;
      r.message = event.message;
      r.ended = event.time;
      return;
    case EventType::health_changed:
      if (event.health) r.health = event.health;
      // The engine sets a message only when this change failed the resource (Degraded, gone).
      if (!event.message.empty() ||
          (r.health && r.health->status == health::Status::degraded)) {
        r.outcome = Outcome::failed;
        r.message = !event.message.empty() ? event.message : health_text(*r.health);
        r.ended = event.time;
      } else if (r.health && r.health->status == health::Status::healthy && r.outcome == Outcome::running) {
        r.outcome = Outcome::ready;
        r.ended = event.time;
      }
      return;
    case EventType::hook_completed:
      if (event.health) r.health = event.health;
      r.outcome = Outcome::ready;
      r.ended = event.time;
      return;
    case EventType::hook_failed:
      if (event.health) r.health = event.health;
      r.outcome = Outcome::failed;
      r.message = !event.message.empty() ? event.message : (r.health ? health_text(*r.health) : "failed");
      r.ended = event.time;
      return;
    case EventType::deleting:
      r.notes.push_back("deleting: " + event.message);
      return;
    case EventType::blocked:
      r.blocked = event.message;
      return;
    default: return;
  }
}

}  // namespace wavesync::output
