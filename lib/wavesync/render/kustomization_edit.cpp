#include "wavesync/render/kustomization_edit.hpp"

#include <algorithm>

namespace wavesync::render {

bool KustomizeOptions::edits() const {
  return !name_prefix.empty() || !name_suffix.empty() || !namespace_name.empty() || !images.empty() ||
         !replicas.empty() || !common_labels.empty() || !common_annotations.empty() || !patches.empty() ||
         !components.empty();
}

namespace {

// `kustomize edit set image` arguments: `name=newName[:tag|@digest]`, `name[:tag|@digest]`.
// The tag separator is the last `:` after the last `/` (a registry port is not a tag).
struct ImageArg {
  std::string name;
  std::string new_name;
  std::string tag;
  std::string digest;
};

void split_reference(const std::string& ref, std::string& image, std::string& tag, std::string& digest) {
  image = ref;
  if (auto at = image.find('@'); at != std::string::npos) {
    digest = image.substr(at + 1);
    image.resize(at);
  }
  const std::size_t slash = image.rfind('/');
  const std::size_t colon = image.rfind(':');
  if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
    tag = image.substr(colon + 1);
    image.resize(colon);
  }
}

Result<ImageArg> parse_image(const std::string& arg, const std::string& file) {
  ImageArg out;
  const std::size_t eq = arg.find('=');
  std::string image;
  if (eq != std::string::npos) {
    out.name = arg.substr(0, eq);
    split_reference(arg.substr(eq + 1), image, out.tag, out.digest);
    if (image != "*") out.new_name = image;
  } else {
    split_reference(arg, image, out.tag, out.digest);
    out.name = image;
  }
  if (out.name.empty() || (out.new_name.empty() && out.tag.empty() && out.digest.empty()))
    return make_error(file + ": kustomize image \"" + arg + "\": expected name=newName:tag, name:tag or name@digest");
  return out;
}

nlohmann::json& list_field(nlohmann::json& k, const char* key) {
  if (!k.contains(key) || !k[key].is_array()) k[key] = nlohmann::json::array();
  return k[key];
}

nlohmann::json& map_field(nlohmann::json& k, const char* key) {
  if (!k.contains(key) || !k[key].is_object()) k[key] = nlohmann::json::object();
  return k[key];
}

Result<void> add_pairs(nlohmann::json& target, const std::map<std::string, std::string>& pairs, bool force,
                       const std::string& what, const std::string& file) {
  for (const auto& [key, value] : pairs) {
    if (target.contains(key) && !force)
      return make_error(file + ": " + what + " " + key + " already in kustomization file (set force" +
                        (what == "label" ? std::string("CommonLabels") : std::string("CommonAnnotations")) +
                        " to replace it)");
    target[key] = value;
  }
  return {};
}

}  // namespace

Result<nlohmann::json> edit_kustomization(nlohmann::json k, const KustomizeOptions& options, const std::string& file) {
  if (k.is_null()) k = nlohmann::json::object();
  if (!k.is_object()) return make_error(file + ": expected a kustomization (a mapping)");
  if (!options.name_prefix.empty()) k["namePrefix"] = options.name_prefix;
  if (!options.name_suffix.empty()) k["nameSuffix"] = options.name_suffix;
  for (const std::string& arg : options.images) {
    auto image = parse_image(arg, file);
    if (!image) return image.error();
    nlohmann::json& images = list_field(k, "images");
    auto it = std::find_if(images.begin(), images.end(),
                           [&](const nlohmann::json& i) { return i.is_object() && i.value("name", "") == image->name; });
    if (it == images.end()) it = images.insert(images.end(), nlohmann::json{{"name", image->name}});
    nlohmann::json& entry = *it;
    if (!image->new_name.empty()) entry["newName"] = image->new_name;
    // A new tag replaces a digest and the other way round, as `kustomize edit set image` does.
    if (!image->tag.empty()) {
      entry["newTag"] = image->tag;
      entry.erase("digest");
    }
    if (!image->digest.empty()) {
      entry["digest"] = image->digest;
      entry.erase("newTag");
    }
  }
  for (const auto& replica : options.replicas) {
    // Named, not a structured binding: clang 14 cannot capture a binding in the lambda below.
    const auto& name = replica.first;
    const auto& count = replica.second;
    nlohmann::json& replicas = list_field(k, "replicas");
    auto it = std::find_if(replicas.begin(), replicas.end(),
                           [&](const nlohmann::json& r) { return r.is_object() && r.value("name", "") == name; });
    if (it == replicas.end()) replicas.push_back({{"name", name}, {"count", count}});
    else (*it)["count"] = count;
  }
  if (!options.common_labels.empty()) {
    if (options.label_without_selector) {
      // `edit add label --without-selector` writes a `labels` entry that leaves selectors alone.
      nlohmann::json& labels = list_field(k, "labels");
      nlohmann::json entry{{"pairs", nlohmann::json::object()}};
      if (options.label_include_templates) entry["includeTemplates"] = true;
      auto r = add_pairs(entry["pairs"], options.common_labels, options.force_common_labels, "label", file);
      if (!r) return r.error();
      labels.push_back(std::move(entry));
    } else {
      auto r = add_pairs(map_field(k, "commonLabels"), options.common_labels, options.force_common_labels, "label", file);
      if (!r) return r.error();
    }
  }
  if (!options.common_annotations.empty()) {
    auto r = add_pairs(map_field(k, "commonAnnotations"), options.common_annotations, options.force_common_annotations,
                       "annotation", file);
    if (!r) return r.error();
  }
  if (!options.namespace_name.empty()) k["namespace"] = options.namespace_name;
  for (const nlohmann::json& patch : options.patches) list_field(k, "patches").push_back(patch);
  for (const std::string& component : options.components) {
    nlohmann::json& components = list_field(k, "components");
    if (std::find(components.begin(), components.end(), component) == components.end()) components.push_back(component);
  }
  return k;
}

}  // namespace wavesync::render
