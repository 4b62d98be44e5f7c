#include "wavesync/engine/delete_wait.hpp"

#include "wavesync/engine/hook_finalizer.hpp"
#include "wavesync/hooks/hook_finalizer.hpp"
#include "wavesync/plan/live_options.hpp"

#include <algorithm>
#include <map>

namespace wavesync::engine {

namespace {

void add_strings(const nlohmann::json& list, std::vector<std::string>& out) {
  if (!list.is_array()) return;
  for (const auto& item : list)
    if (item.is_string()) out.push_back(item.get<std::string>());
}

bool being_deleted(const nlohmann::json& live) {
  const auto meta = live.find("metadata");
  if (meta == live.end() || !meta->is_object()) return false;
  const auto ts = meta->find("deletionTimestamp");
  return ts != meta->end() && !ts->is_null();
}

// What a deletion wait reads of an object (blocking_finalizers, still_there_reason): its type
// and metadata, and a Namespace's spec. The rest (a ConfigMap's data) is not kept.
nlohmann::json deletion_state(const nlohmann::json& live) {
  nlohmann::json out = nlohmann::json::object();
  for (const char* field : {"apiVersion", "kind", "metadata"}) {
    if (auto it = live.find(field); it != live.end()) out[field] = *it;
  }
  if (live.value("kind", "") == "Namespace") {
    if (auto it = live.find("spec"); it != live.end()) out["spec"] = *it;
  }
  return out;
}

}  // namespace

std::vector<std::string> blocking_finalizers(const nlohmann::json& live) {
  std::vector<std::string> out;
  if (!live.is_object()) return out;
  if (const auto meta = live.find("metadata"); meta != live.end() && meta->is_object()) {
    if (const auto f = meta->find("finalizers"); f != meta->end()) add_strings(*f, out);
  }
  if (live.value("kind", "") == "Namespace") {
    if (const auto spec = live.find("spec"); spec != live.end() && spec->is_object()) {
      if (const auto f = spec->find("finalizers"); f != spec->end()) add_strings(*f, out);
    }
  }
  return out;
}

std::string finalizers_text(const std::vector<std::string>& finalizers) {
  std::string out;
  for (const std::string& f : finalizers) out += (out.empty() ? "" : ", ") + f;
  return out;
}

std::string still_there_reason(const Observed* last) {
  if (last == nullptr || !last->object.is_object()) return "never observed";
  if (last->deleted) return "gone";
  std::string out = "not marked for deletion";
  if (being_deleted(last->object)) {
    const auto& ts = last->object["metadata"]["deletionTimestamp"];
    out = "being deleted since " + (ts.is_string() ? ts.get<std::string>() : ts.dump());
  }
  const std::string finalizers = finalizers_text(blocking_finalizers(last->object));
  if (!finalizers.empty()) out += ", waiting on finalizers: " + finalizers;
  return out;
}

std::string_view propagation_name(kube::Propagation propagation) {
  switch (propagation) {
    case kube::Propagation::foreground: return "foreground";
    case kube::Propagation::background: return "background";
    case kube::Propagation::orphan: return "orphan";
  }
  return "foreground";
}

// Objects read and then deleted together by start_deletions.
constexpr std::size_t k_delete_chunk = 500;

Result<DeletesStarted> start_deletions(kube::Client& client, LiveView& view, const std::vector<DeleteRequest>& requests,
                                       const std::atomic<int>* interrupt) {
  DeletesStarted out;
  if (requests.empty()) return out;
  std::vector<ObjectRef> ids;
  for (const DeleteRequest& r : requests) ids.push_back(r.id);
  // Watch first, then look and delete: a deletion that finishes at once cannot be missed.
  if (auto covered = view.cover(ids, Detail::deletion); !covered) return covered.error();
  // A chunk at a time: its objects are read together, then deleted together (gitops-engine
  // runs a wave's deletions in parallel), and an interrupt is honoured between chunks.
  for (std::size_t first = 0; first < requests.size(); first += k_delete_chunk) {
    if (interrupt != nullptr && interrupt->load() != 0) {
      out.interrupted = true;
      return out;
    }
    const std::size_t end = std::min(requests.size(), first + k_delete_chunk);
    std::vector<ObjectRef> refs;
    refs.reserve(end - first);
    for (std::size_t i = first; i < end; ++i) refs.push_back(requests[i].id);
    auto lives = client.get_each(refs);
    std::vector<DeleteStarted> chunk(end - first);
    std::vector<std::pair<ObjectRef, kube::Propagation>> targets;
    std::vector<std::size_t> target_of;  // index into chunk
    for (std::size_t k = 0; k < chunk.size(); ++k) {
      const DeleteRequest& request = requests[first + k];
      DeleteStarted& started = chunk[k];
      started.id = request.id;
      auto& live = lives[k];
      if (!live) {
        started.state = DeleteStart::failed;
        started.error = live.error();
        continue;
      }
      if (!live->has_value()) {
        view.record_gone(request.id);
        started.state = DeleteStart::gone;
        continue;
      }
      const nlohmann::json& object = **live;
      view.record(request.id, deletion_state(object));
      started.finalizers = blocking_finalizers(object);
      if (request.live_keep == LiveKeep::honour) {
        // Argo CD decides on the live object's annotations here (shouldBeDeleted); the manifest's
        // were read when the deletion was planned.
        if (auto kept = kept_by_live_object(object)) {
          started.state = DeleteStart::kept;
          started.kept = *kept;
          continue;
        }
      }
      // A hook Argo CD left behind carries its hook finalizer, which would hold the deletion until
      // the deadline; Argo CD takes it off before it deletes a hook (removeHookFinalizer).
      if (request.hook_finalizer == HookFinalizer::release && hook_finalizer_removal(object)) {
        if (auto released = remove_hook_finalizer(client, request.id, object); !released) {
          started.state = DeleteStart::failed;
          started.error = released.error();
          continue;
        }
        std::erase(started.finalizers, std::string(k_hook_finalizer));
      }
      // An object already being deleted gets no second DELETE (Argo CD skips those too): a second
      // one with another propagation policy would change how the first one cascades.
      if (being_deleted(object)) {
        started.state = DeleteStart::already_deleting;
        continue;
      }
      started.state = DeleteStart::deleting;
      targets.emplace_back(request.id, request.propagation);
      target_of.push_back(k);
    }
    lives.clear();
    // (kube::Client::remove_each answers a 404, gone meanwhile, with success.)
    auto removed = client.remove_each(targets);
    for (std::size_t j = 0; j < removed.size(); ++j) {
      if (removed[j]) continue;
      DeleteStarted& started = chunk[target_of[j]];
      started.state = DeleteStart::refused;
      started.error = removed[j].error();
    }
    for (DeleteStarted& started : chunk) out.objects.push_back(std::move(started));
  }
  return out;
}

Result<GoneWait> wait_until_gone(LiveView& view, Clock& clock, const std::vector<ObjectRef>& ids,
                                 const WaitLimits& limits, const std::function<void(const ObjectRef&)>& on_gone) {
  // Each event looks at the one object it is about: a wave pruning 5,000 objects gets about
  // 10,000 events, and rescanning every waiting object on each was 10^8 lookups per wave.
  std::map<ResourceKey, std::vector<std::size_t>> positions;
  for (std::size_t i = 0; i < ids.size(); ++i) positions[ids[i].key()].push_back(i);
  std::vector<bool> settled(ids.size(), false);
  std::size_t remaining = ids.size();
  auto settle = [&](std::size_t i) {
    if (settled[i]) return;
    const Observed* o = view.find(ids[i]);
    if (o != nullptr && !o->deleted) return;
    settled[i] = true;
    --remaining;
    if (on_gone) on_gone(ids[i]);
  };
  for (std::size_t i = 0; i < ids.size(); ++i) settle(i);  // those already gone, in `ids` order
  auto end = wait_on(
      view, clock, limits, [&] { return remaining == 0; },
      [&](const ObjectRef& changed) {
        auto it = positions.find(changed.key());
        if (it == positions.end()) return;
        for (std::size_t i : it->second) settle(i);
      });
  if (!end) return end.error();
  GoneWait out{*end, {}};
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (!settled[i]) out.left.push_back(ids[i]);
  return out;
}

}  // namespace wavesync::engine
