#include "wavesync/applyset/applyset.hpp"

#include "wavesync/applyset/digest.hpp"
#include "wavesync/kube/base64.hpp"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace wavesync::applyset {

namespace {

const std::string* string_field(const nlohmann::json& object, const char* map, const char* key) {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return nullptr;
  auto values = meta->find(map);
  if (values == meta->end() || !values->is_object()) return nullptr;
  auto it = values->find(key);
  if (it == values->end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

std::string deflate_text(const std::string& text) {
  uLongf size = compressBound(static_cast<uLong>(text.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(text.data()),
                static_cast<uLong>(text.size()), Z_BEST_COMPRESSION) != Z_OK) {
    return {};
  }
  out.resize(size);
  return out;
}

// Inflates at most 64 MiB (a member list of a million objects): a damaged or hostile parent
// cannot make wavesync allocate without bound. nullopt when the data is not zlib.
std::optional<std::string> inflate_text(const std::string& data) {
  constexpr std::size_t k_max = 64u * 1024 * 1024;
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return std::nullopt;
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[65536];
  int status = Z_OK;
  while (status == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    status = inflate(&z, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - z.avail_out);
    if (out.size() > k_max) status = Z_MEM_ERROR;
  }
  inflateEnd(&z);
  if (status != Z_STREAM_END) return std::nullopt;
  return out;
}

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  if (text.empty()) return parts;
  std::size_t start = 0;
  while (true) {
    auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts;
}

// `Part`: std::string or std::string_view.
template <typename Part>
std::string join(const std::vector<Part>& parts) {
  std::size_t size = parts.size();
  for (const auto& part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (const auto& part : parts) {
    if (!out.empty()) out += ',';
    out += part;
  }
  return out;
}

}  // namespace

std::string ParentRef::kind_name() const {
  return kind == ParentKind::secret ? "Secret" : "ConfigMap";
}

std::string ParentRef::str() const { return "v1 " + kind_name() + " " + namespace_name + "/" + name; }

Result<ParentRef> parse_parent(const std::string& spec, const std::string& namespace_name) {
  ParentRef parent;
  parent.namespace_name = namespace_name;
  auto slash = spec.find('/');
  std::string type = slash == std::string::npos ? "secrets" : spec.substr(0, slash);
  parent.name = slash == std::string::npos ? spec : spec.substr(slash + 1);
  if (type == "secret" || type == "secrets") {
    parent.kind = ParentKind::secret;
  } else if (type == "configmap" || type == "configmaps") {
    parent.kind = ParentKind::config_map;
  } else {
    return make_error("--applyset \"" + spec + "\": the parent must be a Secret or a ConfigMap " +
                      "(NAME, secrets/NAME or configmaps/NAME)");
  }
  if (parent.name.empty() || parent.name.find('/') != std::string::npos) {
    return make_error("--applyset \"" + spec + "\": expected NAME, secrets/NAME or configmaps/NAME");
  }
  if (namespace_name.empty()) {
    return make_error("--applyset \"" + spec + "\": the parent needs a namespace (--applyset-namespace)");
  }
  return parent;
}

std::string default_parent_name(const std::string& directory_base_name) {
  std::string out;
  for (char c : directory_base_name) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) != 0 && u < 128) {
      out.push_back(static_cast<char>(std::tolower(u)));
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  if (out.size() > 63) out.resize(63);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? std::string(k_tooling_name) : out;
}

std::string applyset_id(const ParentRef& parent) {
  // kubectl joins name, namespace, kind and group (empty for Secret and ConfigMap) with dots.
  const std::string unencoded = parent.name + "." + parent.namespace_name + "." + parent.kind_name() + ".";
  const auto digest = sha256(unencoded);
  return "applyset-" + base64url_unpadded(digest.data(), digest.size()) + "-v1";
}

std::string GroupKind::str() const { return group.empty() ? kind : kind + "." + group; }

GroupKind parse_group_kind(const std::string& text) {
  auto dot = text.find('.');
  if (dot == std::string::npos) return GroupKind{"", text};
  return GroupKind{text.substr(dot + 1), text.substr(0, dot)};
}

namespace {
constexpr char k_sep = '\x01';

std::string entry_of(const ResourceKey& key, const std::string& api_version) {
  std::string e;
  e.reserve(key.group.size() + key.kind.size() + key.namespace_name.size() + key.name.size() + api_version.size() + 4);
  e.append(key.group).push_back(k_sep);
  e.append(key.kind).push_back(k_sep);
  e.append(key.namespace_name).push_back(k_sep);
  e.append(key.name).push_back(k_sep);
  e.append(api_version);
  return e;
}

// The key part of an entry, separator included: entries of one key share it.
std::string_view key_part(const std::string& entry) { return std::string_view(entry).substr(0, entry.rfind(k_sep) + 1); }
}  // namespace

Members::Members(const std::map<ResourceKey, std::string>& members) {
  entries_.reserve(members.size());
  for (const auto& [key, api_version] : members) entries_.push_back(entry_of(key, api_version));
  entries_.shrink_to_fit();
}

std::pair<ResourceKey, std::string> Members::const_iterator::operator*() const {
  std::pair<ResourceKey, std::string> out;
  std::string* fields[] = {&out.first.group, &out.first.kind, &out.first.namespace_name, &out.first.name, &out.second};
  std::size_t start = 0;
  for (std::size_t f = 0; f < 5; ++f) {
    const std::size_t end = f == 4 ? at_->size() : at_->find(k_sep, start);
    fields[f]->assign(*at_, start, end - start);
    start = end + 1;
  }
  return out;
}

std::map<ResourceKey, std::string> Members::to_map() const {
  std::map<ResourceKey, std::string> out;
  for (const auto& [key, api_version] : *this) out.emplace_hint(out.end(), key, api_version);
  return out;
}

void Members::merge(const Members& other) {
  std::vector<std::string> merged;
  merged.reserve(entries_.size() + other.entries_.size());
  auto a = entries_.begin();
  auto b = other.entries_.begin();
  while (a != entries_.end() || b != other.entries_.end()) {
    if (b == other.entries_.end() || (a != entries_.end() && key_part(*a) <= key_part(*b))) {
      if (b != other.entries_.end() && key_part(*a) == key_part(*b)) ++b;  // ours wins
      merged.push_back(std::move(*a++));
    } else {
      merged.push_back(*b++);
    }
  }
  entries_ = std::move(merged);
}

Inventory inventory_of(const std::map<ResourceKey, std::string>& members) {
  Inventory inventory;
  inventory.members = Members(members);
  for (const auto& [key, api_version] : members) {
    inventory.group_kinds.insert(GroupKind{key.group, key.kind});
    if (!key.namespace_name.empty()) inventory.namespaces.insert(key.namespace_name);
  }
  return inventory;
}

Inventory superset(const Inventory& a, const Inventory& b) {
  Inventory out = a;
  out.group_kinds.insert(b.group_kinds.begin(), b.group_kinds.end());
  out.namespaces.insert(b.namespaces.begin(), b.namespaces.end());
  out.members.merge(b.members);
  return out;
}

Result<Inventory> read_parent(const nlohmann::json& live, const ParentRef& parent) {
  const std::string context = "applyset parent " + parent.str();
  const std::string* tooling = string_field(live, "annotations", k_tooling_annotation);
  if (tooling == nullptr) {
    return make_error(context + ": the object exists but is not an ApplySet parent (no " +
                          k_tooling_annotation + " annotation); choose another name with --applyset",
                      exit_code::k_sync_failed);
  }
  // kubectl's rule: the tool is everything before the last `/`.
  auto slash = tooling->rfind('/');
  std::string tool = slash == std::string::npos ? *tooling : tooling->substr(0, slash);
  if (tool != k_tooling_name) {
    return make_error(context + ": managed by \"" + tool + "\", not wavesync; refusing to change it",
                      exit_code::k_sync_failed);
  }
  const std::string* id = string_field(live, "labels", k_id_label);
  const std::string want = applyset_id(parent);
  if (id == nullptr || *id != want) {
    return make_error(context + ": label " + k_id_label + " is \"" + (id == nullptr ? "" : *id) +
                          "\", want \"" + want + "\"",
                      exit_code::k_sync_failed);
  }
  Inventory inventory;
  if (const auto* kinds = string_field(live, "annotations", k_group_kinds_annotation)) {
    for (const auto& item : split(*kinds, ',')) inventory.group_kinds.insert(parse_group_kind(item));
  }
  if (const auto* namespaces = string_field(live, "annotations", k_namespaces_annotation)) {
    for (const auto& item : split(*namespaces, ',')) inventory.namespaces.insert(item);
  }
  inventory.namespaces.insert(parent.namespace_name);
  const char* binary = parent.kind == ParentKind::config_map ? "binaryData" : "data";
  auto compressed = live.find(binary);
  if (compressed != live.end() && compressed->is_object()) {
    auto text = compressed->find(k_members_compressed_key);
    if (text == compressed->end() || !text->is_string()) compressed = live.end();
  } else {
    compressed = live.end();
  }
  if (const auto* members = string_field(live, "annotations", k_members_annotation)) {
    inventory.members = parse_members(*members);
  } else if (compressed != live.end()) {
    auto raw = kube::base64_decode(compressed->at(k_members_compressed_key).get<std::string>());
    std::optional<std::string> text = raw ? inflate_text(*raw) : std::nullopt;
    if (!text) {
      return make_error(context + ": " + binary + "." + k_members_compressed_key +
                            " is not a zlib-compressed member list: expected what wavesync wrote",
                        exit_code::k_sync_failed);
    }
    inventory.members = parse_members(*text);
  } else if (auto data = live.find("data"); data != live.end() && data->is_object()) {
    auto text = data->find(k_members_data_key);
    if (text != data->end() && text->is_string()) {
      if (parent.kind == ParentKind::config_map) {
        inventory.members = parse_members(text->get<std::string>());
      } else if (auto decoded = kube::base64_decode(text->get<std::string>())) {
        inventory.members = parse_members(*decoded);
      }
    }
  }
  return inventory;
}

nlohmann::json parent_object(const ParentRef& parent, const Inventory& inventory,
                             const std::string& tooling) {
  std::vector<std::string> kinds;
  for (const auto& gk : inventory.group_kinds) kinds.push_back(gk.str());
  // kubectl sorts the strings, not the (group, kind) pairs.
  std::sort(kinds.begin(), kinds.end());
  std::vector<std::string> namespaces;
  for (const auto& ns : inventory.namespaces) {
    if (ns != parent.namespace_name && !ns.empty()) namespaces.push_back(ns);
  }
  nlohmann::json object{
      {"apiVersion", "v1"},
      {"kind", parent.kind_name()},
      {"metadata",
       {{"name", parent.name},
        {"namespace", parent.namespace_name},
        {"labels", {{k_id_label, applyset_id(parent)}}},
        {"annotations",
         {{k_tooling_annotation, tooling},
          {k_group_kinds_annotation, join(kinds)},
          {k_namespaces_annotation, join(namespaces)}}}}}};
  std::string members = format_members(inventory.members);
  if (members.size() <= k_members_annotation_limit) {
    object["metadata"]["annotations"][k_members_annotation] = std::move(members);
  } else {
    // Server-side apply of the parent then also drops an uncompressed list an older release
    // wrote under k_members_data_key, as this field manager no longer sends it.
    object[parent.kind == ParentKind::config_map ? "binaryData" : "data"] = {
        {k_members_compressed_key, kube::base64_encode(deflate_text(members))}};
  }
  return object;
}

std::string format_members(const Members& members) {
  // The entries are written into one buffer and sorted as views: 100,000 members were 100,000
  // separate strings, held at once beside everything a sync keeps before its first write.
  std::string buffer;
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // (offset, length) in `buffer`
  for (const auto& [key, api_version] : members) {
    const std::size_t start = buffer.size();
    buffer.append(GroupKind{key.group, key.kind}.str()).append("/").append(version_of(api_version));
    buffer.append("/").append(key.namespace_name).append("/").append(key.name);
    spans.emplace_back(start, buffer.size() - start);
  }
  std::vector<std::string_view> entries;
  entries.reserve(spans.size());
  for (const auto& [offset, length] : spans) entries.emplace_back(buffer.data() + offset, length);
  std::sort(entries.begin(), entries.end());
  return join(entries);
}

Members parse_members(const std::string& text) {
  std::map<ResourceKey, std::string> members;
  for (const auto& entry : split(text, ',')) {
    if (entry.find(k_sep) != std::string::npos) continue;  // no name holds it: not ours
    auto parts = split(entry, '/');
    if (parts.size() != 4 || parts[0].empty() || parts[1].empty() || parts[3].empty()) continue;
    GroupKind gk = parse_group_kind(parts[0]);
    members[ResourceKey{gk.group, gk.kind, parts[2], parts[3]}] =
        gk.group.empty() ? parts[1] : gk.group + "/" + parts[1];
  }
  return Members(members);
}

Result<void> label_members(Plan& plan, const std::string& id) {
  for (auto& step : plan.steps) {
    for (auto& planned : step.resources) {
      if (planned.hook) continue;
      nlohmann::json object = planned.resource.object();
      auto& labels = object["metadata"]["labels"];
      if (labels.is_null()) labels = nlohmann::json::object();
      auto it = labels.find(k_part_of_label);
      if (it != labels.end() && !(it->is_string() && it->get<std::string>() == id)) {
        return make_error(planned.resource.source.str() + ": label " + k_part_of_label + " is set to " +
                          it->dump() + "; wavesync sets it to the ApplySet's id " + id +
                          ", remove it from the manifest");
      }
      labels[k_part_of_label] = id;
      planned.resource.set_object(object);
    }
  }
  return {};
}

std::string part_of(const nlohmann::json& object) {
  const std::string* value = string_field(object, "labels", k_part_of_label);
  return value == nullptr ? std::string() : *value;
}

}  // namespace wavesync::applyset
