#include "wavesync/plan/plan.hpp"

#include <limits>
#include <optional>

namespace wavesync {
namespace {

constexpr const char* k_annotation_sync_wave = "argocd.argoproj.io/sync-wave";
constexpr const char* k_annotation_helm_hook_weight = "helm.sh/hook-weight";

// Go's strconv.Atoi on a 64-bit platform: an optional sign, then decimal digits, nothing else
// (not even blanks), within int64.
std::optional<Wave> atoi_like_go(const std::string& text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  if (i == text.size()) return std::nullopt;
  // Accumulate as a negative number: int64's range has one more value below zero.
  constexpr Wave k_min = std::numeric_limits<Wave>::min();
  Wave value = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    const int digit = c - '0';
    if (value < (k_min + digit) / 10) return std::nullopt;
    value = value * 10 - digit;
  }
  if (negative) return value;
  if (value == k_min) return std::nullopt;
  return -value;
}

}  // namespace

Wave read_wave(const Resource& resource, std::vector<std::string>& warnings) {
  // Argo CD (syncwaves.Wave) falls back to the Helm weight when the sync-wave annotation is
  // missing or does not parse, and to 0 after that; it never reports the bad value.
  std::optional<Wave> wave;
  std::vector<std::pair<const char*, std::string>> invalid;
  for (const char* annotation : {k_annotation_sync_wave, k_annotation_helm_hook_weight}) {
    const std::string* text = resource.annotation(annotation);
    if (text == nullptr) continue;
    wave = atoi_like_go(*text);
    if (wave) break;
    invalid.emplace_back(annotation, *text);
  }
  Wave result = wave.value_or(0);
  for (const auto& [annotation, text] : invalid) {
    warnings.push_back(resource.annotation_source(annotation).file_line() + ": invalid " + annotation + " \"" +
                       text + "\": expected an integer such as \"-1\" or \"5\"; treated as missing (wave " +
                       std::to_string(result) + ")");
  }
  return result;
}

}  // namespace wavesync
