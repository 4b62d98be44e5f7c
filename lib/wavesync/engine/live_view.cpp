#include "wavesync/engine/live_view.hpp"

#include "wavesync/model/resource.hpp"

#include <algorithm>
#include <charconv>

namespace wavesync::engine {

namespace {

std::string str_at(const nlohmann::json& j, const char* a, const char* b) {
  auto x = j.find(a);
  if (x == j.end() || !x->is_object()) return {};
  auto y = x->find(b);
  return y != x->end() && y->is_string() ? y->get<std::string>() : std::string();
}

// Resource versions are opaque to clients, but every etcd-backed server hands out increasing
// integers; they are only compared to drop a re-listed snapshot older than a write we saw.
std::optional<long long> rv_of(const nlohmann::json& object) {
  std::string rv = str_at(object, "metadata", "resourceVersion");
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

kube::WatchRequest collection_of(const ObjectId& id) {
  kube::WatchRequest r;
  r.api_version = id.api_version;
  r.kind = id.kind;
  r.namespace_name = id.namespace_name;
  return r;
}

LiveView::Key LiveView::key_of(const ObjectId& id) {
  return Key{group_of(id.api_version), id.kind, id.namespace_name, id.name};
}

Result<void> LiveView::cover(const std::vector<ObjectId>& ids) {
  std::vector<kube::WatchRequest> requests = requests_;
  std::vector<std::tuple<std::string, std::string, std::string>> added;
  for (const ObjectId& id : ids) {
    ids_[key_of(id)] = id;
    auto collection = std::make_tuple(group_of(id.api_version), id.kind, id.namespace_name);
    if (covered_.count(collection) != 0 ||
        std::find(added.begin(), added.end(), collection) != added.end())
      continue;
    added.push_back(collection);
    requests.push_back(collection_of(id));
  }
  if (added.empty() && watch_) return {};
  // The new watch re-lists everything it covers, so replacing the old one loses nothing.
  auto watch = client_.watch(requests);
  if (!watch) return watch.error();
  watch_ = std::move(watch).value();
  requests_ = std::move(requests);
  covered_.insert(added.begin(), added.end());
  return {};
}

bool LiveView::newer(const Key& key, const nlohmann::json& object) const {
  auto it = objects_.find(key);
  if (it == objects_.end()) return true;
  auto known = rv_of(it->second.object);
  auto incoming = rv_of(object);
  return !known || !incoming || *incoming >= *known;
}

void LiveView::record(const ObjectId& id, const nlohmann::json& object) {
  Key key = key_of(id);
  ids_[key] = id;
  if (!newer(key, object)) return;
  objects_[key] = Observed{without_managed_fields(object), false};
}

void LiveView::record_gone(const ObjectId& id) {
  Key key = key_of(id);
  ids_[key] = id;
  auto& o = objects_[key];
  o.deleted = true;
}

Result<std::optional<ObjectId>> LiveView::next(std::chrono::milliseconds timeout) {
  if (!watch_) {
    // Nothing is watched (every object so far has no health rule) but the caller waits, e.g.
    // for --wave-delay: waiting is what a watch does, so an empty one waits out the timeout.
    auto watch = client_.watch({});
    if (!watch) return watch.error();
    watch_ = std::move(watch).value();
  }
  auto event = watch_->next(timeout);
  if (!event) return event.error();
  if (!event->has_value()) return std::optional<ObjectId>();
  const kube::WatchEvent& e = **event;
  Key key{group_of(e.object.value("apiVersion", "")), e.object.value("kind", ""),
          str_at(e.object, "metadata", "namespace"), str_at(e.object, "metadata", "name")};
  auto id = ids_.find(key);
  if (id == ids_.end()) return std::optional<ObjectId>();
  if (!newer(key, e.object)) return std::optional<ObjectId>();
  objects_[key] = Observed{without_managed_fields(e.object), e.type == kube::WatchEvent::Type::deleted};
  return std::optional<ObjectId>(id->second);
}

const Observed* LiveView::find(const ObjectId& id) const {
  auto it = objects_.find(key_of(id));
  return it == objects_.end() ? nullptr : &it->second;
}

}  // namespace wavesync::engine

