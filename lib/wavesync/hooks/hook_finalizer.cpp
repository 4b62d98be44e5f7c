#include "wavesync/hooks/hook_finalizer.hpp"

#include <string>

namespace wavesync {

std::optional<nlohmann::json> hook_finalizer_removal(const nlohmann::json& live) {
  if (!live.is_object()) return std::nullopt;
  const auto meta = live.find("metadata");
  if (meta == live.end() || !meta->is_object()) return std::nullopt;
  const auto finalizers = meta->find("finalizers");
  if (finalizers == meta->end() || !finalizers->is_array()) return std::nullopt;
  for (std::size_t i = 0; i < finalizers->size(); ++i) {
    const nlohmann::json& entry = (*finalizers)[i];
    if (!entry.is_string() || entry.get_ref<const std::string&>() != k_hook_finalizer) continue;
    const std::string path = "/metadata/finalizers/" + std::to_string(i);
    return nlohmann::json::array({{{"op", "test"}, {"path", path}, {"value", std::string(k_hook_finalizer)}},
                                  {{"op", "remove"}, {"path", path}}});
  }
  return std::nullopt;
}

}  // namespace wavesync
