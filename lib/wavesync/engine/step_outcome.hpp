// StepOutcome: what one step of a sync, or one part of it (a deletion, an apply run, a wait),
// decided, returned to its caller instead of written into the Syncer: how it stopped, the
// reasons found on the way, why a deadline passed and which exit code a failure maps to. Pure;
// internal to engine/.
#pragma once

#include "wavesync/engine/events.hpp"
#include "wavesync/engine/live_view.hpp"
#include "wavesync/model/result.hpp"

#include <optional>
#include <string>
#include <vector>

namespace wavesync::engine::detail {

enum class Stop { none, failed, timed_out, interrupted };

// The exit code a failed sync ends with: 1, or 4 once anything found the API server unreachable.
enum class ExitClass { sync_failed, cluster };

struct StepOutcome {
  Stop stop = Stop::none;
  std::vector<Reason> reasons;  // in the order they were found
  // Why a deadline passed: set by the part that knows most (an object's own timeout, the prunes
  // still going, the namespaces and CRDs waited for), else by the step (--timeout, --wave-timeout).
  std::optional<Reason> timeout;
  ExitClass exit_class = ExitClass::sync_failed;

  // A failure that is about no one object: Stop::failed and `text` as its one reason.
  static StepOutcome failed(std::string text);
  // The same for an error: its message, and its exit class noted.
  static StepOutcome failed(const Error& error);

  // Adds what `later` decided, which happened after this: its reasons follow these; the first
  // stop and the first timeout reason are kept; a cluster exit class wins.
  void merge(StepOutcome later);
  // An error on the way: its exit class is kept (exit_code::k_cluster makes it ExitClass::cluster).
  void note(const Error& error);
  [[nodiscard]] bool stopped() const { return stop != Stop::none; }
  // exit_code::k_cluster or exit_code::k_sync_failed.
  [[nodiscard]] int failure_exit_code() const;
};

// How a wait on the live view ended: satisfied (Stop::none), timed out, interrupted, or failed
// with `watch: <message>` as its reason when the watch broke (ExitClass::cluster when the API
// server could not be reached).
StepOutcome outcome_of(const Result<WaitEnd>& end);

// The texts of `reasons`, in order: what events, reports and SyncResult::reasons show.
std::vector<std::string> texts_of(const std::vector<Reason>& reasons);

}  // namespace wavesync::engine::detail
