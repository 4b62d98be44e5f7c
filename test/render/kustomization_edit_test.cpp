// What Argo CD's `kustomize edit` calls do to a kustomization, done on the parsed file.
#include "wavesync/render/kustomization_edit.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::render;
using nlohmann::json;

TEST_CASE("name prefix, suffix and namespace replace the kustomization's own", "[render]") {
  KustomizeOptions options;
  options.name_prefix = "prod-";
  options.name_suffix = "-v2";
  options.namespace_name = "shop";
  auto edited = edit_kustomization(json{{"namePrefix", "base-"}, {"resources", {"a.yaml"}}}, options, "k.yaml");
  REQUIRE(edited);
  CHECK(*edited == json{{"namePrefix", "prod-"}, {"nameSuffix", "-v2"}, {"namespace", "shop"}, {"resources", {"a.yaml"}}});
}

TEST_CASE("images are set as kustomize edit set image sets them", "[render]") {
  KustomizeOptions options;
  options.images = {"web=registry:5000/shop/web:1.2", "db:15", "cache@sha256:abc"};
  auto edited = edit_kustomization(json{{"images", {{{"name", "db"}, {"digest", "sha256:old"}}}}}, options, "k.yaml");
  REQUIRE(edited);
  CHECK((*edited)["images"] == json::parse(R"([
    {"name": "db", "newTag": "15"},
    {"name": "web", "newName": "registry:5000/shop/web", "newTag": "1.2"},
    {"name": "cache", "digest": "sha256:abc"}])"));
}

TEST_CASE("a bad image argument is an error naming the kustomization", "[render]") {
  KustomizeOptions options;
  options.images = {"web"};
  auto edited = edit_kustomization(json::object(), options, "app/kustomization.yaml");
  REQUIRE_FALSE(edited);
  CHECK(edited.error().message ==
        "app/kustomization.yaml: kustomize image \"web\": expected name=newName:tag, name:tag or name@digest");
}

TEST_CASE("labels go to commonLabels, or to labels without selectors", "[render]") {
  KustomizeOptions options;
  options.common_labels = {{"team", "shop"}};
  auto edited = edit_kustomization(json::object(), options, "k.yaml");
  REQUIRE(edited);
  CHECK((*edited)["commonLabels"] == json{{"team", "shop"}});

  options.label_without_selector = true;
  options.label_include_templates = true;
  edited = edit_kustomization(json::object(), options, "k.yaml");
  REQUIRE(edited);
  CHECK((*edited)["labels"] == json::parse(R"([{"pairs": {"team": "shop"}, "includeTemplates": true}])"));
}

TEST_CASE("an existing label is kept unless forced, as kustomize edit add label does", "[render]") {
  KustomizeOptions options;
  options.common_labels = {{"team", "shop"}};
  const json k{{"commonLabels", {{"team", "old"}}}};
  auto refused = edit_kustomization(k, options, "k.yaml");
  REQUIRE_FALSE(refused);
  CHECK(refused.error().message == "k.yaml: label team already in kustomization file (set forceCommonLabels to replace it)");
  options.force_common_labels = true;
  auto forced = edit_kustomization(k, options, "k.yaml");
  REQUIRE(forced);
  CHECK((*forced)["commonLabels"]["team"] == "shop");
}

TEST_CASE("replicas, annotations, patches and components are added", "[render]") {
  KustomizeOptions options;
  options.replicas = {{"web", 3}};
  options.common_annotations = {{"owner", "shop"}};
  options.patches = json::parse(R"([{"target": {"kind": "Deployment"}, "patch": "- op: add"}])");
  options.components = {"../components/tls"};
  auto edited = edit_kustomization(
      json{{"replicas", {{{"name", "web"}, {"count", 1}}}}, {"patches", {{{"path", "p.yaml"}}}}}, options, "k.yaml");
  REQUIRE(edited);
  CHECK((*edited)["replicas"] == json::parse(R"([{"name": "web", "count": 3}])"));
  CHECK((*edited)["commonAnnotations"] == json{{"owner", "shop"}});
  CHECK((*edited)["patches"].size() == 2);
  CHECK((*edited)["components"] == json{"../components/tls"});
}
