// Adopting objects that `kubectl apply` (client-side) wrote: their fields are owned by an
// `Update` manager (`kubectl-client-side-apply`), so a later server-side apply that drops a
// field leaves it behind forever. The migration moves that ownership to wavesync's `Apply`
// manager first, as client-go's util/csaupgrade (UpgradeManagedFieldsPatch) does for
// `kubectl apply --server-side` and Argo CD's performCSAUpgradeMigration. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace wavesync::engine {

// The client-side apply manager kubectl writes as (Argo CD's DefaultClientSideApplyMigrationManager).
inline constexpr const char* k_client_side_apply_manager = "kubectl-client-side-apply";

// The JSON patch (RFC 6902) that moves every client-side apply manager's fields of `live` into
// `field_manager`'s Apply entry and removes those managers: a manager counts when it wrote with
// operation Update on the main resource and is `kubectl-client-side-apply` or owns the
// `kubectl.kubernetes.io/last-applied-configuration` annotation (kubectl's rule), or is
// `field_manager` itself (its Validate=false and Replace=true writes are not applies). The patch also
// sets metadata.resourceVersion to the live one, so a concurrent change makes it a 409.
// nullopt when nothing is to be migrated.
std::optional<nlohmann::json> client_side_apply_migration(const nlohmann::json& live,
                                                          const std::string& field_manager);

}  // namespace wavesync::engine
