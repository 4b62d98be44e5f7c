#include "wavesync/kube/requests.hpp"

namespace wavesync::kube {

std::string percent_escape(std::string_view text, std::string_view keep) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

std::string url_escape(std::string_view text) { return percent_escape(text, "-_.~"); }

std::string resource_path(const ResourceType& type, const std::string& namespace_name,
                          const std::string& name) {
  std::string path = type.group.empty() ? "/api/" + type.version
                                        : "/apis/" + type.group + "/" + type.version;
  if (type.namespaced && !namespace_name.empty()) path += "/namespaces/" + url_escape(namespace_name);
  path += "/" + type.resource;
  if (!name.empty()) path += "/" + url_escape(name);
  return path;
}

std::string apply_query(const ApplyOptions& options) {
  std::string q = "?fieldManager=" + url_escape(options.field_manager) + "&fieldValidation=" +
                  (options.field_validation == FieldValidation::ignore ? "Ignore" : "Strict");
  if (options.dry_run == DryRun::all) q += "&dryRun=All";
  if (options.force_conflicts == ForceConflicts::yes) q += "&force=true";
  return q;
}

nlohmann::json apply_body(nlohmann::json object, const ResourceType& type,
                          const std::string& namespace_name) {
  object.erase("status");
  auto meta = object.find("metadata");
  if (meta != object.end() && meta->is_object()) {
    for (const char* key : {"managedFields", "resourceVersion", "uid", "creationTimestamp",
                            "selfLink", "generation"}) {
      meta->erase(key);
    }
    if (type.namespaced) {
      (*meta)["namespace"] = namespace_name;
    } else {
      meta->erase("namespace");
    }
  }
  return object;
}

nlohmann::json delete_body(Propagation propagation) {
  const char* policy = propagation == Propagation::foreground ? "Foreground"
                       : propagation == Propagation::orphan   ? "Orphan"
                                                              : "Background";
  return {{"apiVersion", "v1"}, {"kind", "DeleteOptions"}, {"propagationPolicy", policy}};
}

std::string list_query(const WatchRequest& request) {
  std::string q;
  auto add = [&q](const char* key, const std::string& value) {
    if (value.empty()) return;
    q += (q.empty() ? "?" : "&");
    q += key;
    q += "=" + url_escape(value);
  };
  add("labelSelector", request.label_selector);
  add("fieldSelector", request.field_selector);
  return q;
}

std::string watch_query(const WatchRequest& request, const std::string& resource_version,
                        int timeout_seconds) {
  std::string q = list_query(request);
  q += (q.empty() ? "?" : "&");
  q += "watch=1&allowWatchBookmarks=true&timeoutSeconds=" + std::to_string(timeout_seconds);
  if (!resource_version.empty()) q += "&resourceVersion=" + url_escape(resource_version);
  return q;
}

std::string wire_json(const nlohmann::json& body) {
  // ensure_ascii=false keeps UTF-8 raw (go-yaml rejects surrogate escapes); nlohmann never
  // escapes '/'. Invalid UTF-8 is replaced rather than thrown.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace wavesync::kube
