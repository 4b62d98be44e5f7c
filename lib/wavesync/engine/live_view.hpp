// LiveView: the engine's picture of the objects it waits on, kept current by one multiplexed
// kube::Watch. Widening the set of watched collections opens a new watch (the new one re-lists);
// snapshots older than what is already known are dropped, so the picture only moves forward.
// Not a cache for anything else; it never polls.
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/events.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace wavesync::engine {

// The collection an object lives in, as a watch request (namespace empty when cluster-scoped).
kube::WatchRequest collection_of(const ObjectRef& id);

struct Observed {
  nlohmann::json object;  // last state seen (for a deleted object: its last state)
  bool deleted = false;
};

// What a wait needs to see of an object. `deletion`: only that it goes and what holds it
// (metadata: deletionTimestamp, finalizers; a Namespace's spec.finalizers too), so its
// collection is watched metadata-only (PartialObjectMetadata) unless something else needs it
// whole. Pruning 50,000 ConfigMaps then does not download and keep their data.
enum class Detail { full, deletion };

class LiveView {
 public:
  explicit LiveView(kube::Client& client) : client_(client) {}
  // The watch's filter refers to this object.
  LiveView(const LiveView&) = delete;
  LiveView& operator=(const LiveView&) = delete;

  // Makes sure the collections holding `ids` are watched; opens a wider watch when needed (a
  // new collection, or one watched metadata-only that now needs whole objects).
  // Call it before writing to those objects so no change after the write is missed.
  Result<void> cover(const std::vector<ObjectRef>& ids, Detail detail = Detail::full);
  // Records what a write returned (newer than anything the watch delivered so far).
  void record(const ObjectRef& id, const nlohmann::json& object);
  // Marks an object as gone (a GET found nothing).
  void record_gone(const ObjectRef& id);
  // Drops what is known about objects nobody waits on any more (a finished step's objects
  // without a health rule): a run over 100,000 objects keeps no entry per object to its end.
  // Later watch events about them are ignored, as for any object nobody asked for.
  void forget(const std::vector<ObjectRef>& ids);
  // Waits up to `timeout` for one event; returns the object it was about, or nullopt when
  // nothing arrived (or the event was stale or about an object nobody asked for).
  Result<std::optional<ObjectRef>> next(std::chrono::milliseconds timeout);

  // nullopt: never seen.
  [[nodiscard]] const Observed* find(const ObjectRef& id) const;

 private:
  using Key = ResourceKey;  // version-free: group, kind, namespace, name
  static Key key_of(const ObjectRef& id);
  kube::WatchFilter wanted() const;
  bool newer(const Key& key, const nlohmann::json& object) const;

  kube::Client& client_;
  std::unique_ptr<kube::Watch> watch_;
  // group kind ns -> watched metadata-only
  std::map<std::tuple<std::string, std::string, std::string>, bool> covered_;
  std::vector<kube::WatchRequest> requests_;
  std::map<Key, Observed> objects_;
  std::map<Key, ObjectRef> ids_;  // key -> id as the engine spells it
};

// How a wait on the LiveView ended (wait_on).
enum class WaitEnd { satisfied, timed_out, interrupted };

struct WaitLimits {
  TimePoint deadline;
  std::chrono::milliseconds check_interval{200};  // the longest wait for one event
  const std::atomic<int>* interrupt = nullptr;    // nonzero: stop waiting (a signal)
};

// The one wait loop of the engine: asks `satisfied` first and after every event, hands each
// event about a known object to `changed`, and ends when satisfied, interrupted or past the
// deadline. Blocks at most `check_interval` per event, so an interrupt is seen that often. An
// error when the watch breaks.
Result<WaitEnd> wait_on(LiveView& view, Clock& clock, const WaitLimits& limits, const std::function<bool()>& satisfied,
                        const std::function<void(const ObjectRef&)>& changed);

}  // namespace wavesync::engine
