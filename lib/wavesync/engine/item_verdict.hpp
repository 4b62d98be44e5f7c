// What the latest observation of one running object means for the sync: the engine's health and
// hook state machine as a pure function (Syncer::evaluate applies it and emits the events).
// Argo CD's rules (gitops-engine sync_context.go getOperationPhase and its health checks): a
// resource is waited for until Healthy and fails when Degraded; a hook also fails when its
// health is Unknown and is done when Missing; an object with no health rule is done once
// applied; an object deleted while it was waited for fails, never an endless wait.
#pragma once

#include "wavesync/health/health.hpp"

#include <optional>
#include <string>

namespace wavesync::engine {

enum class Verdict { waiting, done, failed };

struct ItemVerdict {
  Verdict verdict = Verdict::waiting;
  std::string failure;  // Verdict::failed: why, one line
};

// `hook`: the object is a hook. `deleted`: the watch saw it deleted. `health`: its assessed
// health, nullopt when no health rule applies (not read when `deleted`).
ItemVerdict judge_running(bool hook, bool deleted, const std::optional<health::Health>& health);

}  // namespace wavesync::engine
