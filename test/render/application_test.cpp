// Reading an Argo CD Application into render requests and sync settings.
#include "wavesync/render/application.hpp"

#include "wavesync/manifest/loader.hpp"

#include "render/temp_tree.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::render;
using wavesync::test::TempTree;

namespace {

Result<Application> read(const std::string& yaml, const std::string& repo_root) {
  auto loaded = manifest::load_manifest_text(yaml, "app.yaml", {});
  REQUIRE(loaded);
  REQUIRE(loaded->resources.size() == 1);
  return read_application(loaded->resources.front(), repo_root);
}

std::string app_with(const std::string& spec) {
  return "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: shop\nspec:\n" + spec;
}

struct Repo {
  TempTree t;
  Repo() {
    t.write("apps/web/kustomization.yaml", "");
    t.write("charts/shop/Chart.yaml", "name: shop\n");
    t.write("charts/shop/values-prod.yaml", "");
    t.write("values/common.yaml", "");
    t.write("plain/a.yaml", "");
  }
};

}  // namespace

TEST_CASE("a kustomize source becomes a kustomize request with the Application's options", "[render][app]") {
  Repo repo;
  auto app = read(app_with(R"(
  source:
    repoURL: https://git.example/shop.git
    path: apps/web
    kustomize:
      namePrefix: prod-
      images: ["web=registry/web:${ARGOCD_APP_NAME}"]
      commonLabels: {team: shop}
      replicas: [{name: web, count: "3"}]
  destination: {server: https://kubernetes.default.svc, namespace: shop-prod}
)"), repo.t.str());
  REQUIRE(app);
  CHECK(app->name == "shop");
  CHECK(app->destination_namespace == "shop-prod");
  REQUIRE(app->sources.size() == 1);
  const RenderRequest& r = app->sources[0];
  CHECK(r.kind == SourceKind::kustomize);
  CHECK(r.path == repo.t / "apps/web");
  CHECK(r.repo_root == repo.t.str());
  CHECK(r.kustomize.name_prefix == "prod-");
  CHECK(r.kustomize.images == std::vector<std::string>{"web=registry/web:shop"});
  CHECK(r.kustomize.common_labels.at("team") == "shop");
  CHECK(r.kustomize.replicas == std::vector<std::pair<std::string, long long>>{{"web", 3}});
  CHECK(app->notes.empty());
}

TEST_CASE("a helm source: value files against the chart or the repository root, values, parameters", "[render][app]") {
  Repo repo;
  auto app = read(app_with(R"(
  source:
    repoURL: https://git.example/shop.git
    path: charts/shop
    targetRevision: v1.2.0
    helm:
      valueFiles: [values-prod.yaml, /values/common.yaml, missing.yaml]
      ignoreMissingValueFiles: true
      valuesObject: {replicas: 2}
      values: "ignored: true"
      parameters:
        - {name: image.tag, value: "1.2"}
        - {name: port, value: "80", forceString: true}
  destination: {namespace: shop}
  syncPolicy:
    automated: {prune: true, selfHeal: true}
    syncOptions: [CreateNamespace=true, PruneLast=true]
    retry: {limit: 2}
)"), repo.t.str());
  REQUIRE(app);
  const HelmOptions& h = app->sources[0].helm;
  CHECK(app->sources[0].kind == SourceKind::helm);
  CHECK(h.release_name == "shop");
  CHECK(h.namespace_name == "shop");
  CHECK(h.value_files == std::vector<std::string>{repo.t / "charts/shop/values-prod.yaml", repo.t / "values/common.yaml"});
  CHECK(h.values_yaml == R"({"replicas":2})");
  CHECK(h.set == std::vector<std::pair<std::string, std::string>>{{"image.tag", "1.2"}});
  CHECK(h.set_string == std::vector<std::pair<std::string, std::string>>{{"port", "80"}});
  CHECK(app->automated_prune);
  CHECK(app->sync_option("CreateNamespace") == "true");
  CHECK(app->sync_option("Replace") == std::nullopt);
  REQUIRE(app->retry);
  CHECK(app->retry->limit == 2);
  CHECK_FALSE(app->retry->backoff);
  CHECK(app->notes == std::vector<std::string>{
                          "spec.source.targetRevision v1.2.0: rendered from the checkout as it is (wavesync checks out no revision)",
                          "spec.syncPolicy.automated.selfHeal: wavesync syncs once; nothing watches for drift afterwards"});
}

TEST_CASE("syncPolicy.retry is read as Argo CD's RetryStrategy", "[render][app]") {
  Repo repo;
  auto retry = [&](const std::string& yaml) {
    return read(app_with("  source: {repoURL: https://git.example/shop.git, path: plain}\n"
                         "  syncPolicy:\n    retry: " + yaml + "\n"),
                repo.t.str());
  };
  auto app = retry("{limit: 3, backoff: {duration: \"10\", factor: 3, maxDuration: 1m30s}}");
  REQUIRE(app);
  REQUIRE(app->retry);
  CHECK(app->retry->limit == 3);
  // A bare number is seconds (parseStringToDuration), anything else a Go duration.
  CHECK(app->retry->backoff == std::chrono::milliseconds(10000));
  CHECK(app->retry->factor == 3);
  CHECK(app->retry->max_backoff == std::chrono::milliseconds(90000));
  auto unlimited = retry("{limit: -1}");
  REQUIRE(unlimited);
  CHECK(unlimited->retry->limit == -1);

  CHECK(retry("{limit: two}").error().message == "app.yaml:1: spec.syncPolicy.retry.limit: expected an integer");
  CHECK(retry("{limit: 1, backoff: {duration: soon}}").error().message.find(
            "app.yaml:1: spec.syncPolicy.retry.backoff.duration: invalid duration") == 0);
  CHECK(retry("{limit: 1, backoff: {factor: 0}}").error().message ==
        "app.yaml:1: spec.syncPolicy.retry.backoff.factor: expected a positive integer");
  CHECK(retry("[1]").error().message == "app.yaml:1: spec.syncPolicy.retry: expected an object");
}

TEST_CASE("managedNamespaceMetadata's labels and annotations are read as maps of strings", "[render][app]") {
  Repo repo;
  auto read_policy = [&](const std::string& yaml) {
    return read(app_with("  source: {repoURL: https://git.example/shop.git, path: plain}\n"
                         "  syncPolicy:\n    managedNamespaceMetadata: " + yaml + "\n"),
                repo.t.str());
  };
  auto app = read_policy("{labels: {team: shop}, annotations: {owner: platform}}");
  REQUIRE(app);
  CHECK(app->namespace_labels == std::map<std::string, std::string>{{"team", "shop"}});
  CHECK(app->namespace_annotations == std::map<std::string, std::string>{{"owner", "platform"}});
  CHECK(read_policy("{labels: {replicas: 3}}").error().message ==
        "app.yaml:1: spec.syncPolicy.managedNamespaceMetadata.labels.replicas: expected a string");
  CHECK(read_policy("{labels: [a]}").error().message ==
        "app.yaml:1: spec.syncPolicy.managedNamespaceMetadata.labels: expected a map of strings");
}

TEST_CASE("automated with enabled: false does not prune", "[render][app]") {
  Repo repo;
  auto app = read(app_with(R"(
  source: {repoURL: r, path: plain}
  syncPolicy: {automated: {prune: true, enabled: false}}
)"), repo.t.str());
  REQUIRE(app);
  CHECK_FALSE(app->automated_prune);
  CHECK(app->sources[0].kind == std::nullopt);
}

TEST_CASE("what cannot be rendered locally is one clear error each", "[render][app]") {
  Repo repo;
  auto error = [&](const std::string& spec, const std::string& root) {
    auto app = read(app_with(spec), root);
    REQUIRE_FALSE(app);
    CHECK(app.error().exit_code == 2);
    return app.error().message;
  };
  CHECK(error("  source: {repoURL: https://charts.example, chart: redis, targetRevision: 1.0.0}\n", repo.t.str()) ==
        "app.yaml:1: spec.source.chart redis: a chart from the Helm repository https://charts.example cannot be "
        "rendered from a local checkout: vendor the chart into the repository and use path");
  CHECK(error("  source: {repoURL: r, path: plain, plugin: {name: cmp}}\n", repo.t.str()) ==
        "app.yaml:1: spec.source.plugin: config management plugins are not supported: render the manifests yourself "
        "and pass them to wavesync");
  CHECK(error("  source: {repoURL: r, path: plain, directory: {jsonnet: {tlas: [{name: a, value: b}]}}}\n",
              repo.t.str()) ==
        "app.yaml:1: spec.source.directory.jsonnet: Jsonnet is not supported: render it to YAML and pass that to wavesync");
  CHECK(error("  source: {repoURL: https://git.example/shop.git, path: plain}\n", "") ==
        "app.yaml:1: spec.source.repoURL https://git.example/shop.git: no local checkout: the Application's file is "
        "not inside a git checkout: pass --repo DIR");
  CHECK(error("  sources:\n  - {repoURL: https://git.example/a.git, path: plain}\n"
              "  - {repoURL: https://git.example/b.git, path: apps/web}\n",
              repo.t.str()) ==
        "app.yaml:1: spec.sources[1].repoURL https://git.example/b.git: no local checkout: --repo " + repo.t.str() +
            " is the checkout of https://git.example/a.git");
  CHECK(error("  source: {repoURL: r, path: ../outside}\n", repo.t.str()) ==
        "app.yaml:1: spec.source.path ../outside: resolves outside the checkout " + repo.t.str());
  CHECK(error("  source: {repoURL: r, path: nowhere}\n", repo.t.str()) ==
        "app.yaml:1: spec.source.path nowhere: no such directory in the checkout " + repo.t.str());
  CHECK(error("  source: {repoURL: r, path: plain, helm: {}, kustomize: {}}\n", repo.t.str()) ==
        "app.yaml:1: spec.source: multiple application sources defined: Kustomize,Helm");
  CHECK(error("  source: {repoURL: r, path: charts/shop, helm: {valueFiles: [nope.yaml]}}\n", repo.t.str()) ==
        "app.yaml:1: spec.source.helm.valueFiles nope.yaml: no such file (" + repo.t / "charts/shop/nope.yaml" + ")");
  CHECK(error("  destination: {namespace: x}\n", repo.t.str()) ==
        "app.yaml:1: spec.source: missing: an Application needs spec.source or spec.sources");
  CHECK(error("  source: {repoURL: r, path: plain}\n  syncPolicy: {syncOptions: [CreateNamespace]}\n", repo.t.str()) ==
        "app.yaml:1: spec.syncPolicy.syncOptions \"CreateNamespace\": expected Name=value");
}

TEST_CASE("a file that is not an Application is rejected", "[render][app]") {
  auto app = read("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n", "/tmp");
  REQUIRE_FALSE(app);
  CHECK(app.error().message ==
        "app.yaml:1: expected an Argo CD Application (apiVersion argoproj.io/v1alpha1, kind Application), found v1 ConfigMap");
}

TEST_CASE("a ref-only source lends files and renders nothing; its $ref value files are refused", "[render][app]") {
  Repo repo;
  auto app = read(app_with(R"(
  sources:
    - {repoURL: https://git.example/shop.git, ref: values}
    - {repoURL: https://git.example/shop.git, path: plain}
)"), repo.t.str());
  REQUIRE(app);
  CHECK(app->sources.size() == 1);
  auto refused = read(app_with(R"(
  sources:
    - {repoURL: https://git.example/shop.git, ref: values}
    - {repoURL: https://git.example/shop.git, path: charts/shop, helm: {valueFiles: [$values/values/common.yaml]}}
)"), repo.t.str());
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message ==
        "app.yaml:1: spec.sources[1].helm.valueFiles $values/values/common.yaml: values from another source ($ref) are "
        "not supported: use a path in this checkout");
}

TEST_CASE("the git checkout of a file is found by its .git", "[render][app]") {
  TempTree t;
  t.write("repo/.git/HEAD", "");
  t.write("repo/apps/x/app.yaml", "");
  CHECK(find_git_root(t / "repo/apps/x") == t / "repo");
  t.write("plain/x.yaml", "");
  CHECK(find_git_root(t / "plain").empty());  // the system temp dir is in no checkout
}
