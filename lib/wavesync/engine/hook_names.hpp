// Names for hooks that only have metadata.generateName, made deterministic per run as Argo CD
// does (argocd-semantics.md §2.2), so a run finds its own hooks again. Pure.
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/hooks/hook.hpp"
#include "wavesync/plan/plan.hpp"

#include <string>

namespace wavesync::engine {

// A stable id for the manifests of a plan: 16 hex digits of an FNV-1a hash over every
// object's JSON, in plan order. The same manifests always give the same id.
std::string run_id(const Plan& plan);

// `generateName + lowercase("<first 7 of run id>-<phase>-<unix seconds of start>")`, e.g.
// `migrate-1a2b3c4-presync-1767268800`.
std::string generated_hook_name(const std::string& generate_name, const std::string& run_id,
                                Phase phase, TimePoint start);

}  // namespace wavesync::engine
