#include "wavesync/engine/events.hpp"

namespace wavesync::engine {

std::string_view event_name(EventType type) {
  switch (type) {
    case EventType::sync_started: return "sync-started";
    case EventType::step_started: return "step-started";
    case EventType::resource_applied: return "resource-applied";
    case EventType::apply_failed: return "apply-failed";
    case EventType::health_changed: return "health-changed";
    case EventType::deleting: return "deleting";
    case EventType::hook_started: return "hook-started";
    case EventType::hook_completed: return "hook-completed";
    case EventType::hook_failed: return "hook-failed";
    case EventType::hook_deleted: return "hook-deleted";
    case EventType::step_done: return "step-done";
    case EventType::diagnostics: return "diagnostics";
    case EventType::sync_done: return "sync-done";
    case EventType::blocked: return "blocked";
    case EventType::retrying: return "retrying";
    case EventType::warning: return "warning";
  }
  return "unknown";
}

std::string_view apply_result_name(ApplyResult result) {
  switch (result) {
    case ApplyResult::created: return "created";
    case ApplyResult::configured: return "configured";
    case ApplyResult::unchanged: return "unchanged";
  }
  return "configured";
}

std::string_view step_result_name(StepResult result) {
  switch (result) {
    case StepResult::healthy: return "healthy";
    case StepResult::applied: return "applied";
    case StepResult::failed: return "failed";
    case StepResult::timed_out: return "timed-out";
    case StepResult::interrupted: return "interrupted";
  }
  return "failed";
}

std::string_view sync_outcome_name(SyncOutcome outcome) {
  switch (outcome) {
    case SyncOutcome::succeeded: return "succeeded";
    case SyncOutcome::failed: return "failed";
    case SyncOutcome::timed_out: return "timed-out";
    case SyncOutcome::interrupted: return "interrupted";
  }
  return "failed";
}

}  // namespace wavesync::engine
