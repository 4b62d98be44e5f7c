// Health of Flux's Kustomization, HelmRelease, GitRepository and HelmRepository, as Argo CD's
// bundled scripts judge them (resource_customizations/*.toolkit.fluxcd.io): a suspended object
// is Suspended; otherwise its Ready, Reconciling and kind-specific conditions are counted. Our own
// code, written from the behaviour those scripts document; verdicts and messages match theirs.
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <string>

namespace wavesync::health::rules {

Health flux(const Json& live) {
  std::string kind = string_at(live, {"kind"});
  if (bool_at(live, {"spec", "suspend"})) return {Status::suspended, kind + " is suspended"};
  // An OCI Helm repository never writes status, so there is nothing to wait for.
  if (kind == "HelmRepository" && string_at(live, {"spec", "type"}) == "oci") {
    return {Status::healthy, "Helm repositories of type 'oci' do not contain any information in the status."};
  }
  const Json* conditions = find_path(live, {"status", "conditions"});
  if (conditions == nullptr || conditions->is_null()) return {Status::progressing, "Status unknown"};
  bool source = kind == "GitRepository" || kind == "HelmRepository";
  int progressing = 0;
  int succeeded = 0;
  std::string message;
  if (conditions->is_array()) {
    for (const Json& c : *conditions) {
      std::string type = field(c, "type");
      std::string status = field(c, "status");
      if (type == "Ready") {
        if (status == "True") ++succeeded;
        if (status == "Unknown") ++progressing;
        message = field(c, "reason");
      } else if (type == "Reconciling" && status == "True") {
        ++progressing;
      } else if (kind == "HelmRelease" && (type == "Released" || type == "TestSuccess")) {
        if (status == "True") ++succeeded;
      } else if (source && type == "ArtifactOutdated" && status == "True") {
        message += " " + field(c, "reason");
      } else if (source && type == "ArtifactInStorage" && status == "True") {
        ++succeeded;
      }
    }
  }
  // Ready=Unknown with Reconciling=True is a reconcile in flight; a Kustomization needs only
  // Ready, the others also their artifact or release condition.
  int needed = kind == "Kustomization" ? 1 : 2;
  if (progressing == 2) return {Status::progressing, message};
  if (succeeded == needed) return {Status::healthy, message};
  return {Status::degraded, message};
}

}  // namespace wavesync::health::rules
