#include "wavesync/hooks/hook_names.hpp"

#include <cctype>
#include <cstdio>

namespace wavesync {

std::string run_id(const std::vector<Resource>& resources) {
  std::uint64_t hash = 14695981039346656037ULL;
  auto mix = [&](const std::string& text) {
    for (unsigned char c : text) {
      hash ^= c;
      hash *= 1099511628211ULL;
    }
    hash ^= 0xff;  // separator, so ["ab","c"] and ["a","bc"] differ
    hash *= 1099511628211ULL;
  };
  for (const Resource& r : resources) mix(r.json_text());
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

std::string generated_hook_name(const std::string& generate_name, const std::string& revision, Phase phase,
                                std::int64_t started_at_unix) {
  // Argo CD takes revision[0:7] only when the revision has 8 characters or more.
  const std::string short_revision = revision.size() >= 8 ? revision.substr(0, 7) : revision;
  std::string suffix = short_revision + "-" + std::string(phase_name(phase)) + "-" + std::to_string(started_at_unix);
  for (char& c : suffix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return generate_name + suffix;
}

}  // namespace wavesync
