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

const ResourceRecord* RunRecord::find(const ObjectRef& id) const {
  for (const StepRecord& s : steps)
    for (const ResourceRecord& r : s.resources)
      if (r.id == id) return &r;
  return nullptr;
}

ResourceRecord::ResourceRecord(const ResourceRecord& other)
    : id(other.id), source(other.source), hook(other.hook), applied(other.applied), ended(other.ended),
      apply_result(other.apply_result), outcome(other.outcome),
      details_(other.details_ ? std::make_unique<ResourceDetails>(*other.details_) : nullptr) {}

ResourceRecord& ResourceRecord::operator=(const ResourceRecord& other) {
  if (this != &other) *this = ResourceRecord(other);
  return *this;
}

const ResourceDetails& ResourceRecord::details() const {
  static const ResourceDetails none;
  return details_ ? *details_ : none;
}

ResourceDetails& ResourceRecord::edit_details() {
  if (!details_) details_ = std::make_unique<ResourceDetails>();
  return *details_;
}

ObjectRef id_of(const PlannedResource& planned) { return object_ref_of(planned.resource); }

Recorder::Recorder(const Plan& plan, bool keep_events) : plan_(&plan), keep_events_(keep_events) { list_plan(); }

void Recorder::list_plan() {
  record_.steps.clear();
  if (plan_ == nullptr) return;
  record_.steps.reserve(plan_->steps.size());
  for (const Step& step : plan_->steps) {
    StepRecord s;
    s.phase = step.phase;
    s.wave = step.wave;
    s.resources.reserve(step.resources.size());
    for (const PlannedResource& p : step.resources) {
      ResourceRecord r;
      r.id = id_of(p);
      r.source = p.resource.source;
      r.hook = p.hook.has_value();
      s.resources.push_back(std::move(r));
    }
    record_.steps.push_back(std::move(s));
  }
}

StepRecord& Recorder::step_for(const engine::Event& event) {
  const Phase phase = event.phase.value_or(Phase::sync);
  for (StepRecord& s : record_.steps)
    if (s.phase == phase && s.wave == event.wave) return s;
  StepRecord s;
  s.phase = phase;
  s.wave = event.wave;
  if (record_.deletion) return record_.steps.emplace_back(std::move(s));
  // Keep plan order: phases in order, waves ascending.
  auto it = std::find_if(record_.steps.begin(), record_.steps.end(), [&](const StepRecord& o) {
    return std::make_pair(static_cast<int>(o.phase), o.wave) > std::make_pair(static_cast<int>(phase), event.wave);
  });
  return *record_.steps.insert(it, std::move(s));
}

ResourceRecord& Recorder::resource_for(StepRecord& step, const engine::Event& event) {
  const ObjectRef& id = *event.resource;
  // Events come in plan order: look at the record after the last one found first, so a step of
  // 5,000 objects costs one comparison per event instead of a scan.
  if (hint_step_ == &step) {
    for (std::size_t i = hint_index_; i < std::min(hint_index_ + 2, step.resources.size()); ++i) {
      if (step.resources[i].id == id) {
        hint_index_ = i;
        return step.resources[i];
      }
    }
  }
  for (std::size_t i = 0; i < step.resources.size(); ++i) {
    if (step.resources[i].id == id) {
      hint_step_ = &step;
      hint_index_ = i;
      return step.resources[i];
    }
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

ResourceRecord* Recorder::find_any(const ObjectRef& id) {
  for (StepRecord& s : record_.steps)
    for (ResourceRecord& r : s.resources)
      if (r.id == id) return &r;
  return nullptr;
}

void Recorder::emit(const engine::Event& event) {
  if (keep_events_) record_.events.push_back(event);
  if (event.dry_run) record_.dry_run = true;
  if (event.deletion) record_.deletion = true;
  switch (event.type) {
    case EventType::sync_started:
      if (event.attempt > 1) {
        // --retry: a new attempt starts from the plan again; the record keeps the last one.
        list_plan();
        hint_step_ = nullptr;
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
      if (event.deletion) record_.deleted = event.count;
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
        if (ResourceRecord* r = find_any(*event.resource)) r->edit_details().notes.push_back("deleted: " + event.message);
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
      if (!event.warnings.empty() || !r.details().warnings.empty()) r.edit_details().warnings = event.warnings;
      if (r.outcome == Outcome::not_run) r.outcome = event.dry_run ? Outcome::applied : Outcome::running;
      // The engine says nothing more about an object it does not wait on (no health rule
      // applies: ConfigMap, RBAC, most custom resources): it is ready once applied.
      if (r.outcome == Outcome::running && !r.hook && !event.waited) {
        r.outcome = Outcome::ready;
        r.ended = event.time;
      }
      if (event.health) r.edit_details().health = event.health;
      return;
    case EventType::apply_failed:
      r.outcome = Outcome::failed;
      r.edit_details().message = event.message;
      r.ended = event.time;
      return;
    case EventType::health_changed: {
      if (event.health) r.edit_details().health = event.health;
      const std::optional<health::Health>& health = r.details().health;
      // The engine sets a message only when this change failed the resource (Degraded, gone).
      if (!event.message.empty() || (health && health->status == health::Status::degraded)) {
        r.outcome = Outcome::failed;
        r.edit_details().message = !event.message.empty() ? event.message : health_text(*health);
        r.ended = event.time;
      } else if (health && health->status == health::Status::healthy && r.outcome == Outcome::running) {
        r.outcome = Outcome::ready;
        r.ended = event.time;
      }
      return;
    }
    case EventType::hook_completed:
      if (event.health) r.edit_details().health = event.health;
      r.outcome = Outcome::ready;
      r.ended = event.time;
      return;
    case EventType::hook_failed: {
      if (event.health) r.edit_details().health = event.health;
      r.outcome = Outcome::failed;
      const std::optional<health::Health>& health = r.details().health;
      r.edit_details().message = !event.message.empty() ? event.message : (health ? health_text(*health) : "failed");
      r.ended = event.time;
      return;
    }
    case EventType::deleting:
      if (event.deletion) {
        // `wavesync delete`: the object is done once gone, not there, kept (or listed in a dry
        // run); until then it is being deleted.
        r.edit_details().notes.push_back(event.message);
        if (!r.applied) r.applied = event.time;
        const bool in_progress = event.message == "deleting (foreground)" || event.message == "already being deleted";
        r.outcome = in_progress ? Outcome::running : Outcome::ready;
        if (!in_progress) r.ended = event.time;
        return;
      }
      r.edit_details().notes.push_back("deleting: " + event.message);
      return;
    case EventType::blocked:
      r.edit_details().blocked = event.message;
      return;
    default: return;
  }
}

}  // namespace wavesync::output
