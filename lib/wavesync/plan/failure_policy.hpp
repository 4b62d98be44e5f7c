// wavesync's own per-object failure policy annotations: how long the object may take
// (`wavesync.dev/timeout`), how long its pods may sit in a waiting reason that never ends by
// waiting (`wavesync.dev/pod-failure-grace`), and which objects outside the manifests must
// exist and be healthy before it is applied (`wavesync.dev/wait-for`). Pure.
#pragma once

#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace wavesync {

inline constexpr const char* k_annotation_timeout = "wavesync.dev/timeout";
inline constexpr const char* k_annotation_pod_failure_grace = "wavesync.dev/pod-failure-grace";
inline constexpr const char* k_annotation_wait_for = "wavesync.dev/wait-for";

// An object named by `wavesync.dev/wait-for`, made by someone else (an operator, a controller).
struct ExternalObject {
  std::string api_version;
  std::string kind;
  std::string namespace_name;  // empty: cluster-scoped, or the annotated object's namespace
  std::string name;
  // `v1 Secret rook-ceph/rgw-user`.
  [[nodiscard]] std::string str() const;
  auto operator<=>(const ExternalObject&) const = default;
};

struct FailurePolicy {
  std::optional<std::chrono::milliseconds> timeout;
  std::optional<std::chrono::milliseconds> pod_failure_grace;
  std::vector<ExternalObject> wait_for;
  auto operator<=>(const FailurePolicy&) const = default;
};

// Reads the three annotations. A value that does not parse fails with its location:
//   `app.yaml:7: wavesync.dev/timeout: invalid duration "5 min": unknown unit " min" (expected e.g. ...)`
//   `app.yaml:9: wavesync.dev/wait-for: invalid object "Secret/x": expected
//    <apiVersion>/<Kind>/<namespace>/<name> or <apiVersion>/<Kind>/<name>`
// wait-for is a comma list; `<apiVersion>` is `v1` or `<group>/<version>`. Without a namespace
// the object is cluster-scoped or, for a namespaced kind, in the annotated object's namespace
// (the engine decides from discovery).
Result<FailurePolicy> read_failure_policy(const Resource& resource);

}  // namespace wavesync
