// Reads the name of a missing Secret or ConfigMap out of kubelet messages. The texts come from the
// kubelet: its Secret/ConfigMap managers return API NotFound errors (`secret "x" not found`), and
// env var resolution reports `couldn't find key K in Secret ns/name`.
#include "wavesync/health/diagnostics.hpp"

#include <array>

namespace wavesync::health {

namespace {

struct Spelling {
  std::string_view prefix;  // as it appears before the quoted name
  std::string_view kind;
};

constexpr std::array<Spelling, 4> k_not_found = {{
    {"secret \"", "Secret"},
    {"secrets \"", "Secret"},
    {"configmap \"", "ConfigMap"},
    {"configmaps \"", "ConfigMap"},
}};

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.';
}

// `<spelling>NAME" not found` anywhere in the message, with the spelling starting a word.
std::optional<MissingReference> not_found(std::string_view message, std::string_view ns) {
  for (const Spelling& s : k_not_found) {
    for (std::size_t at = message.find(s.prefix); at != std::string_view::npos;
         at = message.find(s.prefix, at + 1)) {
      if (at > 0 && is_word_char(message[at - 1])) continue;
      std::size_t start = at + s.prefix.size();
      std::size_t end = message.find('"', start);
      if (end == std::string_view::npos || end == start) continue;
      if (message.substr(end + 1).substr(0, 10) != " not found") continue;
      return MissingReference{std::string(s.kind), std::string(ns),
                              std::string(message.substr(start, end - start)), ""};
    }
  }
  return std::nullopt;
}

// `couldn't find key KEY in Secret NS/NAME` (or ConfigMap).
std::optional<MissingReference> missing_key(std::string_view message, std::string_view ns) {
  constexpr std::string_view k_lead = "couldn't find key ";
  std::size_t at = message.find(k_lead);
  if (at == std::string_view::npos) return std::nullopt;
  std::string_view rest = message.substr(at + k_lead.size());
  std::size_t space = rest.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  std::string_view key = rest.substr(0, space);
  rest = rest.substr(space);
  std::string_view kind;
  for (std::string_view k : {std::string_view("Secret"), std::string_view("ConfigMap")}) {
    std::string in = " in " + std::string(k) + " ";
    if (rest.starts_with(in)) {
      kind = k;
      rest = rest.substr(in.size());
      break;
    }
  }
  if (kind.empty()) return std::nullopt;
  std::size_t len = 0;
  while (len < rest.size() && (is_word_char(rest[len]) || rest[len] == '/')) ++len;
  std::string_view ref = rest.substr(0, len);
  // A trailing period would end a sentence, not a name.
  while (!ref.empty() && ref.back() == '.') ref.remove_suffix(1);
  if (ref.empty()) return std::nullopt;
  std::size_t slash = ref.find('/');
  MissingReference out{std::string(kind), std::string(ns), std::string(ref), std::string(key)};
  if (slash != std::string_view::npos) {
    out.namespace_name = std::string(ref.substr(0, slash));
    out.name = std::string(ref.substr(slash + 1));
  }
  if (out.name.empty()) return std::nullopt;
  return out;
}

}  // namespace

std::string MissingReference::str() const {
  std::string where = kind + " " + (namespace_name.empty() ? name : namespace_name + "/" + name);
  return key.empty() ? "missing " + where : "missing key " + key + " in " + where;
}

std::optional<MissingReference> parse_missing_reference(std::string_view message,
                                                        std::string_view pod_namespace) {
  if (auto found = missing_key(message, pod_namespace)) return found;
  return not_found(message, pod_namespace);
}

}  // namespace wavesync::health
