// `wavesync delete --dry-run`'s listing (output/delete_plan_text): reverse plan order, kept
// objects, and the deletion hooks around it.
#include "output/output_fixture.hpp"
#include "wavesync/output/delete_plan_text.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::test;

TEST_CASE("the dry-run listing goes in reverse plan order, with hooks left by syncs and protected objects kept",
          "[output]") {
  Cluster c;
  PlannedResource keep = resource(config_map("shop", "kept"), 2);
  {
    json object = keep.resource.object();
    object["metadata"]["annotations"] = {{"helm.sh/resource-policy", "keep"}};
    keep.resource.set_object(object);
  }
  PlannedResource no_delete = resource(config_map("shop", "stays"), 2, {{"Delete", "false"}});
  Plan plan = plan_of({resource(c.ns("shop"), -1), hook(job("shop", "migrate"), Phase::pre_sync),
                       resource(deployment("shop", "web"), 1), resource(config_map("shop", "a"), 2), keep,
                       no_delete});
  plan.unapplied.push_back(annotated_manifest(job("shop", "backup"), "argocd.argoproj.io/hook", "PreDelete", 1));
  CHECK(output::format_delete_plan(engine::plan_delete(plan, CrdDeletion::keep)) ==
        "PreDelete hooks\n"
        "  would create batch/v1 Job shop/backup (manifests/hooks.yaml:1)\n"
        "Sync wave 2\n"
        "  would delete v1 ConfigMap shop/a (manifests/app.yaml:1)\n"
        "  keep v1 ConfigMap shop/stays (Delete=false)\n"
        "  keep v1 ConfigMap shop/kept (helm.sh/resource-policy: keep)\n"
        "Sync wave 1\n"
        "  would delete apps/v1 Deployment shop/web (manifests/app.yaml:1)\n"
        "Sync wave -1\n"
        "  would delete v1 Namespace shop (manifests/app.yaml:1)\n"
        "PreSync wave 0\n"
        "  would delete batch/v1 Job shop/migrate (manifests/app.yaml:1)\n"
        "4 objects would be deleted (dry run)\n");
}
