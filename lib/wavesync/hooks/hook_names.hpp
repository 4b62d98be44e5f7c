// Names for hooks that only have metadata.generateName, made before sorting and deterministic
// per sync as Argo CD makes them (gitops-engine sync_context.go getSyncTasks), so a hook sorts
// by the name it will get and a sync finds its own hooks again. Pure.
#pragma once

#include "wavesync/hooks/hook.hpp"
#include "wavesync/model/resource.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace wavesync {

// A stable id for a set of manifests, standing in for Argo CD's revision: 16 hex digits of an
// FNV-1a hash over every object's JSON, in input order. The same manifests give the same id.
std::string run_id(const std::vector<Resource>& resources);

// `generateName + lowercase("<first 7 of revision>-<phase>-<unix seconds>")`, e.g.
// `migrate-1a2b3c4-presync-1767268800`; a revision of 7 characters or fewer is used whole.
std::string generated_hook_name(const std::string& generate_name, const std::string& revision, Phase phase,
                                std::int64_t started_at_unix);

}  // namespace wavesync
