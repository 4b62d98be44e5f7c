// Helpers for output tests: a small multi-step sync run on the fake cluster (engine fixture),
// and golden-file comparison (set WAVESYNC_UPDATE_GOLDEN=1 to rewrite the files).
#pragma once

#include "engine/engine_fixture.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace wavesync::test {

// Namespace (wave -1), a PreSync Job hook, a Deployment (wave 1, healthy after 5 s) and a
// ConfigMap (wave 2); sources name manifest lines so annotations can point at them.
// The namespace already exists (the PreSync hook runs before wave -1 re-applies it).
inline Plan small_plan(Cluster& c) {
  c.seed_namespace("shop");
  PlannedResource ns = resource(c.ns("shop"), -1);
  ns.resource.source = SourceLocation{"manifests/namespace.yaml", 1, 1};
  PlannedResource migrate = hook(job("shop", "migrate"), Phase::pre_sync, 0,
                                 {DeletePolicy::before_hook_creation, DeletePolicy::hook_succeeded});
  migrate.resource.source = SourceLocation{"manifests/migrate.yaml", 1, 1};
  PlannedResource web = resource(deployment("shop", "web"), 1);
  web.resource.source = SourceLocation{"manifests/web.yaml", 3, 1};
  PlannedResource settings = resource(config_map("shop", "settings"), 2);
  settings.resource.source = SourceLocation{"manifests/web.yaml", 30, 1};
  Plan plan = plan_of({ns, migrate, web, settings});
  plan.revision = "89e7543f6494e6da";  // the run id the goldens show (make_plan sets it from the manifests)
  return plan;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Compares `actual` with test/output/golden/<name>.
inline void check_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(WAVESYNC_SOURCE_DIR) + "/test/output/golden/" + name;
  if (std::getenv("WAVESYNC_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
  }
  CHECK(actual == read_text(path));
}

}  // namespace wavesync::test
