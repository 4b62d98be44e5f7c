// wavesync.dev/wait-for: objects held back until something made outside the manifests (by an
// operator, external-secrets, Rook) exists and is healthy. Watched like everything else; a kind
// not served yet (its operator's CRD comes later) is looked up again every few seconds.
#include "wavesync/engine/syncer.hpp"

#include <algorithm>

namespace wavesync::engine::detail {

namespace {

constexpr std::chrono::milliseconds k_rediscover_interval{3000};

struct Dependency {
  Item* item = nullptr;
  ExternalObject named;  // as written
  ObjectRef id;           // as the server names it, once the kind is known
  bool resolved = false;
};

std::string list_of(const std::vector<const Dependency*>& deps) {
  std::string out;
  for (const Dependency* d : deps) out += (out.empty() ? "" : ", ") + (d->resolved ? d->id.str() : d->named.str());
  return out;
}

}  // namespace

StepOutcome Syncer::wait_for_external(StepItems& step, const std::vector<Item*>& held, TimePoint deadline) {
  std::vector<Dependency> deps;
  for (Item* item : held)
    for (const ExternalObject& named : item->planned->policy.wait_for) deps.push_back(Dependency{item, named, {}, false});

  TimePoint next_discovery{};
  auto resolve = [&]() -> Result<void> {
    std::vector<ObjectRef> ids;
    bool refreshed = false;
    for (Dependency& d : deps) {
      if (d.resolved) continue;
      auto type = client_.resolve(d.named.api_version, d.named.kind);
      if (!type && !refreshed && client_.refresh_discovery()) {
        refreshed = true;
        type = client_.resolve(d.named.api_version, d.named.kind);
      }
      if (!type) {
        if (type.error().exit_code == exit_code::k_cluster) return type.error();
        continue;  // not served yet
      }
      d.id = ObjectRef{d.named.api_version, d.named.kind, d.named.namespace_name, d.named.name};
      if (!type->namespaced) d.id.namespace_name.clear();
      else if (d.id.namespace_name.empty()) d.id.namespace_name = d.item->id.namespace_name;
      d.resolved = true;
      ids.push_back(d.id);
    }
    if (ids.empty()) return {};
    return view_.cover(ids);
  };
  auto ready = [&](const Dependency& d) {
    if (!d.resolved) return false;
    const Observed* o = view_.find(d.id);
    if (o == nullptr || o->deleted || !o->object.is_object()) return false;
    std::optional<health::Health> h = health::assess(o->object, health::Options{options_.conditions});
    return !h || h->status == health::Status::healthy;
  };
  // Says, per held object, what it still waits for, each time that changes.
  auto report = [&] {
    for (Item* item : held) {
      std::vector<const Dependency*> missing;
      for (const Dependency& d : deps)
        if (d.item == item && !ready(d)) missing.push_back(&d);
      std::string line = missing.empty() ? "" : "waiting for " + list_of(missing) + " (" + k_annotation_wait_for + ")";
      if (line == item->shown_block()) continue;
      item->pod_watch().block.shown = line;
      if (line.empty()) continue;
      Event e = event(EventType::blocked, &step, item);
      e.message = std::move(line);
      e.block_reason = "WaitFor";
      events_.emit(e);
    }
  };

  std::optional<StepOutcome> lookup_failed;
  for (;;) {
    const Item* first = nullptr;
    const TimePoint until = earliest_deadline(held, ItemState::pending, deadline, &first);
    StepOutcome waited = wait_until(
        until,
        [&] {
          const TimePoint now = clock_.now();
          if (now >= next_discovery) {
            next_discovery = now + k_rediscover_interval;
            if (auto resolved = resolve(); !resolved) {
              lookup_failed = StepOutcome::failed(resolved.error().wrap(k_annotation_wait_for));
              return true;
            }
          }
          report();
          return std::all_of(deps.begin(), deps.end(), ready);
        },
        [](const ObjectRef&) {});
    if (lookup_failed) return std::move(*lookup_failed);
    if (waited.stop == Stop::timed_out && first != nullptr) {
      if (first->state != ItemState::pending) continue;
      waited.timeout = object_timed_out(*first);
    }
    return waited;
  }
}

}  // namespace wavesync::engine::detail
