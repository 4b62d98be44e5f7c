// List-then-watch over several collections at once (client-go reflector semantics):
// list for the current state, watch from the list's resourceVersion with bookmarks, resume
// from the last seen resourceVersion when a stream ends, re-list on 410 Gone (HTTP or ERROR
// event). Stream bytes arrive on the transport thread and are handed over through an inbox;
// all state changes happen in next(), on the caller's thread.
#include "wavesync/kube/http_client.hpp"

#include "wavesync/kube/requests.hpp"
#include "wavesync/kube/status_error.hpp"

#include <condition_variable>
#include <deque>
#include <map>

namespace wavesync::kube {
namespace {

using Clock = std::chrono::steady_clock;

// After this many consecutive failures without a single event, next() reports an error.
constexpr int k_max_stream_failures = 8;

struct Message {
  std::size_t stream = 0;
  std::uint64_t generation = 0;
  bool ended = false;
  std::string line;
  HttpResponse response;
};

struct Inbox {
  std::mutex mutex;
  std::condition_variable cv;
  std::deque<Message> messages;

  void push(Message m) {
    {
      std::lock_guard lock(mutex);
      messages.push_back(std::move(m));
    }
    cv.notify_one();
  }
};

struct Stream {
  WatchRequest request;
  ResourceType type;
  std::string resource_version;
  std::uint64_t generation = 0;
  std::optional<Transport::StreamId> id;
  std::map<std::string, nlohmann::json> known;  // namespace/name -> last object
  int failures = 0;
  std::optional<Clock::time_point> restart_at;
  bool relist = false;  // what the pending restart does
};

std::string key_of(const nlohmann::json& object) {
  const auto& meta = object.value("metadata", nlohmann::json::object());
  return meta.value("namespace", "") + "/" + meta.value("name", "");
}

class HttpWatch final : public Watch {
 public:
  explicit HttpWatch(HttpClient& client) : client_(client), inbox_(std::make_shared<Inbox>()) {}

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

  std::chrono::milliseconds backoff(const Stream& s) const {
    return std::chrono::milliseconds(std::min(5000, 100 << std::min(s.failures, 6)));
  }

  Result<void> fail(std::size_t i, const Error& e) {
    Stream& s = streams_[i];
    if (++s.failures > k_max_stream_failures) return e;
    schedule(i, false, backoff(s));
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
    HttpRequest request;
    request.url = client_.url(resource_path(s.type, s.request.namespace_name, "") +
                              list_query(s.request));
    request.headers = {"Accept: application/json"};
    auto r = client_.send(std::move(request));
    if (!r) return fail(i, r.error().wrap(context(s)));
    if (r->status != 200) {
      const Error e = response_error(context(s), *r);
      if (r->status == 401 || r->status == 403 || r->status == 404) return e;
      return fail(i, e);
    }
    auto list = nlohmann::json::parse(r->body, nullptr, false);
    if (list.is_discarded()) return fail(i, make_error(context(s) + ": invalid JSON list", exit_code::k_cluster));
    std::map<std::string, nlohmann::json> now;
    for (auto& item : list.value("items", nlohmann::json::array())) {
      // List items come without apiVersion/kind; watch events carry them. Make them alike.
      item["apiVersion"] = s.request.api_version;
      item["kind"] = s.request.kind;
      now[key_of(item)] = item;
      ready_.push_back(WatchEvent{WatchEvent::Type::added, item});
    }
    for (auto& [key, object] : s.known) {
      if (!now.count(key)) ready_.push_back(WatchEvent{WatchEvent::Type::deleted, object});
    }
    s.known = std::move(now);
    s.resource_version = list["metadata"].value("resourceVersion", "");
    return start(i);
  }

  Result<void> start(std::size_t i) {
    Stream& s = streams_[i];
    if (s.id) client_.cancel_stream(*s.id);
    const std::uint64_t generation = ++s.generation;
    auto inbox = inbox_;
    // Transport chunks are arbitrary: keep the partial line between chunks.
    auto partial = std::make_shared<std::string>();
    auto on_data = [inbox, partial, i, generation](std::string_view bytes) {
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
          inbox->push(std::move(m));
        }
        start = nl + 1;
      }
      partial->erase(0, start);
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
    auto id = client_.open_stream(path, on_data, on_done);
    if (!id) return fail(i, id.error().wrap(context(s)));
    s.id = *id;
    return {};
  }

  Result<void> handle(const Message& m) {
    Stream& s = streams_[m.stream];
    if (m.generation != s.generation) return {};  // from a stream we already replaced
    if (m.ended) {
      s.id.reset();
      const HttpResponse& r = m.response;
      if (r.status == 200) {
        schedule(m.stream, false, std::chrono::milliseconds(0));  // server timeout: resume
      } else if (r.status == 410) {
        schedule(m.stream, true, std::chrono::milliseconds(0));
      } else if (r.status == 401 || r.status == 403 || r.status == 404) {
        return response_error(context(s), r);
      } else {
        return fail(m.stream, response_error(context(s), r));
      }
      return {};
    }
    auto event = nlohmann::json::parse(m.line, nullptr, false);
    if (event.is_discarded() || !event.is_object()) return {};
    const std::string type = event.value("type", "");
    nlohmann::json object = event.value("object", nlohmann::json::object());
    if (type == "ERROR") {
      const int code = object.value("code", 0);
      if (s.id) client_.cancel_stream(*s.id);
      s.id.reset();
      ++s.generation;
      if (code == 410) {
        schedule(m.stream, true, std::chrono::milliseconds(0));
      } else {
        int after = 1;
        if (object.contains("details") && object["details"].is_object()) {
          after = object["details"].value("retryAfterSeconds", 1);
        }
        ++s.failures;
        if (s.failures > k_max_stream_failures) {
          return make_error(context(s) + ": " + object.value("message", "watch error"),
                            exit_code::k_cluster);
        }
        schedule(m.stream, false, std::chrono::seconds(after));
      }
      return {};
    }
    const auto& meta = object.value("metadata", nlohmann::json::object());
    if (const std::string rv = meta.value("resourceVersion", ""); !rv.empty()) {
      s.resource_version = rv;
    }
    s.failures = 0;
    if (type == "BOOKMARK") return {};
    WatchEvent e;
    if (type == "ADDED") {
      e.type = WatchEvent::Type::added;
      s.known[key_of(object)] = object;
    } else if (type == "MODIFIED") {
      e.type = WatchEvent::Type::modified;
      s.known[key_of(object)] = object;
    } else if (type == "DELETED") {
      e.type = WatchEvent::Type::deleted;
      s.known.erase(key_of(object));
    } else {
      return {};
    }
    e.object = std::move(object);
    ready_.push_back(std::move(e));
    return {};
  }

  HttpClient& client_;
  std::shared_ptr<Inbox> inbox_;
  std::vector<Stream> streams_;
  std::deque<WatchEvent> ready_;
};

}  // namespace

Result<std::unique_ptr<Watch>> HttpClient::watch(const std::vector<WatchRequest>& requests) {
  auto w = std::make_unique<HttpWatch>(*this);
  for (const auto& request : requests) {
    if (auto r = w->add(request); !r) return r.error();
  }
  return std::unique_ptr<Watch>(std::move(w));
}

}  // namespace wavesync::kube
