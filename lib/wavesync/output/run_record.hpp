// RunRecord: one sync run as the reporters need it after the fact: every step with its
// resources and hooks, when each was applied and became ready, how it ended, and the sync's
// verdict. Built by Recorder, an EventSink, from the engine's events (and optionally the plan,
// so steps that never ran are listed too). Feeds the summary table, the JSON report, JUnit and
// the timeline. Not thread-safe; not a log (the events themselves are kept in order).
#pragma once

#include "wavesync/engine/events.hpp"
#include "wavesync/plan/plan.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wavesync::output {

using TimePoint = std::chrono::system_clock::time_point;

enum class Outcome {
  not_run,   // never applied (the sync stopped earlier, or a dry run of a later step)
  running,   // applied, not ready yet (the run is still going)
  ready,     // healthy, or no health rule applies, or the hook completed
  applied,   // applied and not waited for (--no-wait, --dry-run)
  failed,    // the apply was rejected, it turned Degraded, or the hook failed
  timed_out, // still not ready when the step timed out or the sync was interrupted
};

// `not-run`, `running`, `ready`, `applied`, `failed`, `timed-out`.
std::string_view outcome_name(Outcome outcome);

// What most records never get (a health, a message, warnings, notes): kept apart, so a run of
// 100,000 ConfigMaps does not carry 160 empty bytes per object.
struct ResourceDetails {
  std::optional<health::Health> health;  // last seen
  std::string message;                   // why it failed / the hook's message
  std::vector<std::string> warnings;
  std::vector<std::string> notes;        // deleting / hook-deleted messages
  std::string blocked;                   // why it is not ready yet (the last `blocked` event)
};

struct ResourceRecord {
  ObjectRef id;
  SourceLocation source;
  bool hook = false;
  std::optional<TimePoint> applied;   // resource-applied / hook-started
  std::optional<TimePoint> ended;     // became ready, failed, or the step ended
  std::optional<engine::ApplyResult> apply_result;
  Outcome outcome = Outcome::not_run;

  ResourceRecord() = default;
  ResourceRecord(const ResourceRecord& other);
  ResourceRecord& operator=(const ResourceRecord& other);
  ResourceRecord(ResourceRecord&&) noexcept = default;
  ResourceRecord& operator=(ResourceRecord&&) noexcept = default;

  // The details, empty ones when none were recorded.
  [[nodiscard]] const ResourceDetails& details() const;
  // The details to change (made on first use).
  ResourceDetails& edit_details();

 private:
  std::unique_ptr<ResourceDetails> details_;
};

struct StepRecord {
  Phase phase = Phase::sync;
  Wave wave = 0;
  std::optional<TimePoint> started;
  std::optional<TimePoint> done;
  std::chrono::milliseconds duration{0};
  std::optional<engine::StepResult> result;  // nullopt: not run (or still running)
  std::vector<ResourceRecord> resources;     // resources and hooks, in plan/apply order

  [[nodiscard]] std::size_t hook_count() const;
  [[nodiscard]] std::size_t resource_count() const;  // non-hooks
};

struct RunRecord {
  std::optional<TimePoint> started;
  std::string run_id;
  bool dry_run = false;
  // `wavesync delete`'s run: steps are listed in the order they ran (last wave first) and
  // `deleted` counts the objects that went.
  bool deletion = false;
  std::size_t deleted = 0;
  std::vector<StepRecord> steps;
  std::vector<engine::Event> events;  // every event, in order (if the Recorder keeps them)
  std::optional<engine::SyncOutcome> outcome;  // nullopt while running
  int exit_code = 0;
  std::chrono::milliseconds duration{0};
  std::vector<std::string> reasons;
  std::vector<engine::Diagnostic> diagnostics;
  int attempts = 1;  // --retry: how many attempts ran (the record shows the last one)

  // The step currently running (started, not done), or nullptr.
  [[nodiscard]] const StepRecord* current_step() const;
  // The record of `id` in any step, or nullptr.
  [[nodiscard]] const ResourceRecord* find(const ObjectRef& id) const;
};

// ObjectRef of a planned resource as its manifest names it (generateName when it has no name).
ObjectRef id_of(const PlannedResource& planned);

class Recorder final : public engine::EventSink {
 public:
  explicit Recorder(bool keep_events = true) : keep_events_(keep_events) {}
  // Lists the plan's steps and resources up front as not run. `keep_events` false leaves
  // RunRecord::events empty (only the JSON report needs them; 10,000 objects make 30,000).
  explicit Recorder(const Plan& plan, bool keep_events = true);
  void emit(const engine::Event& event) override;
  [[nodiscard]] const RunRecord& record() const { return record_; }

 private:
  StepRecord& step_for(const engine::Event& event);
  ResourceRecord& resource_for(StepRecord& step, const engine::Event& event);
  ResourceRecord* find_any(const ObjectRef& id);

  // (Re)lists the plan's steps as not run: at the start, and for each --retry attempt.
  void list_plan();

  const Plan* plan_ = nullptr;  // not owned; outlives the recorder
  RunRecord record_;
  bool keep_events_ = true;
  // Where resource_for found the last record.
  const StepRecord* hint_step_ = nullptr;
  std::size_t hint_index_ = 0;
};

}  // namespace wavesync::output
