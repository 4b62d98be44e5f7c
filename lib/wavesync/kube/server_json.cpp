#include "wavesync/kube/server_json.hpp"

#include "wavesync/kube/cluster_text.hpp"

namespace wavesync::kube {
namespace {

// Nesting depth of `text`, counting brackets outside strings; stops early past `limit`.
bool within_depth(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return false;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

}  // namespace

std::optional<nlohmann::json> parse_json(std::string_view text, int max_depth) {
  if (!within_depth(text, max_depth)) return std::nullopt;
  auto j = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

std::optional<nlohmann::json> parse_server_json(std::string_view text) {
  auto j = parse_json(text);
  if (j) neutralize_strings(*j);
  return j;
}

}  // namespace wavesync::kube
