#include "wavesync/manifest/objects.hpp"

#include "wavesync/manifest/go_scalar.hpp"
#include "wavesync/manifest/limits.hpp"

namespace wavesync::manifest {
namespace {

// An object that needs only generateName: Argo CD and Helm hooks get their name at sync time.
bool is_hook(const nlohmann::json& metadata) {
  auto ann = metadata.find("annotations");
  if (ann == metadata.end() || !ann->is_object()) return false;
  return ann->contains("argocd.argoproj.io/hook") || ann->contains("helm.sh/hook");
}

using Positions = std::map<std::string, SourceLocation>;

Result<void> check_string_map(const nlohmann::json& metadata, const char* field, const char* what,
                              const Resource& r, const Positions& annotation_where) {
  auto it = metadata.find(field);
  if (it == metadata.end() || it->is_null()) return {};
  if (!it->is_object()) {
    return make_error(r.source.str() + ": metadata." + field + " is " + describe_json_type(*it) +
                      ", expected a mapping of strings");
  }
  for (auto entry = it->begin(); entry != it->end(); ++entry) {
    if (entry.value().is_string()) continue;
    // The API server rejects a non-string value; the usual cause is an unquoted number or
    // boolean such as `argocd.argoproj.io/sync-wave: 1`.
    auto written = std::string(field) == "annotations" ? annotation_where.find(entry.key()) : annotation_where.end();
    const SourceLocation& where = written != annotation_where.end() ? written->second : r.source;
    return make_error(where.str() + ": " + what + " \"" + entry.key() + "\" is " + describe_json_type(entry.value()) +
                      ", expected a string (quote the value)");
  }
  return {};
}

Result<void> check_identity(const Resource& r, const nlohmann::json& o, const Positions& annotation_where) {
  const std::string at = r.source.str() + ": ";
  for (auto [field, example] : {std::pair{"apiVersion", "\"v1\" or \"apps/v1\""}, std::pair{"kind", "\"ConfigMap\""}}) {
    auto it = o.find(field);
    if (it == o.end() || it->is_null() || (it->is_string() && it->get_ref<const std::string&>().empty())) {
      return make_error(at + "missing " + field + ": expected a string such as " + example);
    }
    if (!it->is_string()) {
      return make_error(at + field + " is " + describe_json_type(*it) + ", expected a string such as " + example);
    }
  }
  auto meta = o.find("metadata");
  if (meta == o.end() || meta->is_null()) {
    return make_error(at + r.kind() + " has no metadata: expected metadata.name");
  }
  if (!meta->is_object()) {
    return make_error(at + "metadata is " + describe_json_type(*meta) + ", expected a mapping with a name");
  }
  for (const char* field : {"name", "generateName", "namespace"}) {
    auto it = meta->find(field);
    if (it != meta->end() && !it->is_null() && !it->is_string()) {
      return make_error(at + "metadata." + field + " is " + describe_json_type(*it) + ", expected a string");
    }
  }
  if (r.name().empty()) {
    if (!is_hook(*meta)) return make_error(at + r.kind() + " has no metadata.name: expected a non-empty name");
    if (r.generate_name().empty()) {
      return make_error(at + r.kind() + " hook has neither metadata.name nor metadata.generateName: expected one of them");
    }
  }
  if (auto ok = check_string_map(*meta, "annotations", "annotation", r, annotation_where); !ok) return ok;
  if (auto ok = check_string_map(*meta, "labels", "label", r, annotation_where); !ok) return ok;
  std::size_t bytes = r.json_text().size();
  if (bytes > k_max_object_json_bytes) {
    std::string name = r.name().empty() ? r.generate_name() : r.name();
    return make_error(at + r.kind() + " " + name + " is " + std::to_string(bytes) +
                      " bytes as JSON: expected at most " + std::to_string(k_max_object_json_bytes) +
                      " (the API server's 1.5 MiB request limit)");
  }
  return {};
}

using Visit = std::function<Result<void>(DocumentObject)>;

Result<void> flatten(nlohmann::json object, const std::string& path, const SourceLocation& fallback,
                     YamlDocument& doc, const Visit& visit) {
  DocumentObject found;
  auto marks = doc.objects.find(path);
  if (marks != doc.objects.end()) {
    found.source = marks->second.start;
    found.annotation_sources = std::move(marks->second.annotations);
  } else {
    found.source = fallback;
  }
  auto items = object.find("items");
  if (items != object.end() && !items->is_null()) {
    // kubectl treats any object with a top-level `items` as a list and flattens it
    // recursively; every item must carry its own apiVersion and kind.
    if (!items->is_array()) {
      return make_error(found.source.str() + ": items is " + describe_json_type(*items) +
                        ", expected a list of Kubernetes objects");
    }
    nlohmann::json list = std::move(*items);
    for (std::size_t i = 0; i < list.size(); ++i) {
      std::string item_path = path + "/items/" + std::to_string(i);
      if (!list[i].is_object()) {
        auto m = doc.objects.find(item_path);
        const SourceLocation& where = m != doc.objects.end() ? m->second.start : found.source;
        return make_error(where.str() + ": items[" + std::to_string(i) + "] is " + describe_json_type(list[i]) +
                          ", expected a Kubernetes object (a mapping)");
      }
      if (auto ok = flatten(std::move(list[i]), item_path, found.source, doc, visit); !ok) return ok;
    }
    return {};
  }
  found.object = std::move(object);
  if (path.empty()) found.text = std::move(doc.text);  // never set beside a top-level `items`
  return visit(std::move(found));
}

}  // namespace

Result<void> for_each_object(YamlDocument document, const Visit& visit) {
  if (document.root.is_null()) return {};  // empty document, as kubectl skips it
  if (!document.root.is_object()) {
    return make_error(document.start.str() + ": document is " + describe_json_type(document.root) +
                      ", expected a Kubernetes object (a mapping)");
  }
  nlohmann::json root = std::move(document.root);
  const SourceLocation start = document.start;
  return flatten(std::move(root), "", start, document, visit);
}

Result<void> append_objects(YamlDocument document, std::vector<Resource>& out) {
  return for_each_object(std::move(document), [&out](DocumentObject found) -> Result<void> {
    Resource r = found.text ? Resource::from_text(found.object, std::move(*found.text), std::move(found.source),
                                                  found.annotation_sources)
                            : Resource(found.object, std::move(found.source), found.annotation_sources);
    if (auto ok = check_identity(r, found.object, found.annotation_sources); !ok) return ok;
    out.push_back(std::move(r));
    return {};
  });
}

}  // namespace wavesync::manifest
