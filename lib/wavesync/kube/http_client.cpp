// Object operations over HTTP: server-side apply, create, get, list, delete, logs, events.
// Behaviour matched: kubectl apply --server-side (PATCH application/apply-patch+yaml,
// fieldValidation=Strict), kubectl delete (explicit propagationPolicy, 404 is success).
#include "wavesync/kube/http_client.hpp"

#include "wavesync/kube/cluster_text.hpp"
#include "wavesync/kube/requests.hpp"
#include "wavesync/kube/secret_redaction.hpp"
#include "wavesync/kube/server_json.hpp"
#include "wavesync/kube/status_error.hpp"

#include <algorithm>

namespace wavesync::kube {
namespace {

Error cluster_error(std::string message) {
  return make_error(std::move(message), exit_code::k_cluster);
}

std::string describe(const std::string& api_version, const std::string& kind,
                     const std::string& namespace_name, const std::string& name) {
  std::string s = api_version + " " + kind + " ";
  if (!namespace_name.empty()) s += namespace_name + "/";
  return s + name;
}

nlohmann::json parse_body(const HttpResponse& r) {
  auto j = parse_server_json(r.body);
  return j ? std::move(*j) : nlohmann::json();
}

// A pod's log as shown in diagnostics: the last lines, at most this many bytes of them.
constexpr int k_max_log_bytes = 256 << 10;

std::string scheme_of(const std::string& server) {
  const auto end = server.find("://");
  return end == std::string::npos ? std::string() : server.substr(0, end);
}

// Header names allow RFC 7230 token characters; client-go's headerKeyEscape percent-encodes
// every other byte (and `%` itself) of an extra's key.
std::string header_key_escape(const std::string& key) { return percent_escape(key, "!#$&'*+-.^_`|~"); }

bool success(const HttpResponse& r) { return r.status >= 200 && r.status < 300; }

}  // namespace

bool sends_credentials(const std::string& server) { return scheme_of(server) == "https"; }

std::string user_agent(const std::string& version, const std::string& revision) {
#if defined(__linux__)
  const char* os = "linux";
#elif defined(__APPLE__)
  const char* os = "darwin";
#else
  const char* os = "unknown";
#endif
#if defined(__x86_64__)
  const char* arch = "amd64";
#elif defined(__aarch64__)
  const char* arch = "arm64";
#else
  const char* arch = "unknown";
#endif
  return "wavesync/" + version + " (" + os + "/" + arch + ") " + revision;
}

std::vector<std::string> impersonation_headers(const Impersonation& impersonation) {
  std::vector<std::string> headers;
  if (impersonation.user.empty()) return headers;
  headers.push_back("Impersonate-User: " + impersonation.user);
  if (!impersonation.uid.empty()) headers.push_back("Impersonate-Uid: " + impersonation.uid);
  for (const auto& g : impersonation.groups) headers.push_back("Impersonate-Group: " + g);
  for (const auto& [key, values] : impersonation.extra) {
    for (const auto& v : values) headers.push_back("Impersonate-Extra-" + header_key_escape(key) + ": " + v);
  }
  return headers;
}

Result<std::unique_ptr<HttpClient>> HttpClient::create(const ClusterAccess& access,
                                                       ClientOptions options) {
  const std::string& server = access.cluster.server;
  const auto scheme_end = server.find("://");
  if (scheme_end == std::string::npos) {
    return cluster_error("cluster \"" + access.cluster.name + "\": server \"" + server +
                         "\" is not a URL: use https://host:port");
  }
  const std::string scheme = server.substr(0, scheme_end);
  if (scheme != "https" && scheme != "http") {
    return cluster_error("cluster \"" + access.cluster.name + "\": server \"" + server +
                         "\": unsupported scheme, use https");
  }
  std::string rest = server.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("?#"));  // client-go drops query and fragment
  const auto slash = rest.find('/');
  const std::string authority = rest.substr(0, slash);
  std::string prefix = slash == std::string::npos ? "" : rest.substr(slash);
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  std::string host = authority;
  std::string port = scheme == "https" ? "443" : "80";
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']', colon) == std::string::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  for (const auto& h : impersonation_headers(access.user.impersonate)) {
    // A CR or LF would end the header and start another one.
    if (h.find_first_of("\r\n", 0) != std::string::npos || h.find('\0') != std::string::npos) {
      return cluster_error("user \"" + access.user.name +
                           "\": impersonation values must not contain line breaks");
    }
    options.transport.headers.push_back(h);
  }
  if (options.transport.stream_silence_limit.count() == 0) {
    // The server ends every watch after timeoutSeconds: a stream silent for longer is dead.
    options.transport.stream_silence_limit = std::chrono::seconds(options.watch_timeout_seconds + 30);
  }
  TlsOptions tls;
  tls.ca_pem = access.cluster.ca_pem;
  tls.system_ca_file = options.ssl_cert_file;
  tls.system_ca_dir = options.ssl_cert_dir;
  tls.insecure_skip_tls_verify = access.cluster.insecure_skip_tls_verify;
  std::string unbracketed = host;
  if (unbracketed.size() > 1 && unbracketed.front() == '[') unbracketed = unbracketed.substr(1, unbracketed.size() - 2);
  tls.proxy_url = proxy_for(scheme, unbracketed, port, access.cluster.proxy_url, options.proxy_environment);
  // Go's SOCKS5 dialer lets the proxy resolve host names; libcurl calls that socks5h.
  if (tls.proxy_url.rfind("socks5://", 0) == 0) tls.proxy_url = "socks5h://" + tls.proxy_url.substr(9);
  tls.compression = !access.cluster.disable_compression;
  std::string base = scheme + "://" + authority + prefix;
  if (!access.cluster.tls_server_name.empty()) {
    // libcurl has no SNI override: put the name in the URL and connect to the real host,
    // so SNI and certificate verification both use tls-server-name (curl#607).
    base = scheme + "://" + access.cluster.tls_server_name + ":" + port + prefix;
    tls.connect_to = access.cluster.tls_server_name + ":" + port + ":" + host + ":" + port;
  }
  if (scheme == "http") {
    ClusterAccess plain = access;
    plain.user = UserInfo{};
    plain.user.name = access.user.name;
    plain.user.impersonate = access.user.impersonate;
    return std::make_unique<HttpClient>(plain, std::move(options), std::move(tls), std::move(base));
  }
  return std::make_unique<HttpClient>(access, std::move(options), std::move(tls), std::move(base));
}

HttpClient::HttpClient(const ClusterAccess& access, ClientOptions options, TlsOptions tls,
                       std::string base_url)
    : options_(std::move(options)),
      base_url_(std::move(base_url)),
      namespace_(access.namespace_name.empty() ? "default" : access.namespace_name),
      credentials_(access.user, access.cluster),
      transport_(std::make_unique<Transport>(std::move(tls), options_.transport)) {}

std::future<HttpResponse> HttpClient::send_async(HttpRequest request, SharedAuth* used) {
  auto auth = credentials_.current_shared();
  if (!auth) {
    std::promise<HttpResponse> failed;
    HttpResponse r;
    r.transport_error = auth.error().message;
    failed.set_value(std::move(r));
    return failed.get_future();
  }
  *used = *auth;
  request.auth = *auth;
  return transport_->send(std::move(request));
}

Result<HttpResponse> HttpClient::send(HttpRequest request) {
  auto first = credentials_.current_shared();
  if (!first) return first.error();
  request.auth = *first;
  HttpResponse r = transport_->send(request).get();
  // client-go re-runs the exec plugin when a request with the cached credential gets 401;
  // a CLI also retries the request once.
  if (r.status == 401 && credentials_.invalidate(**first)) {
    auto fresh = credentials_.current_shared();
    if (!fresh) return fresh.error();
    request.auth = *fresh;
    r = transport_->send(std::move(request)).get();
  }
  return r;
}

Result<Transport::StreamId> HttpClient::open_stream(const std::string& path_and_query,
                                                    std::function<void(std::string_view)> on_data,
                                                    std::function<void(HttpResponse)> on_done,
                                                    bool metadata_only) {
  auto auth = credentials_.current_shared();
  if (!auth) return auth.error();
  HttpRequest request;
  request.url = url(path_and_query);
  // A metadata-only watch (client-go's metadata informer) gets PartialObjectMetadata objects.
  request.headers = {metadata_only ? "Accept: application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json"
                                   : "Accept: application/json"};
  request.auth = *auth;
  return transport_->open_stream(std::move(request), std::move(on_data), std::move(on_done));
}

Result<std::pair<ResourceType, std::string>> HttpClient::locate(const std::string& api_version,
                                                                const std::string& kind,
                                                                const std::string& namespace_name) {
  auto type = resolve(api_version, kind);
  if (!type) return type.error();
  std::string ns;
  if (type->namespaced) ns = namespace_name.empty() ? namespace_ : namespace_name;
  return std::make_pair(*type, ns);
}

Result<WriteResult> HttpClient::finish_write(const std::string& context, const nlohmann::json& object,
                                             HttpRequest request, std::future<HttpResponse> pending,
                                             const SharedAuth& used) {
  HttpResponse r = pending.get();
  if (r.status == 0 && r.attempts == 0) return cluster_error(context + ": " + r.transport_error);
  if (r.status == 401 && used && credentials_.invalidate(*used)) {
    auto again = send(std::move(request));
    if (!again) return again.error().wrap(context);
    r = std::move(*again);
  }
  for (auto& w : r.warnings) w = redact_secret_values(neutralize_text(w), object);
  if (!success(r)) {
    Error e = response_error(context, r);
    e.message = redact_secret_values(std::move(e.message), object);
    return e;
  }
  return WriteResult{parse_body(r), std::move(r.warnings)};
}

std::vector<Result<WriteResult>> HttpClient::apply(const std::vector<nlohmann::json>& objects,
                                                   const ApplyOptions& options) {
  struct Pending {
    std::string context;
    HttpRequest request;
    std::future<HttpResponse> future;
    SharedAuth used;
  };
  std::vector<Result<WriteResult>> results(objects.size(), Result<WriteResult>(Error{}));
  std::vector<std::optional<Pending>> pending(objects.size());
  // Every request is submitted before any answer is awaited: the transport multiplexes them.
  for (std::size_t i = 0; i < objects.size(); ++i) {
    const nlohmann::json& object = objects[i];
    const ObjectRef ref = object_ref_of(object);
    auto where = locate(ref.api_version, ref.kind, ref.namespace_name);
    const std::string context =
        "apply " + describe(ref.api_version, ref.kind, where ? where->second : ref.namespace_name,
                            ref.name);
    if (!where) {
      results[i] = where.error().wrap(context);
      continue;
    }
    if (ref.name.empty()) {
      results[i] = make_error(context + ": metadata.name is required for apply (generateName "
                              "objects are created, not applied)",
                              exit_code::k_usage);
      continue;
    }
    Pending p;
    p.context = context;
    p.request.method = "PATCH";
    p.request.url = url(resource_path(where->first, where->second, ref.name) + apply_query(options));
    p.request.headers = {"Content-Type: application/apply-patch+yaml", "Accept: application/json"};
    p.request.body = wire_json(apply_body(object, where->first, where->second));
    p.request.idempotent = true;  // applying the same configuration twice is a no-op
    p.future = send_async(p.request, &p.used);
    pending[i] = std::move(p);
  }
  for (std::size_t i = 0; i < objects.size(); ++i) {
    if (!pending[i]) continue;
    Pending& p = *pending[i];
    results[i] = finish_write(p.context, objects[i], std::move(p.request), std::move(p.future), p.used);
  }
  return results;
}

Result<WriteResult> HttpClient::create(const nlohmann::json& object, DryRun dry_run, FieldValidation validation) {
  const ObjectRef ref = object_ref_of(object);
  auto where = locate(ref.api_version, ref.kind, ref.namespace_name);
  std::string name = ref.name;
  if (name.empty()) name = object["metadata"].value("generateName", "") + "*";
  const std::string context =
      "create " + describe(ref.api_version, ref.kind,
                           where ? where->second : ref.namespace_name, name);
  if (!where) return where.error().wrap(context);
  HttpRequest request;
  request.method = "POST";
  const char* fields = validation == FieldValidation::ignore ? "Ignore" : "Strict";
  request.url = url(resource_path(where->first, where->second, "") +
                    (dry_run == DryRun::all ? std::string("?dryRun=All&fieldValidation=") + fields
                                            : std::string("?fieldValidation=") + fields + "&fieldManager=wavesync"));
  request.headers = {"Content-Type: application/json", "Accept: application/json"};
  request.body = wire_json(apply_body(object, where->first, where->second));
  request.idempotent = false;  // a retried POST could create a second generateName object
  SharedAuth used;
  auto future = send_async(request, &used);
  return finish_write(context, object, std::move(request), std::move(future), used);
}

Result<WriteResult> HttpClient::update(const nlohmann::json& object, const ApplyOptions& options) {
  const ObjectRef ref = object_ref_of(object);
  auto where = locate(ref.api_version, ref.kind, ref.namespace_name);
  const std::string context =
      "replace " + describe(ref.api_version, ref.kind, where ? where->second : ref.namespace_name, ref.name);
  if (!where) return where.error().wrap(context);
  ApplyOptions query = options;
  query.force_conflicts = ForceConflicts::no;  // not a PUT parameter
  HttpRequest request;
  request.method = "PUT";
  request.url = url(resource_path(where->first, where->second, ref.name) + apply_query(query));
  request.headers = {"Content-Type: application/json", "Accept: application/json"};
  nlohmann::json body = apply_body(object, where->first, where->second);
  // apply_body drops resourceVersion; a PUT needs it for optimistic concurrency.
  if (object.contains("metadata") && object["metadata"].is_object() &&
      object["metadata"].contains("resourceVersion")) {
    body["metadata"]["resourceVersion"] = object["metadata"]["resourceVersion"];
  }
  request.body = wire_json(body);
  request.idempotent = true;  // the same PUT twice: the second one is a 409 or a no-op
  SharedAuth used;
  auto future = send_async(request, &used);
  return finish_write(context, object, std::move(request), std::move(future), used);
}

Result<WriteResult> HttpClient::patch(const ObjectRef& ref, const nlohmann::json& json_patch) {
  auto where = locate(ref.api_version, ref.kind, ref.namespace_name);
  const std::string context =
      "patch " + describe(ref.api_version, ref.kind, where ? where->second : ref.namespace_name, ref.name);
  if (!where) return where.error().wrap(context);
  HttpRequest request;
  request.method = "PATCH";
  request.url = url(resource_path(where->first, where->second, ref.name));
  request.headers = {"Content-Type: application/json-patch+json", "Accept: application/json"};
  request.body = wire_json(json_patch);
  // Migration patches carry a resourceVersion: a repeat after a lost answer is a 409, not a
  // second change.
  request.idempotent = true;
  SharedAuth used;
  auto future = send_async(request, &used);
  return finish_write(context, json_patch, std::move(request), std::move(future), used);
}

Result<WriteResult> HttpClient::merge_patch(const ObjectRef& ref, const nlohmann::json& patch,
                                            const ApplyOptions& options) {
  auto where = locate(ref.api_version, ref.kind, ref.namespace_name);
  const std::string context =
      "patch " + describe(ref.api_version, ref.kind, where ? where->second : ref.namespace_name, ref.name);
  if (!where) return where.error().wrap(context);
  ApplyOptions query = options;
  query.force_conflicts = ForceConflicts::no;  // an apply-only parameter
  HttpRequest request;
  request.method = "PATCH";
  request.url = url(resource_path(where->first, where->second, ref.name) + apply_query(query));
  request.headers = {"Content-Type: application/merge-patch+json", "Accept: application/json"};
  request.body = wire_json(apply_body(patch, where->first, where->second));
  request.idempotent = true;  // the same merge patch twice changes nothing the second time
  SharedAuth used;
  auto future = send_async(request, &used);
  return finish_write(context, patch, std::move(request), std::move(future), used);
}

Result<std::optional<nlohmann::json>> HttpClient::get(const ObjectRef& ref) {
  auto where = locate(ref.api_version, ref.kind, ref.namespace_name);
  const std::string context =
      "get " + describe(ref.api_version, ref.kind, where ? where->second : ref.namespace_name,
                        ref.name);
  if (!where) return where.error().wrap(context);
  HttpRequest request;
  request.url = url(resource_path(where->first, where->second, ref.name));
  request.headers = {"Accept: application/json"};
  auto r = send(std::move(request));
  if (!r) return r.error().wrap(context);
  if (r->status == 404) return std::optional<nlohmann::json>();
  if (!success(*r)) return response_error(context, *r);
  return std::optional<nlohmann::json>(parse_body(*r));
}

Result<nlohmann::json> HttpClient::list(const WatchRequest& request) {
  auto type = resolve(request.api_version, request.kind);
  const std::string context =
      "list " + request.api_version + " " + request.kind +
      (request.namespace_name.empty() ? "" : " in namespace " + request.namespace_name);
  if (!type) return type.error().wrap(context);
  return list_pages(context, resource_path(*type, request.namespace_name, "") + list_query(request),
                    request.metadata_only);
}

Result<nlohmann::json> HttpClient::list_pages(const std::string& context, const std::string& path_and_query,
                                              bool metadata_only) {
  // Pages of list_page_size items joined with `continue` (client-go tools/pager): no single
  // answer holds a whole large collection. An expired continue token (410) starts over once.
  nlohmann::json result;
  std::string token;
  bool restarted = false;
  const char sep = path_and_query.find('?') == std::string::npos ? '?' : '&';
  while (true) {
    std::string page = path_and_query + sep + "limit=" + std::to_string(options_.list_page_size);
    if (!token.empty()) page += "&continue=" + url_escape(token);
    HttpRequest http;
    http.url = url(page);
    http.headers = {metadata_only
                        ? "Accept: application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json"
                        : "Accept: application/json"};
    auto r = send(std::move(http));
    if (r && r->status == 410 && !token.empty() && !restarted) {
      restarted = true;
      token.clear();
      result = nlohmann::json();
      continue;
    }
    if (!r) return r.error().wrap(context);
    if (!success(*r)) return response_error(context, *r);
    auto body = parse_server_json(r->body);
    if (!body || !body->is_object()) {
      return make_error(context + ": the API server answered with a body that is not a JSON list",
                        exit_code::k_cluster);
    }
    const auto* items = array_at(*body, {"items"});
    if (result.is_null()) {
      result = std::move(*body);
      if (items == nullptr) result["items"] = nlohmann::json::array();
    } else if (items != nullptr) {
      auto& all = result["items"];
      for (auto& item : (*body)["items"]) all.push_back(std::move(item));
      if (const auto* meta = object_at(*body, {"metadata"})) result["metadata"] = *meta;
    }
    const auto* meta = object_at(result, {"metadata"});
    token = meta != nullptr ? string_at(*meta, {"continue"}) : std::string();
    if (token.empty()) break;
  }
  if (auto* meta = result.contains("metadata") && result["metadata"].is_object() ? &result["metadata"] : nullptr) {
    meta->erase("continue");
    meta->erase("remainingItemCount");
  }
  return result;
}

Result<void> HttpClient::remove(const ObjectRef& ref, Propagation propagation) {
  auto where = locate(ref.api_version, ref.kind, ref.namespace_name);
  const std::string context =
      "delete " + describe(ref.api_version, ref.kind, where ? where->second : ref.namespace_name,
                           ref.name);
  if (!where) return where.error().wrap(context);
  HttpRequest request;
  request.method = "DELETE";
  request.url = url(resource_path(where->first, where->second, ref.name));
  request.headers = {"Content-Type: application/json", "Accept: application/json"};
  request.body = wire_json(delete_body(propagation));
  auto r = send(std::move(request));
  if (!r) return r.error().wrap(context);
  if (r->status == 404) return {};  // already gone
  if (!success(*r)) return response_error(context, *r);
  return {};
}

std::vector<HttpClient::ObjectAnswer> HttpClient::send_each(const std::string& verb, const std::vector<ObjectRef>& refs,
                                                           const std::function<void(std::size_t, HttpRequest&)>& fill) {
  std::vector<ObjectAnswer> out;
  out.reserve(refs.size());
  std::vector<HttpRequest> requests(refs.size());
  std::vector<std::future<HttpResponse>> futures(refs.size());
  std::vector<SharedAuth> used(refs.size());
  // Every request is submitted before any answer is awaited: the transport multiplexes them.
  for (std::size_t i = 0; i < refs.size(); ++i) {
    const ObjectRef& ref = refs[i];
    auto where = locate(ref.api_version, ref.kind, ref.namespace_name);
    std::string context = verb + " " + describe(ref.api_version, ref.kind, where ? where->second : ref.namespace_name, ref.name);
    if (!where) {
      out.push_back(ObjectAnswer{context, where.error().wrap(context)});
      continue;
    }
    requests[i].url = url(resource_path(where->first, where->second, ref.name));
    fill(i, requests[i]);
    futures[i] = send_async(requests[i], &used[i]);
    out.push_back(ObjectAnswer{std::move(context), HttpResponse{}});
  }
  for (std::size_t i = 0; i < refs.size(); ++i) {
    if (!futures[i].valid()) continue;
    HttpResponse r = futures[i].get();
    if (r.status == 401 && used[i] && credentials_.invalidate(*used[i])) {
      auto again = send(std::move(requests[i]));
      out[i].answer = again ? Result<HttpResponse>(std::move(*again)) : Result<HttpResponse>(again.error().wrap(out[i].context));
      continue;
    }
    out[i].answer = std::move(r);
  }
  return out;
}

std::vector<Result<std::optional<nlohmann::json>>> HttpClient::get_each(const std::vector<ObjectRef>& refs) {
  auto answers = send_each("get", refs, [](std::size_t, HttpRequest& request) { request.headers = {"Accept: application/json"}; });
  std::vector<Result<std::optional<nlohmann::json>>> out;
  out.reserve(refs.size());
  for (auto& [context, r] : answers) {
    if (!r) {
      out.emplace_back(r.error());
    } else if (r->status == 404) {
      out.emplace_back(std::optional<nlohmann::json>());
    } else if (!success(*r)) {
      out.emplace_back(response_error(context, *r));
    } else {
      out.emplace_back(std::optional<nlohmann::json>(parse_body(*r)));
    }
  }
  return out;
}

std::vector<Result<void>> HttpClient::remove_each(const std::vector<std::pair<ObjectRef, Propagation>>& targets) {
  std::vector<ObjectRef> refs;
  refs.reserve(targets.size());
  for (const auto& target : targets) refs.push_back(target.first);
  auto answers = send_each("delete", refs, [&](std::size_t i, HttpRequest& request) {
    request.method = "DELETE";
    request.headers = {"Content-Type: application/json", "Accept: application/json"};
    request.body = wire_json(delete_body(targets[i].second));
  });
  std::vector<Result<void>> out(targets.size());
  for (std::size_t i = 0; i < answers.size(); ++i) {
    const auto& [context, r] = answers[i];
    if (!r) {
      out[i] = r.error();
    } else if (r->status != 404 && !success(*r)) {  // 404: already gone
      out[i] = response_error(context, *r);
    }
  }
  return out;
}

Result<std::string> HttpClient::pod_logs(const std::string& namespace_name, const std::string& pod,
                                         const std::string& container, const LogOptions& options) {
  const std::string ns = namespace_name.empty() ? namespace_ : namespace_name;
  const std::string context = "logs of pod " + ns + "/" + pod;
  // Bounded whatever the caller asks: a log can be gigabytes.
  const std::int64_t limit = options.limit_bytes > 0 ? std::min<std::int64_t>(options.limit_bytes, k_max_log_bytes)
                                                     : static_cast<std::int64_t>(k_max_log_bytes);
  std::string query = "?tailLines=" + std::to_string(std::max(0, options.tail_lines)) +
                      "&limitBytes=" + std::to_string(limit);
  if (options.previous) query += "&previous=true";
  if (!container.empty()) query += "&container=" + url_escape(container);
  HttpRequest request;
  request.url = url("/api/v1/namespaces/" + url_escape(ns) + "/pods/" + url_escape(pod) + "/log" +
                    query);
  auto r = send(std::move(request));
  if (!r) return r.error().wrap(context);
  if (!success(*r)) return response_error(context, *r);
  return neutralize_text(r->body);
}

Result<std::vector<nlohmann::json>> HttpClient::events_for(const ObjectRef& ref) {
  const std::string context = "events of " + describe(ref.api_version, ref.kind,
                                                      ref.namespace_name, ref.name);
  std::string selector = "involvedObject.name=" + ref.name + ",involvedObject.kind=" + ref.kind;
  if (!ref.namespace_name.empty()) selector += ",involvedObject.namespace=" + ref.namespace_name;
  // Events of cluster-scoped objects are recorded in the `default` namespace; listing all
  // namespaces covers both.
  const std::string path = ref.namespace_name.empty()
                               ? "/api/v1/events"
                               : "/api/v1/namespaces/" + url_escape(ref.namespace_name) + "/events";
  HttpRequest request;
  request.url = url(path + "?fieldSelector=" + url_escape(selector));
  request.headers = {"Accept: application/json"};
  auto r = send(std::move(request));
  if (!r) return r.error().wrap(context);
  if (!success(*r)) return response_error(context, *r);
  std::vector<nlohmann::json> events;
  const auto body = parse_body(*r);
  if (const auto* items = array_at(body, {"items"})) {
    for (const auto& e : *items) {
      if (e.is_object()) events.push_back(e);
    }
  }
  auto when = [](const nlohmann::json& e) {
    for (const char* key : {"lastTimestamp", "eventTime", "firstTimestamp"}) {
      if (std::string t = string_at(e, {key}); !t.empty()) return t;
    }
    const auto* meta = object_at(e, {"metadata"});
    return meta != nullptr ? string_at(*meta, {"creationTimestamp"}) : std::string();
  };
  // RFC 3339 UTC timestamps sort lexicographically.
  std::stable_sort(events.begin(), events.end(),
                   [&](const auto& a, const auto& b) { return when(a) < when(b); });
  return events;
}

}  // namespace wavesync::kube
