// Sync options that decide how an object is written, validated, pruned and deleted (Argo CD's
// applyObject, objRequiresPruneConfirmation and shouldBeDeleted).
#include "plan/plan_test_util.hpp"

#include "wavesync/plan/object_policy.hpp"

using namespace wavesync;
using namespace wavesync::testing;

namespace {

SyncOptions options_of(const std::string& annotation) {
  Resource r = bare({{"apiVersion", "v1"},
                     {"kind", "ConfigMap"},
                     {"metadata", {{"name", "c"}, {"annotations", {{"argocd.argoproj.io/sync-options", annotation}}}}}});
  std::vector<std::string> warnings;
  return parse_sync_options(r, warnings);
}

PlannedResource planned(const std::string& yaml) {
  Plan plan = plan_of(resources_from(yaml));
  REQUIRE(plan.steps.size() == 1);
  REQUIRE(plan.steps[0].resources.size() == 1);
  return plan.steps[0].resources[0];
}

}  // namespace

TEST_CASE("Replace and Force choose the write mode", "[plan][policy]") {
  CHECK(write_mode(options_of("")) == WriteMode::apply);
  CHECK(write_mode(options_of("Force=true")) == WriteMode::force);
  CHECK(write_mode(options_of("Replace=true")) == WriteMode::replace);
  CHECK(write_mode(options_of("Replace=true,Force=true")) == WriteMode::replace_force);
  CHECK(write_mode(options_of("Force=true, Replace=true")) == WriteMode::replace_force);
  CHECK(write_mode(options_of("Replace=false")) == WriteMode::apply);
}

TEST_CASE("Replace=true replaces an existing object in place and creates a missing one", "[plan][policy]") {
  CHECK(write_request(WriteMode::replace, "apps/v1", "Deployment", true) == WriteRequest::update);
  CHECK(write_request(WriteMode::replace, "v1", "PersistentVolumeClaim", true) == WriteRequest::update);
  CHECK(write_request(WriteMode::replace, "apps/v1", "Deployment", false) == WriteRequest::create);
  CHECK(write_request(WriteMode::replace_force, "apps/v1", "Deployment", false) == WriteRequest::create);
}

TEST_CASE("only Replace=true,Force=true deletes and recreates, and never a CRD or a Namespace", "[plan][policy]") {
  CHECK(write_request(WriteMode::replace_force, "apps/v1", "Deployment", true) == WriteRequest::delete_and_create);
  CHECK(write_request(WriteMode::replace_force, "apiextensions.k8s.io/v1", "CustomResourceDefinition", true) ==
        WriteRequest::update);
  CHECK(write_request(WriteMode::replace_force, "v1", "Namespace", true) == WriteRequest::update);
  CHECK(write_request(WriteMode::replace, "v1", "Namespace", true) == WriteRequest::update);
  // A custom kind that happens to be called Namespace is not the core Namespace.
  CHECK(write_request(WriteMode::replace_force, "example.com/v1", "Namespace", true) ==
        WriteRequest::delete_and_create);
}

TEST_CASE("without Replace every write is a server-side apply", "[plan][policy]") {
  for (bool exists : {true, false}) {
    CHECK(write_request(WriteMode::apply, "v1", "ConfigMap", exists) == WriteRequest::server_side_apply);
    CHECK(write_request(WriteMode::force, "v1", "ConfigMap", exists) == WriteRequest::server_side_apply);
  }
}

TEST_CASE("Force=true recreates after a 422 rejection, never after a 409 conflict", "[plan][policy]") {
  CHECK(recreate_after_rejection(WriteMode::force, 422));
  CHECK_FALSE(recreate_after_rejection(WriteMode::force, 409));
  CHECK_FALSE(recreate_after_rejection(WriteMode::force, 500));
  CHECK_FALSE(recreate_after_rejection(WriteMode::apply, 422));
  CHECK_FALSE(recreate_after_rejection(WriteMode::replace_force, 422));
}

TEST_CASE("Validate=false turns the server's field validation off for that object", "[plan][policy]") {
  CHECK_FALSE(skips_field_validation(options_of("")));
  CHECK(skips_field_validation(options_of("Validate=false")));
  CHECK_FALSE(skips_field_validation(options_of("Validate=true")));
}

TEST_CASE("SkipDryRunOnMissingResource=true and Prune=confirm are read", "[plan][policy]") {
  CHECK(skip_dry_run_on_missing_resource(options_of("SkipDryRunOnMissingResource=true")));
  CHECK_FALSE(skip_dry_run_on_missing_resource(options_of("Prune=false")));
  CHECK(prune_needs_confirmation(options_of("Prune=confirm")));
  CHECK(prune_needs_confirmation(options_of("PruneLast=true,Prune=confirm")));
  CHECK_FALSE(prune_needs_confirmation(options_of("Prune=false")));
  CHECK_FALSE(prune_needs_confirmation(options_of("")));
}

TEST_CASE("delete keeps CRDs unless asked, and holds Delete=confirm objects", "[plan][policy]") {
  const PlannedResource crd = planned(R"(
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
)");
  CHECK(delete_verdict(crd, CrdDeletion::keep).decision == DeleteDecision::keep);
  CHECK(delete_verdict(crd, CrdDeletion::keep).reason ==
        "a CRD, kept with every custom resource of its kind; --include-crds deletes it");
  CHECK(delete_verdict(crd, CrdDeletion::include).decision == DeleteDecision::remove);

  const PlannedResource confirm = planned(R"(
apiVersion: v1
kind: ConfigMap
metadata:
  name: data
  annotations:
    argocd.argoproj.io/sync-options: Delete=confirm
)");
  CHECK(delete_verdict(confirm, CrdDeletion::keep).decision == DeleteDecision::confirm);
  CHECK(delete_verdict(confirm, CrdDeletion::keep).reason == "Delete=confirm");

  const PlannedResource kept = planned(R"(
apiVersion: v1
kind: ConfigMap
metadata:
  name: data
  annotations:
    helm.sh/resource-policy: keep
)");
  CHECK(delete_verdict(kept, CrdDeletion::include).reason == "helm.sh/resource-policy: keep");

  const PlannedResource plain = planned(R"(
apiVersion: v1
kind: ConfigMap
metadata:
  name: data
)");
  CHECK(delete_verdict(plain, CrdDeletion::keep).decision == DeleteDecision::remove);
}
