#include "wavesync/output/object_diff.hpp"

#include "wavesync/output/unified_diff.hpp"

#include <cctype>

namespace wavesync::output {

using nlohmann::json;

json strip_server_fields(json object) {
  if (!object.is_object()) return object;
  object.erase("status");
  if (object.contains("metadata") && object["metadata"].is_object()) {
    json& m = object["metadata"];
    for (const char* field : {"managedFields", "resourceVersion", "generation", "uid", "creationTimestamp", "selfLink"})
      m.erase(field);
    if (m.contains("annotations") && m["annotations"].is_object()) {
      // kubectl's copy of the whole last applied object: noise, and for a Secret its data.
      m["annotations"].erase("kubectl.kubernetes.io/last-applied-configuration");
      if (m["annotations"].empty()) m.erase("annotations");
    }
  }
  return object;
}

namespace {

bool is_secret(const std::optional<json>& o) {
  return o && o->is_object() && o->value("kind", "") == "Secret" && o->value("apiVersion", "") == "v1";
}

// The decoded-equivalent value of key `k` in a Secret: stringData wins over data as the API
// server merges them.
const json* secret_value(const std::optional<json>& o, const std::string& field, const std::string& k) {
  if (!o || !o->contains(field) || !(*o)[field].is_object() || !(*o)[field].contains(k)) return nullptr;
  return &(*o)[field][k];
}

void redact_field(std::optional<json>& mine, const std::optional<json>& other, const std::string& field,
                  const char* changed_marker) {
  if (!mine || !mine->contains(field) || !(*mine)[field].is_object()) {
    if (mine && mine->contains(field)) (*mine)[field] = k_redacted;
    return;
  }
  for (auto it = (*mine)[field].begin(); it != (*mine)[field].end(); ++it) {
    const json* theirs = secret_value(other, field, it.key());
    const bool same = theirs != nullptr && *theirs == it.value();
    it.value() = same || theirs == nullptr ? k_redacted : changed_marker;
  }
}

}  // namespace

void redact_secrets(std::optional<json>& live, std::optional<json>& desired) {
  if (!is_secret(live) && !is_secret(desired)) return;
  // Compare before rewriting: both sides are judged on their original values.
  std::optional<json> live_copy = live;
  std::optional<json> desired_copy = desired;
  for (const char* field : {"data", "stringData"}) {
    redact_field(live, desired_copy, field, k_redacted_before);
    redact_field(desired, live_copy, field, k_redacted_after);
  }
}

namespace {

bool plain_safe(const std::string& s) {
  if (s.empty()) return false;
  static const char* k_words[] = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n",
                                  "True", "False", "Yes", "No", "On", "Off", "Null", "TRUE", "FALSE", "NULL"};
  for (const char* w : k_words)
    if (s == w) return false;
  const unsigned char first = static_cast<unsigned char>(s[0]);
  if (std::isdigit(first) != 0 || first == '-' || first == '.' || first == '+') return false;
  if (std::string_view("!&*{}[]|>'\"%@`#,?:").find(s[0]) != std::string_view::npos) return false;
  if (std::isspace(first) != 0 || std::isspace(static_cast<unsigned char>(s.back())) != 0) return false;
  for (char c : s) {
    if (c == '\n' || c == '\t' || static_cast<unsigned char>(c) < 0x20) return false;
  }
  if (s.find(": ") != std::string::npos || s.find(" #") != std::string::npos || s.back() == ':') return false;
  return true;
}

std::string scalar(const json& v) {
  if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    return plain_safe(s) ? s : json(s).dump(-1, ' ', false, json::error_handler_t::replace);
  }
  return v.dump(-1, ' ', false, json::error_handler_t::replace);
}

void emit(const json& v, const std::string& indent, std::string& out);

void emit_value_after_key(const json& v, const std::string& indent, std::string& out) {
  if ((v.is_object() || v.is_array()) && !v.empty()) {
    out += "\n";
    emit(v, v.is_object() ? indent + "  " : indent, out);
  } else if (v.is_object()) {
    out += " {}\n";
  } else if (v.is_array()) {
    out += " []\n";
  } else {
    out += " " + scalar(v) + "\n";
  }
}

void emit(const json& v, const std::string& indent, std::string& out) {
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      out += indent + scalar(json(it.key())) + ":";
      emit_value_after_key(it.value(), indent, out);
    }
  } else if (v.is_array()) {
    for (const json& item : v) {
      if (item.is_object() && !item.empty()) {
        // `- first: x` then the other keys aligned under it.
        std::string nested;
        emit(item, indent + "  ", nested);
        out += indent + "- " + nested.substr(indent.size() + 2);
      } else if (item.is_array() && !item.empty()) {
        out += indent + "-\n";
        emit(item, indent + "  ", out);
      } else {
        out += indent + "- " + (item.is_object() ? "{}" : item.is_array() ? "[]" : scalar(item)) + "\n";
      }
    }
  } else {
    out += indent + scalar(v) + "\n";
  }
}

}  // namespace

std::string to_yaml(const json& value) {
  std::string out;
  emit(value, "", out);
  return out;
}

std::string object_diff(std::optional<json> live, std::optional<json> desired, const std::string& label) {
  if (live) live = strip_server_fields(std::move(*live));
  if (desired) desired = strip_server_fields(std::move(*desired));
  redact_secrets(live, desired);
  const auto before = live ? split_lines(to_yaml(*live)) : std::vector<std::string>{};
  const auto after = desired ? split_lines(to_yaml(*desired)) : std::vector<std::string>{};
  return unified_diff(before, after, live ? "live/" + label : "/dev/null", desired ? "desired/" + label : "/dev/null");
}

}  // namespace wavesync::output
