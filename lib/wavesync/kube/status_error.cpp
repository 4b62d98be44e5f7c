// Status decoding per apimachinery pkg/apis/meta/v1 types.go and pkg/api/errors; not every
// error body is a Status (APF's 429 is plain text, proxies send HTML), so only JSON bodies
// with kind Status are trusted.
#include "wavesync/kube/status_error.hpp"

#include "wavesync/kube/cluster_text.hpp"
#include "wavesync/kube/server_json.hpp"

#include <nlohmann/json.hpp>

namespace wavesync::kube {

std::string reason_phrase(long status) {
  switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Request Entity Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
  }
}

namespace {

std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z' && !(s.size() > 1 && s[1] >= 'A' && s[1] <= 'Z')) {
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
  }
  return s;
}

std::string detail_of(const nlohmann::json& status) {
  const std::string message = string_at(status, {"message"});
  const auto details = status.find("details");
  if (details == status.end() || !details->is_object()) return message;
  const auto causes = details->find("causes");
  if (causes == details->end() || !causes->is_array() || causes->empty()) return message;
  std::string conflicts;
  int conflict_count = 0;
  std::string invalid;
  for (const auto& cause : *causes) {
    if (!cause.is_object()) continue;  // value() would throw on a malformed body
    const std::string reason = string_at(cause, {"reason"});
    const std::string field = string_at(cause, {"field"});
    const std::string text = string_at(cause, {"message"});
    if (reason == "FieldManagerConflict") {
      // `conflict with "mgr" using apps/v1` -> `.spec.replicas (owned by "mgr" using apps/v1)`
      std::string owner = text;
      const std::string prefix = "conflict with ";
      if (owner.rfind(prefix, 0) == 0) owner = owner.substr(prefix.size());
      conflicts += (conflicts.empty() ? "" : ", ") + field + " (owned by " + owner + ")";
      ++conflict_count;
    } else {
      invalid += (invalid.empty() ? "" : "; ") + (field.empty() ? text : field + ": " + text);
    }
  }
  if (conflict_count > 0) {
    return std::to_string(conflict_count) + (conflict_count == 1 ? " field conflict: " : " field conflicts: ") +
           conflicts + "; run without --no-force-conflicts to take ownership";
  }
  return invalid.empty() ? message : invalid;
}

// The API server refuses writes into a namespace being deleted with a 403 whose cause is
// NamespaceTerminating (apiserver admission plugin NamespaceLifecycle): not an RBAC problem.
bool namespace_terminating(const nlohmann::json& status) {
  const auto details = status.find("details");
  if (details == status.end() || !details->is_object()) return false;
  const auto causes = details->find("causes");
  if (causes == details->end() || !causes->is_array()) return false;
  for (const auto& cause : *causes) {
    if (cause.is_object() && string_at(cause, {"reason"}) == "NamespaceTerminating") return true;
  }
  return false;
}

// Server-side apply answers a manifest whose field has the wrong type (`replicas: "three"`)
// with 500 "failed to create typed patch object" (apiserver fieldmanager, structured-merge-diff):
// the server rejected the object, it is not unreachable.
bool rejects_object(const nlohmann::json& status) {
  const std::string message = string_at(status, {"message"});
  return message.find("failed to create typed patch object") != std::string::npos ||
         message.find("failed to create typed live object") != std::string::npos;
}

}  // namespace

Error response_error(const std::string& context, const HttpResponse& response) {
  if (response.status == 0) {
    return Error{context + ": cannot reach the API server: " + response.transport_error +
                     " (check that the cluster is running and that the kubeconfig's server address is right)",
                 exit_code::k_cluster, 0};
  }
  std::string head = std::to_string(response.status);
  if (const std::string phrase = reason_phrase(response.status); !phrase.empty()) head += " " + phrase;
  std::string detail;
  bool terminating = false;
  bool rejected = false;
  const auto parsed = parse_server_json(response.body);
  const nlohmann::json body = parsed ? *parsed : nlohmann::json();
  if (body.is_object() && string_at(body, {"kind"}) == "Status") {
    detail = lower_first(detail_of(body));
    terminating = response.status == 403 && namespace_terminating(body);
    rejected = response.status == 500 && rejects_object(body);
  } else {
    std::string text = neutralize_text(response.body.substr(0, 200));
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (text.find('<') == std::string::npos) detail = text;  // skip HTML pages
  }
  const bool cluster = response.status == 401 || (response.status == 403 && !terminating) ||
                       (response.status >= 500 && !rejected);
  std::string message = context + ": " + head;
  if (!detail.empty()) message += ": " + detail;
  if (response.status == 401)
    message += " (the credentials in the kubeconfig were refused; they may have expired: log in again or refresh them)";
  if (terminating)
    message += " (the namespace is being deleted: wait until it is gone, or remove the finalizers that hold it)";
  else if (response.status == 403)
    message += " (the kubeconfig user lacks this RBAC permission: ask a cluster admin to grant it, or use another --context)";
  return Error{message, cluster ? exit_code::k_cluster : exit_code::k_sync_failed,
               static_cast<int>(response.status)};
}

}  // namespace wavesync::kube
