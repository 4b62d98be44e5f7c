// `wavesync diff`'s cluster work: for every planned object (hooks aside: each sync creates them
// afresh) the live object and what a server-side dry-run apply would make of the manifest, as
// values. Comparing and printing them is output/'s (object_diff.hpp); this only asks the server.
#pragma once

#include "wavesync/engine/events.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/model/result.hpp"
#include "wavesync/plan/plan.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace wavesync::engine {

// One planned object, live against desired.
struct ObjectComparison {
  ObjectRef id;
  std::optional<nlohmann::json> live;  // nullopt: it does not exist
  nlohmann::json desired;              // the dry-run result, or the manifest (see `note`)
  // Why the manifest stands in for a dry run (its namespace or kind comes with an earlier wave,
  // so the server cannot dry-run it yet): `compared with the manifest, not a server dry run:
  // <the server's 404>`. Empty when the server answered.
  std::string note;
};

struct Comparison {
  std::vector<ObjectComparison> objects;  // in plan order
  // Objects the server refused to read or dry-run (not 404): each error names its object. The
  // diff of the rest is still complete; `wavesync diff` exits 2 for these.
  std::vector<Error> errors;
};

// Reads each non-hook planned object and dry-runs its manifest (server-side apply, dryRun=All,
// conflicts forced: a diff must not fail on fields another manager owns). Fails only when the
// cluster cannot be reached (exit code 4), with nothing returned.
Result<Comparison> compare_with_live(const Plan& plan, kube::Client& client);

}  // namespace wavesync::engine
