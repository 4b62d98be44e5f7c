// Pure helpers of the engine: apply classification and immutable-field hints.
#include "wavesync/engine/apply_outcome.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using nlohmann::json;

TEST_CASE("an immutable-field rejection names every immutable field", "[engine]") {
  std::string msg = "Job.batch \"m\" is invalid: [spec.selector: Required value, spec.template: Invalid value: "
                    "core.PodTemplateSpec{...}: field is immutable]";
  CHECK(*engine::immutable_hint(msg) ==
        "spec.template is immutable; to recreate the object on change set argocd.argoproj.io/sync-options: "
        "Force=true (or Replace=true,Force=true), or delete it first");
  CHECK_FALSE(engine::immutable_hint("spec.replicas: Invalid value: -1").has_value());
}

TEST_CASE("an apply is classified from creation and managedFields times", "[engine]") {
  auto start = std::chrono::system_clock::time_point(std::chrono::seconds(1767268800));  // 2026-01-01T12:00:00Z
  json created{{"metadata", {{"creationTimestamp", "2026-01-01T12:00:00Z"}}}};
  json configured{{"metadata", {{"creationTimestamp", "2025-01-01T00:00:00Z"},
                                {"managedFields", json::array({{{"manager", "wavesync"}, {"time", "2026-01-01T12:00:03Z"}}})}}}};
  json unchanged{{"metadata", {{"creationTimestamp", "2025-01-01T00:00:00Z"},
                               {"managedFields", json::array({{{"manager", "wavesync"}, {"time", "2025-06-01T12:00:03Z"}}})}}}};
  CHECK(engine::classify_apply(created, start, "wavesync") == engine::ApplyResult::created);
  CHECK(engine::classify_apply(configured, start, "wavesync") == engine::ApplyResult::configured);
  CHECK(engine::classify_apply(unchanged, start, "wavesync") == engine::ApplyResult::unchanged);
}
