#include "wavesync/engine/live_view.hpp"

#include "wavesync/model/json_fields.hpp"
#include "wavesync/model/object_ref.hpp"

#include <algorithm>
#include <charconv>

namespace wavesync::engine {

namespace {

// Resource versions are opaque to clients, but every etcd-backed server hands out increasing
// integers; they are only compared to drop a re-listed snapshot older than a write we saw.
std::optional<long long> rv_of(const nlohmann::json& object) {
  const std::string rv = string_at(object, {"metadata", "resourceVersion"});
  long long value = 0;
  auto [end, ec] = std::from_chars(rv.data(), rv.data() + rv.size(), value);
  if (ec != std::errc() || end != rv.data() + rv.size() || rv.empty()) return std::nullopt;
  return value;
}

// managedFields are often half of an object and no health rule reads them; 10,000 kept
// objects are tens of megabytes less without them.
nlohmann::json without_managed_fields(nlohmann::json object) {
  auto meta = object.find("metadata");
  if (meta != object.end() && meta->is_object()) meta->erase("managedFields");
  return object;
}

}  // namespace

kube::WatchRequest collection_of(const ObjectRef& id) {
  kube::WatchRequest r;
  r.api_version = id.api_version;
  r.kind = id.kind;
  r.namespace_name = id.namespace_name;
  return r;
}

LiveView::Key LiveView::key_of(const ObjectRef& id) { return id.key(); }

kube::WatchFilter LiveView::wanted() const {
  // Only objects somebody asked about: a collection of 100,000 objects watched for 500 of them
  // does not queue the other 99,500 on every (re-)list.
  return [this](const nlohmann::json& object) { return ids_.count(object_ref_of(object).key()) != 0; };
}

Result<void> LiveView::cover(const std::vector<ObjectRef>& ids, Detail detail) {
  std::vector<kube::WatchRequest> requests = requests_;
  bool changed = false;
  for (const ObjectRef& id : ids) {
    ids_[key_of(id)] = id;
    const std::string group = group_of(id.api_version);
    // A Namespace's deletion is held by spec.finalizers too, which metadata does not carry.
    const bool metadata_only = detail == Detail::deletion && !(group.empty() && id.kind == "Namespace");
    auto collection = std::make_tuple(group, id.kind, id.namespace_name);
    auto known = covered_.find(collection);
    if (known != covered_.end() && (!known->second || metadata_only)) continue;
    auto same = std::find_if(requests.begin(), requests.end(), [&](const kube::WatchRequest& r) {
      return group_of(r.api_version) == group && r.kind == id.kind && r.namespace_name == id.namespace_name;
    });
    if (same != requests.end()) {
      if (!same->metadata_only || metadata_only) continue;
      same->metadata_only = false;  // now needed whole
    } else {
      requests.push_back(collection_of(id));
      requests.back().metadata_only = metadata_only;
    }
    changed = true;
  }
  if (!changed && watch_) return {};
  // The new watch re-lists everything it covers, so replacing the old one loses nothing.
  auto watch = client_.watch(requests, wanted());
  if (!watch) return watch.error();
  watch_ = std::move(watch).value();
  requests_ = std::move(requests);
  covered_.clear();
  for (const kube::WatchRequest& r : requests_) {
    covered_[std::make_tuple(group_of(r.api_version), r.kind, r.namespace_name)] = r.metadata_only;
  }
  return {};
}

bool LiveView::newer(const Key& key, const nlohmann::json& object) const {
  auto it = objects_.find(key);
  if (it == objects_.end()) return true;
  auto known = rv_of(it->second.object);
  auto incoming = rv_of(object);
  return !known || !incoming || *incoming >= *known;
}

void LiveView::record(const ObjectRef& id, const nlohmann::json& object) {
  Key key = key_of(id);
  ids_[key] = id;
  if (!newer(key, object)) return;
  objects_[key] = Observed{without_managed_fields(object), false};
}

void LiveView::record_gone(const ObjectRef& id) {
  Key key = key_of(id);
  ids_[key] = id;
  auto& o = objects_[key];
  o.deleted = true;
}

void LiveView::forget(const std::vector<ObjectRef>& ids) {
  for (const ObjectRef& id : ids) {
    const Key key = key_of(id);
    objects_.erase(key);
    ids_.erase(key);
  }
}

Result<std::optional<ObjectRef>> LiveView::next(std::chrono::milliseconds timeout) {
  if (!watch_) {
    // Nothing is watched (every object so far has no health rule) but the caller waits, e.g.
    // for --wave-delay: waiting is what a watch does, so an empty one waits out the timeout.
    auto watch = client_.watch({}, wanted());
    if (!watch) return watch.error();
    watch_ = std::move(watch).value();
  }
  auto event = watch_->next(timeout);
  if (!event) return event.error();
  if (!event->has_value()) return std::optional<ObjectRef>();
  const kube::WatchEvent& e = **event;
  // Null-safe: a watch event whose object has a mistyped apiVersion or name matches nothing.
  const Key key = object_ref_of(e.object).key();
  auto id = ids_.find(key);
  if (id == ids_.end()) return std::optional<ObjectRef>();
  if (!newer(key, e.object)) return std::optional<ObjectRef>();
  objects_[key] = Observed{without_managed_fields(e.object), e.type == kube::WatchEvent::Type::deleted};
  return std::optional<ObjectRef>(id->second);
}

const Observed* LiveView::find(const ObjectRef& id) const {
  auto it = objects_.find(key_of(id));
  return it == objects_.end() ? nullptr : &it->second;
}

Result<WaitEnd> wait_on(LiveView& view, Clock& clock, const WaitLimits& limits, const std::function<bool()>& satisfied,
                        const std::function<void(const ObjectRef&)>& changed) {
  for (;;) {
    if (satisfied()) return WaitEnd::satisfied;
    if (limits.interrupt != nullptr && limits.interrupt->load() != 0) return WaitEnd::interrupted;
    const TimePoint now = clock.now();
    if (now >= limits.deadline) return WaitEnd::timed_out;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(limits.deadline - now);
    auto id = view.next(std::min(left + std::chrono::milliseconds(1), limits.check_interval));
    if (!id) return id.error();
    if (id->has_value()) changed(**id);
  }
}

}  // namespace wavesync::engine
