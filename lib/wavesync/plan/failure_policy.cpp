#include "wavesync/plan/failure_policy.hpp"

#include "wavesync/hooks/hook_annotations.hpp"
#include "wavesync/model/duration.hpp"

namespace wavesync {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = text.find(separator, start);
    out.push_back(text.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

Result<std::optional<std::chrono::milliseconds>> read_duration(const Resource& resource, const char* key) {
  const std::string* text = resource.annotation(key);
  if (text == nullptr) return std::optional<std::chrono::milliseconds>();
  auto parsed = parse_duration(key, *text);
  if (!parsed) return parsed.error().wrap(resource.annotation_source(key).file_line());
  return std::optional<std::chrono::milliseconds>(*parsed);
}

// `v1/Secret/ns/name`, `v1/Namespace/name`, `apps/v1/Deployment/ns/name`, `ceph.rook.io/v1/CephObjectStoreUser/ns/name`.
std::optional<ExternalObject> parse_external(const std::string& text) {
  std::vector<std::string> parts = split(text, '/');
  ExternalObject o;
  std::size_t i = 0;
  if (!parts.empty() && parts[0] == "v1") {
    o.api_version = "v1";
    i = 1;
  } else if (parts.size() >= 2) {
    o.api_version = parts[0] + "/" + parts[1];
    i = 2;
  } else {
    return std::nullopt;
  }
  const std::size_t rest = parts.size() - i;
  if (rest == 2) {
    o.kind = parts[i];
    o.name = parts[i + 1];
  } else if (rest == 3) {
    o.kind = parts[i];
    o.namespace_name = parts[i + 1];
    o.name = parts[i + 2];
  } else {
    return std::nullopt;
  }
  if (o.kind.empty() || o.name.empty() || o.api_version.front() == '/' || o.api_version.back() == '/') return std::nullopt;
  return o;
}

}  // namespace

std::string ExternalObject::str() const {
  return api_version + " " + kind + " " + (namespace_name.empty() ? "" : namespace_name + "/") + name;
}

Result<FailurePolicy> read_failure_policy(const Resource& resource) {
  FailurePolicy policy;
  auto timeout = read_duration(resource, k_annotation_timeout);
  if (!timeout) return timeout.error();
  policy.timeout = *timeout;
  auto grace = read_duration(resource, k_annotation_pod_failure_grace);
  if (!grace) return grace.error();
  policy.pod_failure_grace = *grace;
  if (const std::string* text = resource.annotation(k_annotation_wait_for)) {
    for (const std::string& item : split_annotation_list(*text)) {
      std::optional<ExternalObject> o = parse_external(item);
      if (!o) {
        return make_error(resource.annotation_source(k_annotation_wait_for).file_line() + ": " +
                          k_annotation_wait_for + ": invalid object \"" + item +
                          "\": expected <apiVersion>/<Kind>/<namespace>/<name> or <apiVersion>/<Kind>/<name>");
      }
      policy.wait_for.push_back(std::move(*o));
    }
  }
  return policy;
}

}  // namespace wavesync
