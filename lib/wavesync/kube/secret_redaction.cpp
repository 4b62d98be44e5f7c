#include "wavesync/kube/secret_redaction.hpp"

#include "wavesync/kube/base64.hpp"
#include "wavesync/kube/server_json.hpp"

#include <algorithm>
#include <vector>

namespace wavesync::kube {
namespace {

void replace_all(std::string& text, const std::string& what) {
  if (what.empty()) return;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 3)) {
    text.replace(at, what.size(), "***");
  }
}

// `Value:...}` as sigs.k8s.io/structured-merge-diff prints a value with %#v.
void redact_value_dumps(std::string& text) {
  static const std::string k_marker = "Value:";
  for (auto at = text.find(k_marker); at != std::string::npos; at = text.find(k_marker, at + 1)) {
    const auto start = at + k_marker.size();
    const auto end = text.find('}', start);
    text.replace(start, (end == std::string::npos ? text.size() : end) - start, "***");
  }
}

}  // namespace

std::string redact_secret_values(std::string text, const nlohmann::json& object) {
  if (string_at(object, {"kind"}) != "Secret" || string_at(object, {"apiVersion"}) != "v1") return text;
  std::vector<std::string> values;
  for (const char* field : {"data", "stringData"}) {
    const auto* map = object_at(object, {field});
    if (map == nullptr) continue;
    for (const auto& v : *map) {
      const std::string written = v.is_string() ? v.get<std::string>() : v.dump();
      values.push_back(written);
      values.push_back(v.dump());  // as JSON, quotes and escapes included
      values.push_back(base64_encode(written));
      if (std::string(field) == "data") {
        if (auto decoded = base64_decode(written)) values.push_back(*decoded);
      }
    }
  }
  // Longest first, so a value inside another is not left half-replaced.
  std::sort(values.begin(), values.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  // Values shorter than 4 characters would turn every `1` or `ok` of the message into `***`;
  // the server quotes values only in value dumps, which are redacted whatever their length.
  for (const auto& v : values) {
    if (v.size() >= 4) replace_all(text, v);
  }
  redact_value_dumps(text);
  return text;
}

}  // namespace wavesync::kube
