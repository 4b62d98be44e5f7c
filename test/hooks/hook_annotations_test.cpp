// Hook annotations read as Argo CD reads them (gitops-engine pkg/sync/hook/hook.go Types,
// pkg/sync/hook/helm; the parsing cases of hook/hook_test.go and sync_phase_test.go).
#include "wavesync/hooks/hook_annotations.hpp"
#include "wavesync/hooks/hook_names.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;

namespace {

Resource with_annotations(nlohmann::json annotations) {
  Resource r;
  r.set_object(nlohmann::json{{"apiVersion", "batch/v1"}, {"kind", "Job"}, {"metadata", {{"name", "job"}, {"annotations", annotations}}}});
  r.source = SourceLocation{"hooks.yaml", 3, 1};
  r.set_annotation_position("argocd.argoproj.io/hook", 7, 5);
  return r;
}

std::vector<Phase> phases(const nlohmann::json& annotations) {
  HookReading reading = read_hook(with_annotations(annotations));
  REQUIRE(reading.hook.has_value());
  return reading.hook->phases;
}

}  // namespace

TEST_CASE("an object without hook annotations is an ordinary resource", "[hooks]") {
  HookReading reading = read_hook(with_annotations(nlohmann::json::object()));
  CHECK_FALSE(reading.hook.has_value());
  CHECK(reading.warnings.empty());
}

TEST_CASE("Skip alone is a hook that is never applied (hook_test Skip)", "[hooks]") {
  HookReading reading = read_hook(with_annotations({{"argocd.argoproj.io/hook", "Skip"}}));
  REQUIRE(reading.hook.has_value());
  CHECK(reading.hook->skip);
  CHECK(reading.hook->phases.empty());
  CHECK(reading.warnings.empty());
}

TEST_CASE("Skip with a phase is a hook of that phase (hook_test Skip,PreSync,PostSync)", "[hooks]") {
  CHECK(phases({{"argocd.argoproj.io/hook", "Skip,PreSync,PostSync"}}) ==
        std::vector<Phase>{Phase::pre_sync, Phase::post_sync});
}

TEST_CASE("a comma list gives one phase each, trimmed and de-duplicated (PreSync,PostSync and Sync,Sync)", "[hooks]") {
  CHECK(phases({{"argocd.argoproj.io/hook", "PreSync,PostSync"}}) == std::vector<Phase>{Phase::pre_sync, Phase::post_sync});
  CHECK(phases({{"argocd.argoproj.io/hook", "Sync, Sync"}}) == std::vector<Phase>{Phase::sync});
  CHECK(phases({{"argocd.argoproj.io/hook", " PostSync ,SyncFail,PreSync"}}) ==
        std::vector<Phase>{Phase::pre_sync, Phase::post_sync, Phase::sync_fail});
}

TEST_CASE("an unknown hook type is dropped with a warning and the hook is never applied (Garbage)", "[hooks]") {
  HookReading reading = read_hook(with_annotations({{"argocd.argoproj.io/hook", "Garbage"}}));
  REQUIRE(reading.hook.has_value());
  CHECK(reading.hook->phases.empty());
  CHECK(reading.warnings == std::vector<std::string>{
                                "hooks.yaml:7: unknown hook type \"Garbage\" ignored: expected PreSync, Sync, PostSync, "
                                "SyncFail or Skip",
                                "hooks.yaml:7: Job job has no usable hook type and will not be applied"});
}

TEST_CASE("PreDelete and PostDelete are not sync phases and are not planned, silently", "[hooks]") {
  HookReading reading = read_hook(with_annotations({{"argocd.argoproj.io/hook", "PreDelete"}}));
  REQUIRE(reading.hook.has_value());
  CHECK(reading.hook->phases.empty());
  CHECK(reading.warnings.empty());
  CHECK(phases({{"argocd.argoproj.io/hook", "PostDelete,PostSync"}}) == std::vector<Phase>{Phase::post_sync});
}

TEST_CASE("Helm pre-install and pre-upgrade give one PreSync phase", "[hooks]") {
  CHECK(phases({{"helm.sh/hook", "pre-install"}}) == std::vector<Phase>{Phase::pre_sync});
  CHECK(phases({{"helm.sh/hook", "pre-install,pre-upgrade"}}) == std::vector<Phase>{Phase::pre_sync});
  CHECK(phases({{"helm.sh/hook", "post-install,post-upgrade"}}) == std::vector<Phase>{Phase::post_sync});
}

TEST_CASE("Helm crd-install alone is an ordinary resource", "[hooks]") {
  CHECK_FALSE(read_hook(with_annotations({{"helm.sh/hook", "crd-install"}})).hook.has_value());
  CHECK_FALSE(has_hook_annotation(with_annotations({{"helm.sh/hook", "crd-install"}})));
}

TEST_CASE("Helm hook types that sync does not run are dropped without a warning", "[hooks]") {
  HookReading reading = read_hook(with_annotations({{"helm.sh/hook", "test,pre-delete"}}));
  REQUIRE(reading.hook.has_value());
  CHECK(reading.hook->phases.empty());
  CHECK(reading.warnings.empty());
}

TEST_CASE("an unknown Helm hook type gets a warning", "[hooks]") {
  HookReading reading = read_hook(with_annotations({{"helm.sh/hook", "pre-instal"}}));
  CHECK(reading.warnings.at(0) ==
        "hooks.yaml:3: unknown Helm hook type \"pre-instal\" ignored: expected pre-install, pre-upgrade, post-install "
        "or post-upgrade");
}

TEST_CASE("an Argo CD hook type overrides the Helm hook types", "[hooks]") {
  CHECK(phases({{"argocd.argoproj.io/hook", "PostSync"}, {"helm.sh/hook", "pre-install"}}) ==
        std::vector<Phase>{Phase::post_sync});
}

TEST_CASE("Helm types still count when the Argo CD annotation has no valid type", "[hooks]") {
  HookReading reading = read_hook(with_annotations({{"argocd.argoproj.io/hook", "Bogus"}, {"helm.sh/hook", "pre-install"}}));
  REQUIRE(reading.hook.has_value());
  CHECK(reading.hook->phases == std::vector<Phase>{Phase::pre_sync});
}

TEST_CASE("the delete policy defaults to BeforeHookCreation", "[hooks]") {
  HookReading reading = read_hook(with_annotations({{"argocd.argoproj.io/hook", "PreSync"}}));
  CHECK(reading.hook->delete_policies == std::vector<DeletePolicy>{DeletePolicy::before_hook_creation});
}

TEST_CASE("delete policies are the union of the Argo CD and Helm annotations", "[hooks]") {
  HookReading reading = read_hook(with_annotations({{"argocd.argoproj.io/hook", "PreSync"},
                                                    {"argocd.argoproj.io/hook-delete-policy", "HookSucceeded"},
                                                    {"helm.sh/hook-delete-policy", "hook-failed,before-hook-creation"}}));
  CHECK(reading.hook->delete_policies == std::vector<DeletePolicy>{DeletePolicy::before_hook_creation,
                                                                   DeletePolicy::hook_succeeded, DeletePolicy::hook_failed});
  CHECK(reading.hook->has_policy(DeletePolicy::hook_failed));
}

TEST_CASE("an unknown delete policy is ignored with a warning and the default applies", "[hooks]") {
  HookReading reading = read_hook(with_annotations({{"argocd.argoproj.io/hook", "PreSync"},
                                                    {"argocd.argoproj.io/hook-delete-policy", "Never"}}));
  CHECK(reading.hook->delete_policies == std::vector<DeletePolicy>{DeletePolicy::before_hook_creation});
  CHECK(reading.warnings == std::vector<std::string>{"hooks.yaml:3: unknown hook delete policy \"Never\" ignored: expected "
                                                     "BeforeHookCreation, HookSucceeded or HookFailed"});
}

TEST_CASE("annotation lists split on commas, trim blanks and drop repeats", "[hooks]") {
  CHECK(split_annotation_list(" a, b ,,a,c ") == std::vector<std::string>{"a", "b", "c"});
  CHECK(split_annotation_list("").empty());
}

TEST_CASE("generated hook names follow Argo CD's pattern", "[hooks]") {
  CHECK(generated_hook_name("migrate-", "1A2B3C4D5E", Phase::pre_sync, 1767268800) ==
        "migrate-1a2b3c4-presync-1767268800");
  CHECK(generated_hook_name("smoke-", "AbC", Phase::sync_fail, 5) == "smoke-abc-syncfail-5");
  CHECK(generated_hook_name("x-", "12345678", Phase::post_sync, 0) == "x-1234567-postsync-0");
}

TEST_CASE("the run id is a stable hash of the manifests", "[hooks]") {
  auto config_map = [](const std::string& name) {
    Resource r;
    r.set_object(nlohmann::json{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}});
    return r;
  };
  CHECK(run_id({config_map("a")}) == run_id({config_map("a")}));
  CHECK(run_id({config_map("a")}) != run_id({config_map("b")}));
  CHECK(run_id({config_map("a"), config_map("b")}) != run_id({config_map("b"), config_map("a")}));
  CHECK(run_id({config_map("a")}).size() == 16);
}

TEST_CASE("PreDelete and PostDelete hooks are read from Argo CD and Helm annotations as Argo CD maps them", "[hooks]") {
  auto types = [](nlohmann::json annotations) { return read_delete_hook(with_annotations(std::move(annotations))); };
  CHECK(types({{"argocd.argoproj.io/hook", "PreDelete"}}).pre_delete);
  CHECK_FALSE(types({{"argocd.argoproj.io/hook", "PreDelete"}}).post_delete);
  CHECK(types({{"argocd.argoproj.io/hook", "PostDelete"}}).post_delete);
  CHECK(types({{"helm.sh/hook", "pre-delete"}}).pre_delete);
  CHECK(types({{"helm.sh/hook", "post-install, post-delete"}}).post_delete);
  // Unlike sync hooks, an Argo CD type does not hide the Helm ones here (controller/hook.go).
  auto both = types({{"argocd.argoproj.io/hook", "PreDelete"}, {"helm.sh/hook", "post-delete"}});
  CHECK(both.pre_delete);
  CHECK(both.post_delete);
  CHECK_FALSE(types({{"argocd.argoproj.io/hook", "PreSync"}}).any());
  CHECK_FALSE(types({{"argocd.argoproj.io/hook", "predelete"}}).any());
  CHECK_FALSE(types(nlohmann::json::object()).any());
}

TEST_CASE("a PreDelete hook is not applied by a sync and gives no warning", "[hooks]") {
  HookReading reading = read_hook(with_annotations({{"argocd.argoproj.io/hook", "PreDelete"}}));
  REQUIRE(reading.hook.has_value());
  CHECK(reading.hook->phases.empty());
  CHECK(reading.warnings.empty());
  HookReading helm = read_hook(with_annotations({{"helm.sh/hook", "post-delete"}}));
  REQUIRE(helm.hook.has_value());
  CHECK(helm.hook->phases.empty());
  CHECK(helm.warnings.empty());
}
