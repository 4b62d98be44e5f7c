// FakeClient: an in-memory kube::Client for engine tests, and FakeClock, the time it runs
// on. It stores objects, records every call as a readable string
// (`apply apps/v1 Deployment shop/web`), injects faults, and lets tests play the
// controllers (set an object's status now or at a later fake time).
//
// What it does NOT do (the real API server is the judge; see test/e2e):
// - apply is a simplified server-side apply: top-level fields other than metadata and
//   status are replaced wholesale; labels/annotations/finalizers/ownerReferences are replaced
//   when given. No field ownership, no conflicts, no defaulting, no schema validation.
// - immutability is only modelled for Job spec.selector/spec.template and
//   Deployment spec.selector (422 "field is immutable").
// - selectors: label selectors support only `k=v` terms joined by commas; field selectors
//   only `metadata.name=` and `metadata.namespace=`.
// - no controllers run by themselves: status changes come from set_status()/schedule()/
//   the on_write reactor. Deleting an owner deletes objects whose ownerReferences name it.
// - update (PUT) keeps uid, creationTimestamp and status and checks resourceVersion; it runs
//   no admission or validation. patch takes RFC 6902 JSON patches, merge_patch RFC 7386 ones
//   (recorded as `patch ... (merge)`); neither records field ownership.
// - watches never expire (no 410) unless a fault is injected; no bookmarks.
// - a created CRD is Established at once, unless annotated `fake.wavesync.dev/established:
//   "false"` (then it stays Installing until a test sets its status).
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/kube/client.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wavesync::fakes {

inline constexpr const char* k_fake_established = "fake.wavesync.dev/established";
// On a CRD: how many discovery refreshes after it is Established still miss its kind, as a real
// API server's discovery lags its Established condition.
inline constexpr const char* k_fake_discovery_lag = "fake.wavesync.dev/discovery-lag";

// A clock that moves only when told to (or when a FakeWatch waits).
class FakeClock final : public engine::Clock {
 public:
  FakeClock();
  engine::TimePoint now() override;
  void sleep_for(std::chrono::milliseconds d) override { advance(d); }
  void advance(std::chrono::milliseconds by);
  void set(engine::TimePoint to);

 private:
  std::mutex mutex_;
  engine::TimePoint now_;
};

// Fails calls that match; empty fields match anything.
struct Fault {
  // apply, dry-run-apply (an apply with dryRun), create, update, patch, get, list, delete,
  // watch, resolve, watch-next
  std::string verb;
  std::string kind;
  std::string name;
  int times = 1;     // how many matching calls fail
  Error error;       // returned as is (set http_status for API errors)
};

class FakeClient final : public kube::Client {
 public:
  // `clock` must outlive the client; it stamps objects and drives schedule().
  explicit FakeClient(FakeClock& clock);
  ~FakeClient() override;

  // kube::Client
  Result<kube::ResourceType> resolve(const std::string& api_version, const std::string& kind) override;
  Result<void> refresh_discovery() override;
  std::vector<Result<kube::WriteResult>> apply(const std::vector<nlohmann::json>& objects,
                                               const kube::ApplyOptions& options) override;
  Result<kube::WriteResult> create(const nlohmann::json& object, kube::DryRun dry_run,
                                   kube::FieldValidation validation = kube::FieldValidation::strict) override;
  Result<kube::WriteResult> update(const nlohmann::json& object, const kube::ApplyOptions& options) override;
  Result<kube::WriteResult> patch(const kube::ObjectRef& ref, const nlohmann::json& json_patch) override;
  Result<kube::WriteResult> merge_patch(const kube::ObjectRef& ref, const nlohmann::json& patch,
                                        const kube::ApplyOptions& options) override;
  Result<std::optional<nlohmann::json>> get(const kube::ObjectRef& ref) override;
  Result<nlohmann::json> list(const kube::WatchRequest& request) override;
  Result<void> remove(const kube::ObjectRef& ref, kube::Propagation propagation) override;
  // One after another, through get() and remove(): the call log reads as for single calls.
  std::vector<Result<std::optional<nlohmann::json>>> get_each(const std::vector<kube::ObjectRef>& refs) override {
    std::vector<Result<std::optional<nlohmann::json>>> out;
    for (const auto& ref : refs) out.push_back(get(ref));
    return out;
  }
  std::vector<Result<void>> remove_each(
      const std::vector<std::pair<kube::ObjectRef, kube::Propagation>>& targets) override {
    std::vector<Result<void>> out;
    for (const auto& [ref, propagation] : targets) out.push_back(remove(ref, propagation));
    return out;
  }
  Result<std::unique_ptr<kube::Watch>> watch(const std::vector<kube::WatchRequest>& requests,
                                             const kube::WatchFilter& wanted) override;
  Result<std::string> pod_logs(const std::string& namespace_name, const std::string& pod,
                               const std::string& container, const kube::LogOptions& options) override;
  Result<std::vector<nlohmann::json>> events_for(const kube::ObjectRef& ref) override;

  // --- inspection ---
  // Every call so far, e.g. `apply apps/v1 Deployment shop/web`, `dry-run apply ...`,
  // `apply ... (fieldValidation=Ignore)`, `update ...`, `patch ...`,
  // `create batch/v1 Job shop/migrate-`, `delete batch/v1 Job shop/migrate foreground`,
  // `get ...`, `list v1 Pod shop`, `watch ...`, `resolve apps/v1 Deployment`,
  // `refresh-discovery`, `pod-logs shop/p`, `events ...`.
  std::vector<std::string> calls() const;
  // Only the calls that write: apply (not dry-run), create, update, patch, delete.
  std::vector<std::string> writes() const;
  // One entry per apply() call that writes (not dry-run), listing the objects sent together in
  // it (`apps/v1 Deployment shop/web`): calls() logs each object on its own line, so only this
  // shows how objects were batched into calls.
  std::vector<std::vector<std::string>> apply_batches() const;
  void clear_calls();  // also clears apply_batches()
  std::optional<nlohmann::json> object(const kube::ObjectRef& ref) const;
  std::vector<nlohmann::json> objects() const;

  // --- controller simulation ---
  // Replaces `.status` and bumps resourceVersion; watchers see MODIFIED.
  void set_status(const kube::ObjectRef& ref, nlohmann::json status);
  // Arbitrary change to a stored object; watchers see MODIFIED.
  void mutate(const kube::ObjectRef& ref, const std::function<void(nlohmann::json&)>& change);
  // Removes an object at once (e.g. a TTL controller); watchers see DELETED.
  void erase(const kube::ObjectRef& ref);
  // Puts an object in place without recording a call (e.g. left over from an earlier run).
  void seed(nlohmann::json object);
  // Runs `action` once the fake clock reaches now+after (during a FakeWatch wait, or in
  // run_due()). Actions run in time order.
  void schedule(std::chrono::milliseconds after, std::function<void()> action);
  // Runs the scheduled actions that are due at the current fake time.
  void run_due();
  // Called after every successful, non-dry-run apply/create with the stored object.
  void on_write(std::function<void(const nlohmann::json&)> reactor);

  // --- deletion ---
  // 0 (default): objects without finalizers vanish at once. Otherwise deletion sets
  // deletionTimestamp and the object vanishes after `delay` of fake time.
  void set_deletion_delay(std::chrono::milliseconds delay);
  // Objects with metadata.finalizers stay (with deletionTimestamp) until this is called.
  void clear_finalizers(const kube::ObjectRef& ref);

  // --- faults and test data ---
  void inject_fault(Fault fault);
  void set_pod_logs(const std::string& namespace_name, const std::string& pod, std::string logs);
  // Stores a core/v1 Event about `ref` (type Normal/Warning).
  void add_event(const kube::ObjectRef& ref, const std::string& type, const std::string& reason,
                 const std::string& message);
  // Kind known without a CRD (for tests of unusual kinds).
  void add_builtin_kind(const std::string& api_version, const std::string& kind,
                        const std::string& plural, bool namespaced);

  class FakeWatch;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

// Status a controller would write once `live` is ready/complete (Deployment available,
// Job complete, Pod succeeded or ready, Namespace Active, CRD Established, ...). Empty
// object for kinds without status.
nlohmann::json healthy_status(const nlohmann::json& live);
// Status of a failed Job / crashed Pod / Deployment past its progress deadline.
nlohmann::json failed_status(const nlohmann::json& live);

// `ObjectRef` from apiVersion, kind, namespace, name.
kube::ObjectRef ref(std::string api_version, std::string kind, std::string namespace_name,
                    std::string name);

}  // namespace wavesync::fakes
