#include "fakes/fake_client.hpp"

#include <algorithm>
#include <ctime>
#include <set>
#include <sstream>
#include <tuple>

namespace wavesync::fakes {

using nlohmann::json;
using Key = std::tuple<std::string, std::string, std::string, std::string>;  // group kind ns name

namespace {

std::string group_of_api(const std::string& api_version) {
  auto slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

std::string str_at(const json& j, const char* a, const char* b = nullptr) {
  if (!j.is_object() || !j.contains(a)) return {};
  const json& x = j.at(a);
  if (b == nullptr) return x.is_string() ? x.get<std::string>() : std::string();
  if (!x.is_object() || !x.contains(b) || !x.at(b).is_string()) return {};
  return x.at(b).get<std::string>();
}

std::string rfc3339(engine::TimePoint t) {
  std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string id_str(const std::string& api_version, const std::string& kind, const std::string& ns,
                   const std::string& name) {
  std::string out = api_version + " " + kind + " ";
  if (!ns.empty()) out += ns + "/";
  return out + name;
}

std::string id_str(const kube::ObjectRef& r) {
  return id_str(r.api_version, r.kind, r.namespace_name, r.name);
}

kube::ObjectRef ref_of_json(const json& o) {
  return kube::ObjectRef{str_at(o, "apiVersion"), str_at(o, "kind"), str_at(o, "metadata", "namespace"),
                         str_at(o, "metadata", "name")};
}

Error api_error(const std::string& context, int status, const std::string& message) {
  static const std::map<int, std::string> texts = {
      {400, "Bad Request"}, {403, "Forbidden"}, {404, "Not Found"}, {409, "Conflict"},
      {410, "Gone"}, {422, "Unprocessable Entity"}, {500, "Internal Server Error"}};
  auto it = texts.find(status);
  std::string text = it == texts.end() ? std::string("Error") : it->second;
  return Error{context + ": " + std::to_string(status) + " " + text + ": " + message,
               exit_code::k_sync_failed, status};
}

// `a=b,c==d,e!=f,g` against metadata.labels.
bool labels_match(const json& object, const std::string& selector) {
  if (selector.empty()) return true;
  json labels = object.contains("metadata") ? object["metadata"].value("labels", json::object())
                                            : json::object();
  std::stringstream in(selector);
  std::string term;
  while (std::getline(in, term, ',')) {
    auto eq = term.find('=');
    if (eq == std::string::npos) {
      if (!labels.contains(term)) return false;
      continue;
    }
    if (eq > 0 && term[eq - 1] == '!') {
      std::string k = term.substr(0, eq - 1);
      if (labels.contains(k) && labels[k] == term.substr(eq + 1)) return false;
      continue;
    }
    std::string k = term.substr(0, eq);
    std::string v = term.substr(eq + 1 < term.size() && term[eq + 1] == '=' ? eq + 2 : eq + 1);
    if (!labels.contains(k) || labels[k] != v) return false;
  }
  return true;
}

bool fields_match(const json& object, const std::string& selector) {
  if (selector.empty()) return true;
  std::stringstream in(selector);
  std::string term;
  while (std::getline(in, term, ',')) {
    auto eq = term.find('=');
    if (eq == std::string::npos) return false;
    std::string k = term.substr(0, eq);
    std::string v = term.substr(eq + 1);
    if (k == "metadata.name" && str_at(object, "metadata", "name") != v) return false;
    if (k == "metadata.namespace" && str_at(object, "metadata", "namespace") != v) return false;
  }
  return true;
}

json metadata_of(const json& object) {
  json out = json::object();
  for (const char* field : {"apiVersion", "kind", "metadata"})
    if (object.contains(field)) out[field] = object[field];
  return out;
}

bool request_matches(const kube::WatchRequest& r, const json& object) {
  return group_of_api(r.api_version) == group_of_api(str_at(object, "apiVersion")) &&
         r.kind == str_at(object, "kind") &&
         (r.namespace_name.empty() || r.namespace_name == str_at(object, "metadata", "namespace")) &&
         labels_match(object, r.label_selector) && fields_match(object, r.field_selector);
}

}  // namespace

// ---- FakeClock ----

FakeClock::FakeClock() : now_(std::chrono::sys_days{std::chrono::year{2026} / 1 / 1} + std::chrono::hours{12}) {}

engine::TimePoint FakeClock::now() {
  std::lock_guard lock(mutex_);
  return now_;
}

void FakeClock::advance(std::chrono::milliseconds by) {
  std::lock_guard lock(mutex_);
  now_ += by;
}

void FakeClock::set(engine::TimePoint to) {
  std::lock_guard lock(mutex_);
  now_ = to;
}

// ---- state ----

struct Scheduled {
  engine::TimePoint at;
  long seq = 0;
  std::function<void()> action;
};

struct FakeClient::State {
  explicit State(FakeClock& c) : clock(c) {}
  FakeClock& clock;
  mutable std::recursive_mutex mutex;
  std::map<std::pair<std::string, std::string>, kube::ResourceType> builtin;  // (group, kind)
  std::set<std::pair<std::string, std::string>> discovered_crds;              // (group, kind)
  std::map<Key, json> objects;
  long rv = 100;
  long uid = 0;
  long generated = 0;
  std::vector<std::string> calls;
  std::vector<std::vector<std::string>> apply_batches;  // the objects of each writing apply() call
  std::vector<Fault> faults;
  std::vector<FakeClient::FakeWatch*> watchers;
  std::vector<Scheduled> scheduled;
  long scheduled_seq = 0;
  std::function<void(const json&)> reactor;
  std::chrono::milliseconds deletion_delay{0};
  std::map<std::pair<std::string, std::string>, std::string> logs;
  std::vector<json> events;
  std::map<std::string, long> discovery_lags;  // CRD name -> refreshes that still miss its kind

  std::optional<Error> fault_for(const std::string& verb, const std::string& kind, const std::string& name) {
    for (auto& f : faults) {
      if (f.times <= 0) continue;
      if (!f.verb.empty() && f.verb != verb) continue;
      if (!f.kind.empty() && f.kind != kind) continue;
      if (!f.name.empty() && f.name != name) continue;
      --f.times;
      return f.error;
    }
    return std::nullopt;
  }

  // A served CRD for (group, kind), if any.
  const json* served_crd(const std::string& group, const std::string& kind) const {
    for (const auto& [key, o] : objects) {
      if (std::get<1>(key) != "CustomResourceDefinition") continue;
      if (str_at(o, "spec", "group") != group) continue;
      if (!o["spec"].contains("names") || o["spec"]["names"].value("kind", "") != kind) continue;
      if (o.contains("status") && o["status"].contains("conditions")) {
        for (const auto& c : o["status"]["conditions"])
          if (c.value("type", "") == "Established" && c.value("status", "") == "True") return &o;
      }
    }
    return nullptr;
  }

  std::optional<kube::ResourceType> server_type(const std::string& group, const std::string& kind) const {
    auto it = builtin.find({group, kind});
    if (it != builtin.end()) return it->second;
    if (const json* crd = served_crd(group, kind)) {
      kube::ResourceType t;
      t.group = group;
      t.kind = kind;
      t.resource = (*crd)["spec"]["names"].value("plural", "");
      t.namespaced = (*crd)["spec"].value("scope", "Namespaced") == "Namespaced";
      if ((*crd)["spec"].contains("versions") && !(*crd)["spec"]["versions"].empty())
        t.version = (*crd)["spec"]["versions"][0].value("name", "");
      return t;
    }
    return std::nullopt;
  }

  long next_rv() { return ++rv; }

  void notify(kube::WatchEvent::Type type, const json& object);
  void remove_now(const Key& key);
  void delete_object(const Key& key);
};

class FakeClient::FakeWatch final : public kube::Watch {
 public:
  FakeWatch(FakeClient::State* s, std::vector<kube::WatchRequest> requests, kube::WatchFilter wanted)
      : s_(s), requests_(std::move(requests)), wanted_(std::move(wanted)) {}
  ~FakeWatch() override {
    if (s_ == nullptr) return;
    std::lock_guard lock(s_->mutex);
    auto& w = s_->watchers;
    w.erase(std::remove(w.begin(), w.end(), this), w.end());
  }

  bool matches(const json& object) const {
    return std::any_of(requests_.begin(), requests_.end(),
                       [&](const kube::WatchRequest& r) { return request_matches(r, object); });
  }
  // As the API server does for a metadata-only watch (PartialObjectMetadata, with the type put
  // back as kube::Watch promises): type and metadata, no spec, data or status.
  void push(kube::WatchEvent::Type type, const json& object) {
    const bool whole = std::any_of(requests_.begin(), requests_.end(), [&](const kube::WatchRequest& r) {
      return !r.metadata_only && request_matches(r, object);
    });
    json delivered = whole ? object : metadata_of(object);
    if (wanted_ && !wanted_(delivered)) return;
    queue_.push_back({type, std::move(delivered)});
  }

  Result<std::optional<kube::WatchEvent>> next(std::chrono::milliseconds timeout) override {
    std::lock_guard lock(s_->mutex);
    if (auto f = s_->fault_for("watch-next", "", "")) return *f;
    engine::TimePoint deadline = s_->clock.now() + timeout;
    for (;;) {
      if (!queue_.empty()) {
        kube::WatchEvent e = std::move(queue_.front());
        queue_.pop_front();
        return std::optional<kube::WatchEvent>(std::move(e));
      }
      // Nothing queued: let fake time pass up to the next scheduled action or the deadline.
      auto earliest = std::min_element(s_->scheduled.begin(), s_->scheduled.end(),
                                       [](const Scheduled& a, const Scheduled& b) {
                                         return std::tie(a.at, a.seq) < std::tie(b.at, b.seq);
                                       });
      if (earliest == s_->scheduled.end() || earliest->at > deadline) {
        if (s_->clock.now() < deadline) s_->clock.set(deadline);
        return std::optional<kube::WatchEvent>();
      }
      if (earliest->at > s_->clock.now()) s_->clock.set(earliest->at);
      auto action = std::move(earliest->action);
      s_->scheduled.erase(earliest);
      action();
    }
  }

  void detach() { s_ = nullptr; }

 private:
  FakeClient::State* s_;
  std::vector<kube::WatchRequest> requests_;
  kube::WatchFilter wanted_;
  std::deque<kube::WatchEvent> queue_;
};

void FakeClient::State::notify(kube::WatchEvent::Type type, const json& object) {
  for (auto* w : watchers)
    if (w->matches(object)) w->push(type, object);
}

void FakeClient::State::remove_now(const Key& key) {
  auto it = objects.find(key);
  if (it == objects.end()) return;
  json gone = it->second;
  objects.erase(it);
  gone["metadata"]["resourceVersion"] = std::to_string(next_rv());
  notify(kube::WatchEvent::Type::deleted, gone);
  // Garbage collection of dependents, and of a namespace's contents.
  std::string uid = str_at(gone, "metadata", "uid");
  std::vector<Key> dependents;
  for (const auto& [k, o] : objects) {
    bool owned = false;
    if (o["metadata"].contains("ownerReferences"))
      for (const auto& owner : o["metadata"]["ownerReferences"])
        if (owner.value("uid", "") == uid) owned = true;
    if (std::get<1>(key) == "Namespace" && std::get<0>(key).empty() && std::get<2>(k) == std::get<3>(key))
      owned = true;
    if (owned) dependents.push_back(k);
  }
  for (const auto& k : dependents) remove_now(k);
}

void FakeClient::State::delete_object(const Key& key) {
  auto it = objects.find(key);
  if (it == objects.end()) return;
  json& o = it->second;
  if (o["metadata"].contains("deletionTimestamp")) return;  // already terminating
  bool has_finalizers = o["metadata"].contains("finalizers") && !o["metadata"]["finalizers"].empty();
  if (!has_finalizers && deletion_delay.count() == 0) {
    remove_now(key);
    return;
  }
  o["metadata"]["deletionTimestamp"] = rfc3339(clock.now());
  o["metadata"]["resourceVersion"] = std::to_string(next_rv());
  notify(kube::WatchEvent::Type::modified, o);
  if (!has_finalizers) {
    scheduled.push_back({clock.now() + deletion_delay, ++scheduled_seq, [this, key] { remove_now(key); }});
  }
}

// ---- FakeClient ----

FakeClient::FakeClient(FakeClock& clock) : s_(std::make_unique<State>(clock)) {
  struct K { const char* av; const char* kind; const char* plural; bool ns; };
  const K kinds[] = {
      {"v1", "Namespace", "namespaces", false}, {"v1", "ConfigMap", "configmaps", true},
      {"v1", "Secret", "secrets", true}, {"v1", "Service", "services", true},
      {"v1", "ServiceAccount", "serviceaccounts", true}, {"v1", "Pod", "pods", true},
      {"v1", "Event", "events", true}, {"v1", "PersistentVolumeClaim", "persistentvolumeclaims", true},
      {"v1", "PersistentVolume", "persistentvolumes", false},
      {"apps/v1", "Deployment", "deployments", true}, {"apps/v1", "StatefulSet", "statefulsets", true},
      {"apps/v1", "DaemonSet", "daemonsets", true}, {"apps/v1", "ReplicaSet", "replicasets", true},
      {"batch/v1", "Job", "jobs", true}, {"batch/v1", "CronJob", "cronjobs", true},
      {"rbac.authorization.k8s.io/v1", "Role", "roles", true},
      {"rbac.authorization.k8s.io/v1", "RoleBinding", "rolebindings", true},
      {"rbac.authorization.k8s.io/v1", "ClusterRole", "clusterroles", false},
      {"rbac.authorization.k8s.io/v1", "ClusterRoleBinding", "clusterrolebindings", false},
      {"networking.k8s.io/v1", "Ingress", "ingresses", true},
      {"networking.k8s.io/v1", "NetworkPolicy", "networkpolicies", true},
      {"apiextensions.k8s.io/v1", "CustomResourceDefinition", "customresourcedefinitions", false},
      {"policy/v1", "PodDisruptionBudget", "poddisruptionbudgets", true},
      {"autoscaling/v2", "HorizontalPodAutoscaler", "horizontalpodautoscalers", true},
      {"storage.k8s.io/v1", "StorageClass", "storageclasses", false},
  };
  for (const K& k : kinds) add_builtin_kind(k.av, k.kind, k.plural, k.ns);
  for (const char* ns : {"default", "kube-system"})
    seed(json{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}},
              {"status", {{"phase", "Active"}}}});
}

FakeClient::~FakeClient() {
  std::lock_guard lock(s_->mutex);
  for (auto* w : s_->watchers) w->detach();
}

void FakeClient::add_builtin_kind(const std::string& api_version, const std::string& kind,
                                  const std::string& plural, bool namespaced) {
  std::lock_guard lock(s_->mutex);
  std::string group = group_of_api(api_version);
  auto slash = api_version.find('/');
  std::string version = slash == std::string::npos ? api_version : api_version.substr(slash + 1);
  s_->builtin[{group, kind}] = kube::ResourceType{group, version, kind, plural, namespaced};
}

Result<kube::ResourceType> FakeClient::resolve(const std::string& api_version, const std::string& kind) {
  std::lock_guard lock(s_->mutex);
  s_->calls.push_back("resolve " + api_version + " " + kind);
  if (auto f = s_->fault_for("resolve", kind, "")) return *f;
  std::string group = group_of_api(api_version);
  auto it = s_->builtin.find({group, kind});
  if (it != s_->builtin.end()) return it->second;
  // Custom kinds are known only from the discovery snapshot taken at the last refresh.
  if (s_->discovered_crds.count({group, kind}) != 0) {
    if (auto t = s_->server_type(group, kind)) return *t;
  }
  return Error{"resolve " + api_version + " " + kind + ": the server doesn't have a resource type \"" +
                   kind + "\" in \"" + api_version + "\"",
               exit_code::k_sync_failed, 404};
}

Result<void> FakeClient::refresh_discovery() {
  std::lock_guard lock(s_->mutex);
  s_->calls.push_back("refresh-discovery");
  if (auto f = s_->fault_for("refresh-discovery", "", "")) return *f;
  s_->discovered_crds.clear();
  for (const auto& [key, o] : s_->objects) {
    if (std::get<1>(key) != "CustomResourceDefinition") continue;
    std::string group = str_at(o, "spec", "group");
    std::string kind = o["spec"].contains("names") ? o["spec"]["names"].value("kind", "") : "";
    if (s_->served_crd(group, kind) == nullptr) continue;
    const std::string name = o["metadata"].value("name", "");
    const json annotations = o["metadata"].value("annotations", json::object());
    if (!s_->discovery_lags.count(name) && annotations.contains(k_fake_discovery_lag)) {
      s_->discovery_lags[name] = std::stol(annotations[k_fake_discovery_lag].get<std::string>());
    }
    if (auto lag = s_->discovery_lags.find(name); lag != s_->discovery_lags.end() && lag->second > 0) {
      --lag->second;
      continue;
    }
    s_->discovered_crds.insert({group, kind});
  }
  return {};
}

namespace {
bool differs_at(const json& a, const json& b, const char* f1, const char* f2) {
  const json* x = &a;
  const json* y = &b;
  for (const char* f : {f1, f2}) {
    x = (x->is_object() && x->contains(f)) ? &(*x)[f] : nullptr;
    y = (y->is_object() && y->contains(f)) ? &(*y)[f] : nullptr;
    if (x == nullptr || y == nullptr) return (x == nullptr) != (y == nullptr);
  }
  return *x != *y;
}
}  // namespace

std::vector<Result<kube::WriteResult>> FakeClient::apply(const std::vector<json>& objects,
                                                         const kube::ApplyOptions& options) {
  std::lock_guard lock(s_->mutex);
  std::vector<Result<kube::WriteResult>> out;
  const bool dry = options.dry_run == kube::DryRun::all;
  if (!dry) {
    std::vector<std::string> batch;
    for (const json& body : objects) batch.push_back(id_str(ref_of_json(body)));
    s_->apply_batches.push_back(std::move(batch));
  }
  for (const json& body : objects) {
    kube::ObjectRef r = ref_of_json(body);
    std::string context = "apply " + id_str(r);
    s_->calls.push_back((dry ? "dry-run " : "") + context +
                        (options.field_validation == kube::FieldValidation::ignore ? " (fieldValidation=Ignore)" : ""));
    if (auto f = s_->fault_for(dry ? "dry-run-apply" : "apply", r.kind, r.name)) {
      out.emplace_back(*f);
      continue;
    }
    if (r.name.empty()) {
      out.emplace_back(api_error(context, 400, "resource name may not be empty"));
      continue;
    }
    std::string group = group_of_api(r.api_version);
    auto type = s_->server_type(group, r.kind);
    if (!type) {
      out.emplace_back(api_error(context, 404, "the server could not find the requested resource"));
      continue;
    }
    std::string ns = type->namespaced ? (r.namespace_name.empty() ? "default" : r.namespace_name) : "";
    if (type->namespaced) {
      auto nsit = s_->objects.find(Key{"", "Namespace", "", ns});
      if (nsit == s_->objects.end()) {
        out.emplace_back(api_error(context, 404, "namespaces \"" + ns + "\" not found"));
        continue;
      }
      if (nsit->second["metadata"].contains("deletionTimestamp")) {
        out.emplace_back(api_error(context, 403, "unable to create new content in namespace " + ns +
                                                     " because it is being terminated"));
        continue;
      }
    }
    Key key{group, r.kind, ns, r.name};
    auto it = s_->objects.find(key);
    json result;
    bool created = it == s_->objects.end();
    if (created) {
      result = body;
      result.erase("status");
      auto& m = result["metadata"];
      if (type->namespaced) m["namespace"] = ns; else m.erase("namespace");
      m["uid"] = "uid-" + std::to_string(++s_->uid);
      m["generation"] = 1;
      m["creationTimestamp"] = rfc3339(s_->clock.now());
      m["managedFields"] = json::array({{{"manager", options.field_manager}, {"operation", "Apply"},
                                         {"time", rfc3339(s_->clock.now())}}});
      if (r.kind == "Namespace" && group.empty()) result["status"] = {{"phase", "Active"}};
      // The API server's pod strategy sets phase Pending on create.
      if (r.kind == "Pod" && group.empty()) result["status"] = {{"phase", "Pending"}, {"qosClass", "BestEffort"}};
      if (r.kind == "CustomResourceDefinition") {
        // A CRD is Established at once, unless the test asks it to stay Installing.
        const json annotations = result["metadata"].value("annotations", json::object());
        result["status"] = annotations.value(k_fake_established, "") == "false"
                               ? json{{"conditions", json::array({{{"type", "Established"}, {"status", "False"},
                                                                   {"reason", "Installing"},
                                                                   {"message", "still installing"}}})}}
                               : healthy_status(result);
      }
    } else {
      const json& live = it->second;
      if (r.kind == "Job" && group == "batch" &&
          (differs_at(live, body, "spec", "template") || differs_at(live, body, "spec", "selector"))) {
        std::string field = differs_at(live, body, "spec", "template") ? "spec.template" : "spec.selector";
        out.emplace_back(api_error(context, 422, "Job.batch \"" + r.name + "\" is invalid: " + field +
                                                     ": Invalid value: \"...\": field is immutable"));
        continue;
      }
      if (r.kind == "Deployment" && group == "apps" && differs_at(live, body, "spec", "selector")) {
        out.emplace_back(api_error(context, 422, "Deployment.apps \"" + r.name +
                                                     "\" is invalid: spec.selector: Invalid value: \"...\": "
                                                     "field is immutable"));
        continue;
      }
      result = live;
      bool spec_changed = false;
      for (auto field = body.begin(); field != body.end(); ++field) {
        if (field.key() == "metadata" || field.key() == "status") continue;
        if (!result.contains(field.key()) || result[field.key()] != field.value()) {
          if (field.key() != "apiVersion" && field.key() != "kind") spec_changed = true;
          result[field.key()] = field.value();
        }
      }
      bool meta_changed = false;
      if (body.contains("metadata")) {
        for (const char* f : {"labels", "annotations", "finalizers", "ownerReferences"}) {
          if (body["metadata"].contains(f) && result["metadata"].value(f, json()) != body["metadata"][f]) {
            result["metadata"][f] = body["metadata"][f];
            meta_changed = true;
          }
        }
      }
      if (spec_changed) result["metadata"]["generation"] = result["metadata"].value("generation", 1) + 1;
      if (spec_changed || meta_changed)
        result["metadata"]["managedFields"] = json::array(
            {{{"manager", options.field_manager}, {"operation", "Apply"}, {"time", rfc3339(s_->clock.now())}}});
      if (!(spec_changed || meta_changed)) {
        out.emplace_back(kube::WriteResult{result, {}});
        continue;
      }
    }
    if (!dry) {
      result["metadata"]["resourceVersion"] = std::to_string(s_->next_rv());
      s_->objects[key] = result;
      s_->notify(created ? kube::WatchEvent::Type::added : kube::WatchEvent::Type::modified, result);
      if (s_->reactor) s_->reactor(result);
    }
    out.emplace_back(kube::WriteResult{result, {}});
  }
  return out;
}

Result<kube::WriteResult> FakeClient::create(const json& object, kube::DryRun dry_run,
                                             kube::FieldValidation validation) {
  std::lock_guard lock(s_->mutex);
  kube::ObjectRef r = ref_of_json(object);
  std::string shown = r.name.empty() ? str_at(object, "metadata", "generateName") : r.name;
  std::string context = "create " + id_str(r.api_version, r.kind, r.namespace_name, shown);
  const std::string recorded =
      (dry_run == kube::DryRun::all ? "dry-run " : "") + context +
      (validation == kube::FieldValidation::ignore ? " (fieldValidation=Ignore)" : "");
  s_->calls.push_back(recorded);
  if (auto f = s_->fault_for("create", r.kind, shown)) return *f;
  json body = object;
  if (r.name.empty()) {
    std::string prefix = str_at(object, "metadata", "generateName");
    if (prefix.empty()) return api_error(context, 400, "name or generateName is required");
    static const char* alphabet = "bcdfghjklmnpqrstvwxz2456789";
    long n = ++s_->generated;
    std::string suffix;
    for (int i = 0; i < 5; ++i, n /= 27) suffix += alphabet[n % 27];
    body["metadata"]["name"] = prefix + suffix;
    r.name = prefix + suffix;
  }
  auto type = s_->server_type(group_of_api(r.api_version), r.kind);
  std::string ns = type && type->namespaced ? (r.namespace_name.empty() ? "default" : r.namespace_name) : "";
  if (s_->objects.count(Key{group_of_api(r.api_version), r.kind, ns, r.name}) != 0)
    return api_error(context, 409, r.kind + " \"" + r.name + "\" already exists");
  s_->calls.pop_back();  // recorded below by apply as well; keep a single create line
  kube::ApplyOptions options;
  options.dry_run = dry_run;
  auto results = apply({body}, options);
  s_->calls.pop_back();
  s_->calls.push_back(recorded);
  if (!results[0]) {
    Error e = results[0].error();
    auto colon = e.message.find(": ");
    e.message = context + e.message.substr(colon == std::string::npos ? 0 : colon);
    return e;
  }
  return std::move(results[0]).value();
}

Result<kube::WriteResult> FakeClient::update(const json& object, const kube::ApplyOptions& options) {
  std::lock_guard lock(s_->mutex);
  kube::ObjectRef r = ref_of_json(object);
  const bool dry = options.dry_run == kube::DryRun::all;
  std::string context = "replace " + id_str(r);
  s_->calls.push_back((dry ? "dry-run " : "") + std::string("update ") + id_str(r));
  if (auto f = s_->fault_for("update", r.kind, r.name)) return *f;
  auto it = s_->objects.find(Key{group_of_api(r.api_version), r.kind, r.namespace_name, r.name});
  if (it == s_->objects.end()) return api_error(context, 404, r.kind + " \"" + r.name + "\" not found");
  const json& live = it->second;
  const std::string rv = str_at(object, "metadata", "resourceVersion");
  if (!rv.empty() && rv != str_at(live, "metadata", "resourceVersion"))
    return api_error(context, 409, "the object has been modified; please apply your changes to the latest version and try again");
  json result = object;
  auto& m = result["metadata"];
  for (const char* keep : {"uid", "creationTimestamp", "namespace", "generation", "deletionTimestamp"}) {
    if (live["metadata"].contains(keep)) m[keep] = live["metadata"][keep];
  }
  if (live.contains("status")) result["status"] = live["status"];
  if (live.value("spec", json()) != result.value("spec", json()))
    m["generation"] = live["metadata"].value("generation", 1) + 1;
  m["managedFields"] = json::array({{{"manager", options.field_manager}, {"operation", "Update"},
                                     {"time", rfc3339(s_->clock.now())}}});
  if (dry) return kube::WriteResult{result, {}};
  m["resourceVersion"] = std::to_string(s_->next_rv());
  it->second = result;
  s_->notify(kube::WatchEvent::Type::modified, result);
  if (s_->reactor) s_->reactor(result);
  return kube::WriteResult{result, {}};
}

Result<kube::WriteResult> FakeClient::patch(const kube::ObjectRef& r, const json& json_patch) {
  std::lock_guard lock(s_->mutex);
  std::string context = "patch " + id_str(r);
  s_->calls.push_back(context);
  if (auto f = s_->fault_for("patch", r.kind, r.name)) return *f;
  auto it = s_->objects.find(Key{group_of_api(r.api_version), r.kind, r.namespace_name, r.name});
  if (it == s_->objects.end()) return api_error(context, 404, r.kind + " \"" + r.name + "\" not found");
  json result;
  try {
    result = it->second.patch(json_patch);
  } catch (const json::exception& e) {
    return api_error(context, 422, e.what());
  }
  // As etcd's compare-and-swap: a patch that sets an older resourceVersion conflicts.
  if (str_at(result, "metadata", "resourceVersion") != str_at(it->second, "metadata", "resourceVersion"))
    return api_error(context, 409, "the object has been modified; please apply your changes to the latest version and try again");
  result["metadata"]["resourceVersion"] = std::to_string(s_->next_rv());
  it->second = result;
  s_->notify(kube::WatchEvent::Type::modified, result);
  return kube::WriteResult{result, {}};
}

Result<kube::WriteResult> FakeClient::merge_patch(const kube::ObjectRef& r, const json& patch,
                                                  const kube::ApplyOptions& options) {
  std::lock_guard lock(s_->mutex);
  const bool dry = options.dry_run == kube::DryRun::all;
  std::string context = "patch " + id_str(r);
  s_->calls.push_back((dry ? "dry-run " : "") + context + " (merge)" +
                      (options.field_validation == kube::FieldValidation::ignore ? " (fieldValidation=Ignore)" : ""));
  if (auto f = s_->fault_for(dry ? "dry-run-patch" : "patch", r.kind, r.name)) return *f;
  auto it = s_->objects.find(Key{group_of_api(r.api_version), r.kind, r.namespace_name, r.name});
  if (it == s_->objects.end()) return api_error(context, 404, r.kind + " \"" + r.name + "\" not found");
  json result = it->second;
  result.merge_patch(patch);
  if (result == it->second || dry) return kube::WriteResult{result, {}};
  result["metadata"]["resourceVersion"] = std::to_string(s_->next_rv());
  it->second = result;
  s_->notify(kube::WatchEvent::Type::modified, result);
  if (s_->reactor) s_->reactor(result);
  return kube::WriteResult{result, {}};
}

Result<std::optional<json>> FakeClient::get(const kube::ObjectRef& r) {
  std::lock_guard lock(s_->mutex);
  s_->calls.push_back("get " + id_str(r));
  if (auto f = s_->fault_for("get", r.kind, r.name)) return *f;
  auto it = s_->objects.find(Key{group_of_api(r.api_version), r.kind, r.namespace_name, r.name});
  if (it == s_->objects.end()) return std::optional<json>();
  return std::optional<json>(it->second);
}

Result<json> FakeClient::list(const kube::WatchRequest& request) {
  std::lock_guard lock(s_->mutex);
  s_->calls.push_back("list " + request.api_version + " " + request.kind +
                      (request.namespace_name.empty() ? "" : " " + request.namespace_name) +
                      (request.label_selector.empty() ? "" : " -l " + request.label_selector));
  if (auto f = s_->fault_for("list", request.kind, "")) return *f;
  // Like the API server, a List's items carry no apiVersion and kind of their own.
  json items = json::array();
  for (const auto& [k, o] : s_->objects) {
    if (!request_matches(request, o)) continue;
    json item = request.metadata_only ? metadata_of(o) : o;
    item.erase("apiVersion");
    item.erase("kind");
    items.push_back(std::move(item));
  }
  return json{{"apiVersion", "v1"}, {"kind", "List"}, {"items", items},
              {"metadata", {{"resourceVersion", std::to_string(s_->rv)}}}};
}

Result<void> FakeClient::remove(const kube::ObjectRef& r, kube::Propagation propagation) {
  std::lock_guard lock(s_->mutex);
  const char* p = propagation == kube::Propagation::foreground   ? "foreground"
                  : propagation == kube::Propagation::background ? "background"
                                                                 : "orphan";
  s_->calls.push_back("delete " + id_str(r) + " " + p);
  if (auto f = s_->fault_for("delete", r.kind, r.name)) return *f;
  s_->delete_object(Key{group_of_api(r.api_version), r.kind, r.namespace_name, r.name});
  return {};
}

Result<std::unique_ptr<kube::Watch>> FakeClient::watch(const std::vector<kube::WatchRequest>& requests,
                                                       const kube::WatchFilter& wanted) {
  std::lock_guard lock(s_->mutex);
  std::string call = "watch";
  for (const auto& r : requests)
    call += " " + r.api_version + " " + r.kind + (r.namespace_name.empty() ? "" : " " + r.namespace_name) +
            (r.metadata_only ? " (metadata)" : "") + ";";
  if (!requests.empty()) call.pop_back();
  s_->calls.push_back(call);
  for (const auto& r : requests) {
    if (!s_->server_type(group_of_api(r.api_version), r.kind))
      return api_error("watch " + r.api_version + " " + r.kind, 404, "the server could not find the requested resource");
    if (auto f = s_->fault_for("watch", r.kind, "")) return *f;
  }
  auto w = std::make_unique<FakeWatch>(s_.get(), requests, wanted);
  for (const auto& [k, o] : s_->objects)
    if (w->matches(o)) w->push(kube::WatchEvent::Type::added, o);
  s_->watchers.push_back(w.get());
  return std::unique_ptr<kube::Watch>(std::move(w));
}

Result<std::string> FakeClient::pod_logs(const std::string& namespace_name, const std::string& pod,
                                         const std::string& /*container*/, const kube::LogOptions& options) {
  // One log per pod: containers and the previous run are not told apart.
  const int tail_lines = options.tail_lines;
  std::lock_guard lock(s_->mutex);
  s_->calls.push_back("pod-logs " + namespace_name + "/" + pod);
  if (auto f = s_->fault_for("pod-logs", "Pod", pod)) return *f;
  if (s_->objects.count(Key{"", "Pod", namespace_name, pod}) == 0)
    return api_error("pod-logs " + namespace_name + "/" + pod, 404, "pods \"" + pod + "\" not found");
  auto it = s_->logs.find({namespace_name, pod});
  if (it == s_->logs.end()) return std::string();
  std::vector<std::string> lines;
  std::stringstream in(it->second);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::size_t from = lines.size() > static_cast<std::size_t>(tail_lines) ? lines.size() - tail_lines : 0;
  std::string out;
  for (std::size_t i = from; i < lines.size(); ++i) out += lines[i] + "\n";
  if (options.limit_bytes > 0 && out.size() > static_cast<std::size_t>(options.limit_bytes))
    out.resize(static_cast<std::size_t>(options.limit_bytes));
  return out;
}

Result<std::vector<json>> FakeClient::events_for(const kube::ObjectRef& r) {
  std::lock_guard lock(s_->mutex);
  s_->calls.push_back("events " + id_str(r));
  if (auto f = s_->fault_for("events", r.kind, r.name)) return *f;
  std::vector<json> out;
  for (const auto& e : s_->events) {
    const json& io = e["involvedObject"];
    if (io.value("kind", "") == r.kind && io.value("name", "") == r.name &&
        io.value("namespace", "") == r.namespace_name)
      out.push_back(e);
  }
  return out;
}

std::vector<std::string> FakeClient::calls() const {
  std::lock_guard lock(s_->mutex);
  return s_->calls;
}

std::vector<std::string> FakeClient::writes() const {
  std::lock_guard lock(s_->mutex);
  std::vector<std::string> out;
  for (const auto& c : s_->calls)
    if (c.rfind("apply ", 0) == 0 || c.rfind("create ", 0) == 0 || c.rfind("delete ", 0) == 0 ||
        c.rfind("update ", 0) == 0 || c.rfind("patch ", 0) == 0)
      out.push_back(c);
  return out;
}

std::vector<std::vector<std::string>> FakeClient::apply_batches() const {
  std::lock_guard lock(s_->mutex);
  return s_->apply_batches;
}

void FakeClient::clear_calls() {
  std::lock_guard lock(s_->mutex);
  s_->calls.clear();
  s_->apply_batches.clear();
}

std::optional<json> FakeClient::object(const kube::ObjectRef& r) const {
  std::lock_guard lock(s_->mutex);
  auto it = s_->objects.find(Key{group_of_api(r.api_version), r.kind, r.namespace_name, r.name});
  if (it == s_->objects.end()) return std::nullopt;
  return it->second;
}

std::vector<json> FakeClient::objects() const {
  std::lock_guard lock(s_->mutex);
  std::vector<json> out;
  for (const auto& [k, o] : s_->objects) out.push_back(o);
  return out;
}

void FakeClient::mutate(const kube::ObjectRef& r, const std::function<void(json&)>& change) {
  std::lock_guard lock(s_->mutex);
  auto it = s_->objects.find(Key{group_of_api(r.api_version), r.kind, r.namespace_name, r.name});
  if (it == s_->objects.end()) return;
  change(it->second);
  it->second["metadata"]["resourceVersion"] = std::to_string(s_->next_rv());
  s_->notify(kube::WatchEvent::Type::modified, it->second);
}

void FakeClient::set_status(const kube::ObjectRef& r, json status) {
  mutate(r, [&](json& o) { o["status"] = std::move(status); });
}

void FakeClient::erase(const kube::ObjectRef& r) {
  std::lock_guard lock(s_->mutex);
  s_->remove_now(Key{group_of_api(r.api_version), r.kind, r.namespace_name, r.name});
}

void FakeClient::seed(json object) {
  std::lock_guard lock(s_->mutex);
  kube::ObjectRef r = ref_of_json(object);
  auto& m = object["metadata"];
  if (!m.contains("uid")) m["uid"] = "uid-" + std::to_string(++s_->uid);
  if (!m.contains("generation")) m["generation"] = 1;
  if (!m.contains("creationTimestamp")) m["creationTimestamp"] = rfc3339(s_->clock.now() - std::chrono::hours(24));
  m["resourceVersion"] = std::to_string(s_->next_rv());
  s_->objects[Key{group_of_api(r.api_version), r.kind, r.namespace_name, r.name}] = object;
  s_->notify(kube::WatchEvent::Type::added, object);
}

void FakeClient::schedule(std::chrono::milliseconds after, std::function<void()> action) {
  std::lock_guard lock(s_->mutex);
  s_->scheduled.push_back({s_->clock.now() + after, ++s_->scheduled_seq, std::move(action)});
}

void FakeClient::run_due() {
  std::lock_guard lock(s_->mutex);
  for (;;) {
    auto due = std::min_element(s_->scheduled.begin(), s_->scheduled.end(),
                                [](const Scheduled& a, const Scheduled& b) {
                                  return std::tie(a.at, a.seq) < std::tie(b.at, b.seq);
                                });
    if (due == s_->scheduled.end() || due->at > s_->clock.now()) return;
    auto action = std::move(due->action);
    s_->scheduled.erase(due);
    action();
  }
}

void FakeClient::on_write(std::function<void(const json&)> reactor) {
  std::lock_guard lock(s_->mutex);
  s_->reactor = std::move(reactor);
}

void FakeClient::set_deletion_delay(std::chrono::milliseconds delay) {
  std::lock_guard lock(s_->mutex);
  s_->deletion_delay = delay;
}

void FakeClient::clear_finalizers(const kube::ObjectRef& r) {
  std::lock_guard lock(s_->mutex);
  Key key{group_of_api(r.api_version), r.kind, r.namespace_name, r.name};
  auto it = s_->objects.find(key);
  if (it == s_->objects.end()) return;
  it->second["metadata"].erase("finalizers");
  if (it->second["metadata"].contains("deletionTimestamp")) {
    s_->remove_now(key);
  } else {
    it->second["metadata"]["resourceVersion"] = std::to_string(s_->next_rv());
    s_->notify(kube::WatchEvent::Type::modified, it->second);
  }
}

void FakeClient::inject_fault(Fault fault) {
  std::lock_guard lock(s_->mutex);
  s_->faults.push_back(std::move(fault));
}

void FakeClient::set_pod_logs(const std::string& namespace_name, const std::string& pod, std::string logs) {
  std::lock_guard lock(s_->mutex);
  s_->logs[{namespace_name, pod}] = std::move(logs);
}

void FakeClient::add_event(const kube::ObjectRef& r, const std::string& type, const std::string& reason,
                           const std::string& message) {
  std::lock_guard lock(s_->mutex);
  s_->events.push_back(json{{"apiVersion", "v1"},
                            {"kind", "Event"},
                            {"type", type},
                            {"reason", reason},
                            {"message", message},
                            {"lastTimestamp", rfc3339(s_->clock.now())},
                            {"involvedObject",
                             {{"apiVersion", r.api_version}, {"kind", r.kind}, {"namespace", r.namespace_name},
                              {"name", r.name}}}});
}

// ---- status helpers ----

namespace {
json condition(const std::string& type, const std::string& status, const std::string& reason = "",
               const std::string& message = "") {
  json c{{"type", type}, {"status", status}};
  if (!reason.empty()) c["reason"] = reason;
  if (!message.empty()) c["message"] = message;
  return c;
}
}  // namespace

json healthy_status(const json& live) {
  std::string kind = str_at(live, "kind");
  int generation = live.contains("metadata") ? live["metadata"].value("generation", 1) : 1;
  if (kind == "Deployment" || kind == "StatefulSet" || kind == "ReplicaSet") {
    int replicas = live.contains("spec") ? live["spec"].value("replicas", 1) : 1;
    json s{{"observedGeneration", generation}, {"replicas", replicas}, {"updatedReplicas", replicas},
           {"readyReplicas", replicas}, {"availableReplicas", replicas}, {"currentReplicas", replicas}};
    if (kind == "Deployment")
      s["conditions"] = json::array({condition("Available", "True", "MinimumReplicasAvailable"),
                                     condition("Progressing", "True", "NewReplicaSetAvailable")});
    if (kind == "StatefulSet") {
      s["currentRevision"] = "rev-1";
      s["updateRevision"] = "rev-1";
    }
    return s;
  }
  if (kind == "DaemonSet")
    return json{{"observedGeneration", generation}, {"desiredNumberScheduled", 1}, {"currentNumberScheduled", 1},
                {"updatedNumberScheduled", 1}, {"numberAvailable", 1}, {"numberReady", 1}};
  if (kind == "Job")
    return json{{"succeeded", 1},
                {"conditions", json::array({condition("SuccessCriteriaMet", "True"), condition("Complete", "True")})}};
  if (kind == "Pod")
    return json{{"phase", "Succeeded"}, {"conditions", json::array({condition("Ready", "False", "PodCompleted")})}};
  if (kind == "Namespace") return json{{"phase", "Active"}};
  if (kind == "CustomResourceDefinition")
    return json{{"conditions", json::array({condition("NamesAccepted", "True"), condition("Established", "True")})}};
  if (kind == "PersistentVolumeClaim") return json{{"phase", "Bound"}};
  if (kind == "Service") return json{{"loadBalancer", json::object()}};
  if (kind == "Ingress") return json{{"loadBalancer", {{"ingress", json::array({{{"ip", "10.0.0.1"}}})}}}};
  return json::object();
}

json failed_status(const json& live) {
  std::string kind = str_at(live, "kind");
  int generation = live.contains("metadata") ? live["metadata"].value("generation", 1) : 1;
  if (kind == "Job")
    return json{{"failed", 1},
                {"conditions", json::array({condition("FailureTarget", "True", "BackoffLimitExceeded"),
                                            condition("Failed", "True", "BackoffLimitExceeded",
                                                      "Job has reached the specified backoff limit")})}};
  if (kind == "Pod")
    return json{{"phase", "Failed"}, {"message", "container exited with code 1"}};
  if (kind == "Deployment")
    return json{{"observedGeneration", generation},
                {"replicas", 1},
                {"updatedReplicas", 1},
                {"unavailableReplicas", 1},
                {"conditions", json::array({condition("Available", "False", "MinimumReplicasUnavailable",
                                                      "Deployment does not have minimum availability."),
                                            condition("Progressing", "False", "ProgressDeadlineExceeded",
                                                      "ReplicaSet \"" + str_at(live, "metadata", "name") +
                                                          "-5d8f\" has timed out progressing.")})}};
  return json::object();
}

kube::ObjectRef ref(std::string api_version, std::string kind, std::string namespace_name, std::string name) {
  return kube::ObjectRef{std::move(api_version), std::move(kind), std::move(namespace_name), std::move(name)};
}

}  // namespace wavesync::fakes
