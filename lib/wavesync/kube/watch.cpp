// List-then-watch over several collections at once (client-go reflector semantics):
// list for the current state, watch from the list's resourceVersion with bookmarks, resume
// from the last seen resourceVersion when a stream ends, re-list on 410 Gone (HTTP or ERROR
// event). Like the reflector, a watch never gives up on a failure that may pass (refused
// connections, resets, 429, 5xx): it retries with 0.8-30 s jittered backoff, waiting at least
// what Retry-After says, for as long as the caller keeps calling next(); the caller's timeout
// bounds it. Only answers that will not change (403, 404, a 401 with fresh credentials) end
// it. Stream bytes arrive on the transport thread and are handed over through a bounded inbox;
// all state changes happen in next(), on the caller's thread.
#include "wavesync/kube/http_client.hpp"

#include "wavesync/kube/requests.hpp"
#include "wavesync/kube/server_json.hpp"
#include "wavesync/kube/status_error.hpp"

#include <condition_variable>
#include <deque>
#include <map>
#include <random>

namespace wavesync::kube {
namespace {

using Clock = std::chrono::steady_clock;

// A watch that ends sooner than this without delivering anything is "very short" (client-go
// watchHandler) and counts as a failure, so a server that closes at once is not hammered.
constexpr std::chrono::milliseconds k_short_watch{1000};
// One watch event line: an object is at most ~1.5 MiB in etcd; its JSON can be a few times that.
constexpr std::size_t k_max_line_bytes = std::size_t{16} << 20;
// Undelivered stream bytes; past this the stream is dropped and the collection re-listed.
constexpr std::size_t k_max_inbox_bytes = std::size_t{64} << 20;

struct Message {
  std::size_t stream = 0;
  std::uint64_t generation = 0;
  bool ended = false;
  bool overflow = false;  // the line or the inbox outgrew its bound: the stream was abandoned
  std::string line;
  HttpResponse response;
};

struct Inbox {
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<Message> messages;
  std::size_t bytes = 0;

  // False when the message would exceed the bound (it is then not queued).
  bool push(Message m) {
    {
      std::lock_guard lock(mutex);
      if (!m.ended && bytes + m.line.size() > k_max_inbox_bytes) return false;
      bytes += m.line.size();
      messages.push_back(std::move(m));
    }
    cv.notify_one();
    return true;
  }
};

struct Stream {
  WatchRequest request;
  ResourceType type;
  std::string resource_version;
  std::uint64_t generation = 0;
  std::optional<Transport::StreamId> id;
  // namespace/name -> resourceVersion of every object in the collection, for the `deleted`
  // event a re-list synthesizes (tombstone_of). Not the whole object: a watch over 100,000
  // objects would keep all of them twice (here and in the consumer).
  std::map<std::string, std::string> known;
  int failures = 0;
  std::optional<Clock::time_point> restart_at;
  bool relist = false;  // what the pending restart does
  Clock::time_point started_at{};
  bool delivered = false;        // the current stream delivered an event or a bookmark
  bool refreshed_after_401 = false;
};

std::string key_of(const nlohmann::json& object) {
  const auto* meta = object_at(object, {"metadata"});
  if (meta == nullptr) return "/";
  return string_at(*meta, {"namespace"}) + "/" + string_at(*meta, {"name"});
}

std::string resource_version_of(const nlohmann::json& object) {
  const auto* meta = object_at(object, {"metadata"});
  return meta != nullptr ? string_at(*meta, {"resourceVersion"}) : std::string();
}

// The `deleted` event's object for `key` (namespace/name) of a collection: apiVersion, kind,
// name, namespace and the last resourceVersion seen, what a consumer keys by and compares.
nlohmann::json tombstone_of(const WatchRequest& request, const std::string& key, const std::string& resource_version) {
  const auto slash = key.find('/');
  nlohmann::json meta = nlohmann::json::object();
  meta["name"] = key.substr(slash + 1);
  if (slash > 0) meta["namespace"] = key.substr(0, slash);
  if (!resource_version.empty()) meta["resourceVersion"] = resource_version;
  return nlohmann::json{{"apiVersion", request.api_version}, {"kind", request.kind}, {"metadata", std::move(meta)}};
}

// A metadata-only stream's objects are PartialObjectMetadata: their real apiVersion and kind
// are the collection's.
void restore_type(nlohmann::json& object, const WatchRequest& request) {
  object["apiVersion"] = request.api_version;
  object["kind"] = request.kind;
}

class HttpWatch final : public Watch {
 public:
  HttpWatch(HttpClient& client, WatchFilter wanted)
      : client_(client), inbox_(std::make_shared<Inbox>()), wanted_(std::move(wanted)) {}

  ~HttpWatch() override {
    for (auto& s : streams_) {
      if (s.id) client_.cancel_stream(*s.id);
    }
  }

  Result<void> add(const WatchRequest& request) {
    auto type = client_.resolve(request.api_version, request.kind);
    if (!type) return type.error().wrap("watch " + request.api_version + " " + request.kind);
    Stream s;
    s.request = request;
    s.type = *type;
    streams_.push_back(std::move(s));
    return relist(streams_.size() - 1);
  }

  Result<std::optional<WatchEvent>> next(std::chrono::milliseconds timeout) override {
    const auto deadline = Clock::now() + timeout;
    while (true) {
      if (!ready_.empty()) {
        WatchEvent e = std::move(ready_.front());
        ready_.pop_front();
        return std::optional<WatchEvent>(std::move(e));
      }
      if (auto r = restart_due(); !r) return r.error();
      if (!ready_.empty()) continue;
      auto wake = deadline;
      for (const auto& s : streams_) {
        if (s.restart_at && *s.restart_at < wake) wake = *s.restart_at;
      }
      std::deque<Message> batch;
      {
        std::unique_lock lock(inbox_->mutex);
        inbox_->cv.wait_until(lock, wake, [&] { return !inbox_->messages.empty(); });
        batch.swap(inbox_->messages);
      }
      for (auto& m : batch) {
        if (auto r = handle(m); !r) return r.error();
      }
      if (ready_.empty() && Clock::now() >= deadline) return std::optional<WatchEvent>();
    }
  }

 private:
  std::string context(const Stream& s) const {
    return "watch " + s.request.api_version + " " + s.request.kind +
           (s.request.namespace_name.empty() ? "" : " in namespace " + s.request.namespace_name);
  }

  void schedule(std::size_t i, bool relist, std::chrono::milliseconds delay) {
    Stream& s = streams_[i];
    s.restart_at = Clock::now() + delay;
    s.relist = s.relist || relist;
  }

  // client-go reflector's backoff: NewExponentialBackoffManager(800ms, 30s, 2m, 2.0, 1.0),
  // doubling with up to 100% jitter, capped.
  std::chrono::milliseconds backoff(const Stream& s) {
    const auto cap = client_.options().watch_max_backoff;
    auto base = client_.options().watch_initial_backoff * (1LL << std::min(s.failures - 1, 6));
    base = std::min<std::chrono::milliseconds>(base, cap);
    std::uniform_real_distribution<double> jitter(1.0, 2.0);
    return std::min(cap, std::chrono::milliseconds(static_cast<long long>(static_cast<double>(base.count()) * jitter(rng_))));
  }

  // A failure that may pass (`cause`): retried after backoff, at least `retry_after_seconds`,
  // never given up; the caller's timeout bounds the wait.
  Result<void> fail(std::size_t i, const Error& /*cause*/, long retry_after_seconds = -1) {
    Stream& s = streams_[i];
    ++s.failures;
    auto delay = backoff(s);
    if (retry_after_seconds > 0) {
      delay = std::max(delay, std::chrono::milliseconds(std::min(retry_after_seconds, 300L) * 1000));
    }
    schedule(i, false, delay);
    return {};
  }

  Result<void> restart_due() {
    const auto now = Clock::now();
    for (std::size_t i = 0; i < streams_.size(); ++i) {
      Stream& s = streams_[i];
      if (!s.restart_at || *s.restart_at > now) continue;
      s.restart_at.reset();
      const bool do_relist = s.relist || s.resource_version.empty();
      s.relist = false;
      if (auto r = do_relist ? relist(i) : start(i); !r) return r;
    }
    return {};
  }

  // Lists the collection, delivers its items as `added` (and `deleted` for objects that
  // vanished while we were not watching), then watches from the list's resourceVersion.
  Result<void> relist(std::size_t i) {
    Stream& s = streams_[i];
    auto listed = client_.list_pages(context(s), resource_path(s.type, s.request.namespace_name, "") +
                                                     list_query(s.request),
                                     s.request.metadata_only);
    if (!listed) {
      const Error& e = listed.error();
      // 401 here already came with refreshed credentials (HttpClient::send).
      if (e.http_status == 401 || e.http_status == 403 || e.http_status == 404) return e;
      return fail(i, e);
    }
    nlohmann::json& list = *listed;
    std::map<std::string, std::string> now;
    if (auto* items = list.contains("items") && list["items"].is_array() ? &list["items"] : nullptr) {
      for (auto& item : *items) {
        if (!item.is_object()) continue;
        // List items come without apiVersion/kind; watch events carry them. Make them alike.
        restore_type(item, s.request);
        if (auto meta = item.find("metadata"); meta != item.end() && meta->is_object()) meta->erase("managedFields");
        now[key_of(item)] = resource_version_of(item);
        deliver(WatchEvent{WatchEvent::Type::added, std::move(item)});
      }
    }
    for (const auto& [key, rv] : s.known) {
      if (!now.count(key)) deliver(WatchEvent{WatchEvent::Type::deleted, tombstone_of(s.request, key, rv)});
    }
    s.known = std::move(now);
    const auto* meta = object_at(list, {"metadata"});
    s.resource_version = meta != nullptr ? string_at(*meta, {"resourceVersion"}) : std::string();
    list = nlohmann::json();  // the items were moved out; free the rest before watching
    s.failures = 0;
    return start(i);
  }

  Result<void> start(std::size_t i) {
    Stream& s = streams_[i];
    if (s.id) client_.cancel_stream(*s.id);
    const std::uint64_t generation = ++s.generation;
    auto inbox = inbox_;
    // Transport chunks are arbitrary: keep the partial line between chunks.
    auto partial = std::make_shared<std::string>();
    auto abandoned = std::make_shared<bool>(false);
    auto on_data = [inbox, partial, abandoned, i, generation](std::string_view bytes) {
      if (*abandoned) return;
      auto overflow = [&] {
        *abandoned = true;
        partial->clear();
        Message m;
        m.stream = i;
        m.generation = generation;
        m.ended = true;
        m.overflow = true;
        inbox->push(std::move(m));
      };
      partial->append(bytes);
      std::size_t start = 0;
      while (true) {
        const auto nl = partial->find('\n', start);
        if (nl == std::string::npos) break;
        if (nl > start) {
          Message m;
          m.stream = i;
          m.generation = generation;
          m.line = partial->substr(start, nl - start);
          if (!inbox->push(std::move(m))) return overflow();
        }
        start = nl + 1;
      }
      partial->erase(0, start);
      if (partial->size() > k_max_line_bytes) overflow();
    };
    auto on_done = [inbox, i, generation](HttpResponse response) {
      Message m;
      m.stream = i;
      m.generation = generation;
      m.ended = true;
      m.response = std::move(response);
      inbox->push(std::move(m));
    };
    const std::string path = resource_path(s.type, s.request.namespace_name, "") +
                             watch_query(s.request, s.resource_version,
                                         client_.watch_timeout_seconds());
    auto id = client_.open_stream(path, on_data, on_done, s.request.metadata_only);
    if (!id) return fail(i, id.error().wrap(context(s)));
    s.id = *id;
    s.started_at = Clock::now();
    s.delivered = false;
    return {};
  }

  Result<void> handle(const Message& m) {
    Stream& s = streams_[m.stream];
    if (m.generation != s.generation) return {};  // from a stream we already replaced
    if (!m.ended) {
      std::lock_guard lock(inbox_->mutex);
      inbox_->bytes -= std::min(inbox_->bytes, m.line.size());
    }
    if (m.overflow) {
      // Events were lost: only a fresh list is right again.
      if (s.id) client_.cancel_stream(*s.id);
      s.id.reset();
      ++s.generation;
      schedule(m.stream, true, std::chrono::milliseconds(0));
      return {};
    }
    if (m.ended) {
      s.id.reset();
      const HttpResponse& r = m.response;
      if (r.status == 200) {
        // The server's timeoutSeconds: resume at once, unless the watch was very short.
        if (!s.delivered && Clock::now() - s.started_at < k_short_watch) {
          return fail(m.stream, make_error(context(s) + ": very short watch: the server closed it at once",
                                           exit_code::k_cluster));
        }
        schedule(m.stream, false, std::chrono::milliseconds(0));
      } else if (r.status == 410) {
        schedule(m.stream, true, std::chrono::milliseconds(0));
      } else if (r.status == 401 && !s.refreshed_after_401 && client_.refresh_credentials()) {
        // An exec credential or token file may have rotated: fetch it again and resume once.
        s.refreshed_after_401 = true;
        schedule(m.stream, false, std::chrono::milliseconds(0));
      } else if (r.status == 401 || r.status == 403 || r.status == 404) {
        return response_error(context(s), r);
      } else {
        return fail(m.stream, response_error(context(s), r), r.retry_after_seconds);
      }
      return {};
    }
    auto parsed = parse_server_json(m.line);
    if (!parsed || !parsed->is_object()) return {};
    nlohmann::json& event = *parsed;
    const std::string type = string_at(event, {"type"});
    nlohmann::json object = object_at(event, {"object"}) != nullptr ? event["object"] : nlohmann::json::object();
    if (type == "ERROR") {
      const auto code = optional_int_at(object, {"code"}).value_or(0);
      if (s.id) client_.cancel_stream(*s.id);
      s.id.reset();
      ++s.generation;
      if (code == 410) {
        schedule(m.stream, true, std::chrono::milliseconds(0));
        return {};
      }
      const auto* details = object_at(object, {"details"});
      const long after = details != nullptr ? static_cast<long>(optional_int_at(*details, {"retryAfterSeconds"}).value_or(-1)) : -1;
      const std::string message = string_at(object, {"message"});
      return fail(m.stream,
                  make_error(context(s) + ": " + (message.empty() ? "watch error" : message), exit_code::k_cluster),
                  after);
    }
    s.delivered = true;
    s.refreshed_after_401 = false;
    const auto* meta = object_at(object, {"metadata"});
    if (const std::string rv = meta != nullptr ? string_at(*meta, {"resourceVersion"}) : ""; !rv.empty()) {
      s.resource_version = rv;
    }
    s.failures = 0;
    if (type == "BOOKMARK") return {};
    if (s.request.metadata_only) restore_type(object, s.request);
    if (auto m = object.find("metadata"); m != object.end() && m->is_object()) m->erase("managedFields");
    WatchEvent e;
    if (type == "ADDED") {
      e.type = WatchEvent::Type::added;
      s.known[key_of(object)] = resource_version_of(object);
    } else if (type == "MODIFIED") {
      e.type = WatchEvent::Type::modified;
      s.known[key_of(object)] = resource_version_of(object);
    } else if (type == "DELETED") {
      e.type = WatchEvent::Type::deleted;
      s.known.erase(key_of(object));
    } else {
      return {};
    }
    e.object = std::move(object);
    deliver(std::move(e));
    return {};
  }

  void deliver(WatchEvent e) {
    if (wanted_ && !wanted_(e.object)) return;
    ready_.push_back(std::move(e));
  }

  HttpClient& client_;
  std::shared_ptr<Inbox> inbox_;
  std::vector<Stream> streams_;
  std::deque<WatchEvent> ready_;
  WatchFilter wanted_;
  std::mt19937 rng_{std::random_device{}()};
};

}  // namespace

Result<std::unique_ptr<Watch>> HttpClient::watch(const std::vector<WatchRequest>& requests,
                                                 const WatchFilter& wanted) {
  auto w = std::make_unique<HttpWatch>(*this, wanted);
  for (const auto& request : requests) {
    if (auto r = w->add(request); !r) return r.error();
  }
  return std::unique_ptr<Watch>(std::move(w));
}

}  // namespace wavesync::kube
