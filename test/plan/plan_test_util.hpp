// Helpers for plan tests: resources from inline YAML or bare JSON, and a readable order.
#pragma once

#include "wavesync/manifest/loader.hpp"
#include "wavesync/plan/plan.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace wavesync::testing {

inline std::vector<Resource> resources_from(const std::string& yaml, const std::string& ns = "default") {
  manifest::LoadOptions options;
  options.default_namespace = ns;
  auto loaded = manifest::load_manifest_text(yaml, "app.yaml", options);
  if (!loaded.ok()) FAIL(loaded.error().message);
  return loaded->resources;
}

// A resource straight from JSON, for objects the loader would refuse (no kind, no name),
// as in Argo CD's own sort tests.
inline Resource bare(nlohmann::json object) {
  Resource r;
  r.set_object(object);
  r.source = SourceLocation{"bare.yaml", 1, 1};
  return r;
}

inline Plan plan_of(std::vector<Resource> resources, PlanOptions options = {}) {
  auto plan = make_plan(std::move(resources), options);
  if (!plan.ok()) FAIL(plan.error().message);
  return std::move(plan).value();
}

// "Phase/wave Kind name" for each planned resource, in apply order.
inline std::vector<std::string> order(const Plan& plan) {
  std::vector<std::string> out;
  for (const Step& step : plan.steps) {
    for (const PlannedResource& p : step.resources) {
      std::string name = p.resource.name().empty() ? p.resource.generate_name() : p.resource.name();
      out.push_back(std::string(phase_name(step.phase)) + "/" + std::to_string(step.wave) + " " +
                    p.resource.kind() + " " + name);
    }
  }
  return out;
}

}  // namespace wavesync::testing
