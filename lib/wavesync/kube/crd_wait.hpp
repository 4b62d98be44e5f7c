// Waiting for a freshly applied CustomResourceDefinition to become usable: its Established
// condition, then its kind in discovery. Works over any kube::Client (real or fake).
#pragma once

#include "wavesync/kube/client.hpp"
#include "wavesync/model/result.hpp"

#include <chrono>

namespace wavesync::kube {

// Blocks until the CRD `crd` (the applied object) reports Established=True and
// `client.resolve()` knows its kind for every served version, refreshing discovery as it
// polls. Error with exit code 3 on timeout, naming what is still missing; error when the CRD
// reports NamesAccepted=False.
Result<void> wait_for_crd(Client& client, const nlohmann::json& crd,
                          std::chrono::milliseconds timeout,
                          std::chrono::milliseconds poll_interval = std::chrono::milliseconds(100));

}  // namespace wavesync::kube
