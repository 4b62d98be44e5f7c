#include "wavesync/engine/hook_names.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>

namespace wavesync::engine {

std::string run_id(const Plan& plan) {
  std::uint64_t hash = 14695981039346656037ULL;
  auto mix = [&](const std::string& text) {
    for (unsigned char c : text) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;  // separator, so ["ab","c"] and ["a","bc"] differ
    hash *= 1099511628211ULL;
  };
  for (const Step& step : plan.steps)
    for (const PlannedResource& r : step.resources) mix(r.resource.object.dump());
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

std::string generated_hook_name(const std::string& generate_name, const std::string& run_id,
                                Phase phase, TimePoint start) {
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(start.time_since_epoch()).count();
  std::string suffix = run_id.substr(0, 7) + "-" + std::string(phase_name(phase)) + "-" + std::to_string(seconds);
  for (char& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return generate_name + suffix;
}

}  // namespace wavesync::engine
