// kube::Client: the one small interface between wavesync and a Kubernetes API server.
// The engine depends only on this. The HTTP/2 implementation lives in kube/ (the only code
// that includes curl or OpenSSL); an in-memory fake lives in test/fakes/.
#pragma once

#include "wavesync/model/object_ref.hpp"
#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace wavesync::kube {

// What discovery knows about a kind.
struct ResourceType {
  std::string group;     // empty for the core group
  std::string version;
  std::string kind;
  std::string resource;  // plural, e.g. `deployments`
  bool namespaced = true;
};

// Names one object (or, with an empty name, a collection): model/object_ref.hpp's one type.
using wavesync::ObjectRef;

enum class Propagation { foreground, background, orphan };
enum class DryRun { none, all };
enum class ForceConflicts { no, yes };
// The server's check of unknown and duplicate fields: Strict rejects them, Ignore drops them
// silently (`kubectl apply --validate=false`, Argo CD's Validate=false).
enum class FieldValidation { strict, ignore };

struct ApplyOptions {
  DryRun dry_run = DryRun::none;
  ForceConflicts force_conflicts = ForceConflicts::no;
  std::string field_manager = "wavesync";
  FieldValidation field_validation = FieldValidation::strict;
};

// How much of a container's log to read (the API's tailLines, limitBytes and previous).
struct LogOptions {
  int tail_lines = 20;
  std::int64_t limit_bytes = 0;  // 0: no limit
  bool previous = false;         // the container's previous run (a crash-looping container's last)
};

// The server's answer to an apply or create: the live object and any `Warning` headers.
struct WriteResult {
  nlohmann::json object;
  std::vector<std::string> warnings;
};

// A collection to list and watch. An empty namespace means all namespaces (or a
// cluster-scoped kind).
struct WatchRequest {
  std::string api_version;
  std::string kind;
  std::string namespace_name;
  std::string label_selector;
  std::string field_selector;
  // Ask for PartialObjectMetadata items (metadata without spec, data or status), for readers
  // of labels, annotations, finalizers and deletion over thousands of objects. list() and
  // watch(); a watch gives such objects their collection's apiVersion and kind.
  bool metadata_only = false;
};

// Whether a watch delivers events about `object` (apiVersion and kind already set).
using WatchFilter = std::function<bool(const nlohmann::json& object)>;

struct WatchEvent {
  enum class Type { added, modified, deleted };
  Type type = Type::added;
  nlohmann::json object;
};

// A live, multiplexed list+watch over one or more collections. Objects come without
// metadata.managedFields. The current state is first delivered as `added` events; after a 410 Gone or a dropped stream the implementation
// re-lists and re-delivers, so a consumer that keys objects by uid/name stays correct.
class Watch {
 public:
  virtual ~Watch() = default;
  // Waits up to `timeout` for the next event from any collection. nullopt: nothing arrived
  // in time. Error: a stream failed and could not be re-established.
  virtual Result<std::optional<WatchEvent>> next(std::chrono::milliseconds timeout) = 0;
};

class Client {
 public:
  virtual ~Client() = default;

  // Maps apiVersion+kind to its resource and scope, from discovery only. Error (404-like)
  // when the server does not serve the kind.
  virtual Result<ResourceType> resolve(const std::string& api_version, const std::string& kind) = 0;
  // Forgets cached discovery, e.g. after a CRD or APIService was applied.
  virtual Result<void> refresh_discovery() = 0;

  // Server-side applies every object, concurrently; results in the same order as `objects`.
  virtual std::vector<Result<WriteResult>> apply(const std::vector<nlohmann::json>& objects,
                                                 const ApplyOptions& options) = 0;
  // POST create (objects with only metadata.generateName; Replace=true and Validate=false
  // objects that do not exist yet). `validation` ignore: the server drops unknown fields.
  virtual Result<WriteResult> create(const nlohmann::json& object, DryRun dry_run,
                                     FieldValidation validation = FieldValidation::strict) = 0;
  // PUT: replaces the whole object, as `kubectl replace`. `object` carries the live
  // metadata.resourceVersion; a stale one is a 409 Conflict. `force_conflicts` is not used.
  virtual Result<WriteResult> update(const nlohmann::json& object, const ApplyOptions& options) = 0;
  // An RFC 6902 JSON patch of one object (application/json-patch+json).
  virtual Result<WriteResult> patch(const ObjectRef& ref, const nlohmann::json& json_patch) = 0;
  // An RFC 7386 JSON merge patch of one object (application/merge-patch+json) with the
  // options' field manager, field validation and dry run (`force_conflicts` is not used).
  virtual Result<WriteResult> merge_patch(const ObjectRef& ref, const nlohmann::json& patch,
                                          const ApplyOptions& options) = 0;
  // nullopt when the object does not exist.
  virtual Result<std::optional<nlohmann::json>> get(const ObjectRef& ref) = 0;
  // A List object (`items`, `metadata.resourceVersion`).
  virtual Result<nlohmann::json> list(const WatchRequest& request) = 0;
  // Deletes with an explicit propagation policy. A missing object is success.
  virtual Result<void> remove(const ObjectRef& ref, Propagation propagation) = 0;
  // get() and remove() of many objects, concurrently; results in the same order. A prune of
  // 5,000 objects one round trip at a time took minutes (gitops-engine deletes a wave's
  // objects in parallel).
  virtual std::vector<Result<std::optional<nlohmann::json>>> get_each(const std::vector<ObjectRef>& refs) = 0;
  virtual std::vector<Result<void>> remove_each(const std::vector<std::pair<ObjectRef, Propagation>>& targets) = 0;
  // `wanted` (may be empty: everything) is asked about each object before its event is queued;
  // objects it turns down are never delivered and not kept, so a watch over 100,000 objects
  // for the few hundred a caller waits on holds only those. It is called on the thread that
  // calls Watch::next and may change its answer over time.
  virtual Result<std::unique_ptr<Watch>> watch(const std::vector<WatchRequest>& requests,
                                               const WatchFilter& wanted) = 0;

  // The end of a container's log (empty container: the only one), as `options` bound it.
  virtual Result<std::string> pod_logs(const std::string& namespace_name,
                                       const std::string& pod,
                                       const std::string& container,
                                       const LogOptions& options) = 0;
  // Events whose involvedObject is `ref`, oldest first.
  virtual Result<std::vector<nlohmann::json>> events_for(const ObjectRef& ref) = 0;
};

}  // namespace wavesync::kube
