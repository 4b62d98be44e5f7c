#include "wavesync/engine/apply_outcome.hpp"

#include <ctime>
#include <regex>
#include <utility>
#include <vector>

namespace wavesync::engine {

namespace {

// Parses `YYYY-MM-DDTHH:MM:SSZ` (what the API server writes); nullopt otherwise.
std::optional<std::time_t> parse_time(const nlohmann::json& value) {
  if (!value.is_string()) return std::nullopt;
  std::tm tm{};
  const std::string text = value.get<std::string>();
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                  &tm.tm_min, &tm.tm_sec) != 6)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  return timegm(&tm);
}

}  // namespace

ApplyResult classify_apply(const nlohmann::json& live, TimePoint sync_start, const std::string& field_manager) {
  const std::time_t start = std::chrono::system_clock::to_time_t(sync_start);
  const nlohmann::json meta = live.value("metadata", nlohmann::json::object());
  if (auto created = parse_time(meta.value("creationTimestamp", nlohmann::json())); created && *created >= start)
    return ApplyResult::created;
  for (const auto& entry : meta.value("managedFields", nlohmann::json::array())) {
    if (entry.value("manager", "") != field_manager) continue;
    if (auto written = parse_time(entry.value("time", nlohmann::json())); written && *written >= start)
      return ApplyResult::configured;
  }
  return ApplyResult::unchanged;
}

std::optional<std::string> immutable_hint(const std::string& server_message) {
  if (server_message.find("field is immutable") == std::string::npos) return std::nullopt;
  // `Job.batch "x" is invalid: spec.template: Invalid value: ...: field is immutable`; several
  // causes come as `is invalid: [a: ..., b: ...]`. A field counts when the text up to the next
  // cause says it is immutable.
  static const std::regex cause(R"((?:is invalid: \[?|, )([a-zA-Z][\w.\[\]]*): (?:Invalid value|field is immutable))");
  std::vector<std::pair<std::string, std::size_t>> found;  // field, end of match
  std::vector<std::size_t> starts;
  for (auto it = std::sregex_iterator(server_message.begin(), server_message.end(), cause);
       it != std::sregex_iterator(); ++it) {
    found.emplace_back((*it)[1].str(), static_cast<std::size_t>(it->position(0) + it->length(0)));
    starts.push_back(static_cast<std::size_t>(it->position(0)));
  }
  std::string fields;
  for (std::size_t i = 0; i < found.size(); ++i) {
    std::size_t stop = i + 1 < found.size() ? starts[i + 1] : server_message.size();
    // The match itself may end in "field is immutable" (no Invalid value part).
    std::size_t from = starts[i];
    if (server_message.substr(from, stop - from).find("field is immutable") == std::string::npos) continue;
    if (!fields.empty()) fields += ", ";
    fields += found[i].first;
  }
  if (fields.empty()) fields = "a field";
  return fields + " is immutable; to recreate the object on change set "
                  "argocd.argoproj.io/sync-options: Force=true (or Replace=true,Force=true), or delete it first";
}

}  // namespace wavesync::engine
