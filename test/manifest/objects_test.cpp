// Kubernetes objects from documents: lists, identity fields, namespaces, duplicates, limits.
#include "manifest/manifest_test_util.hpp"

using namespace wavesync::manifest;
using namespace wavesync::manifest::testing;
using nlohmann::json;

TEST_CASE("kind List expands to its items with their own positions", "[manifest]") {
  auto r = load(R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: a}
- apiVersion: v1
  kind: Secret
  metadata: {name: b}
)");
  REQUIRE(r.ok());
  REQUIRE(r->resources.size() == 2);
  CHECK(r->resources[0].kind() == "ConfigMap");
  CHECK(r->resources[0].source.str() == "m.yaml:4:3");
  CHECK(r->resources[1].kind() == "Secret");
  CHECK(r->resources[1].source.str() == "m.yaml:7:3");
}

TEST_CASE("any document with a top-level items list is a list, nested lists included", "[manifest]") {
  auto r = load(R"(apiVersion: v1
kind: ConfigMapList
items:
- apiVersion: v1
  kind: List
  items:
  - {apiVersion: v1, kind: ConfigMap, metadata: {name: inner}}
- {apiVersion: v1, kind: ConfigMap, metadata: {name: outer}}
)");
  REQUIRE(r.ok());
  REQUIRE(r->resources.size() == 2);
  CHECK(r->resources[0].name() == "inner");
  CHECK(r->resources[0].source.str() == "m.yaml:7:5");
  CHECK(r->resources[1].name() == "outer");
}

TEST_CASE("a list item that is not a mapping is an error", "[manifest]") {
  CHECK(load_error("apiVersion: v1\nkind: List\nitems:\n- just text\n") ==
        "m.yaml:1:1: items[0] is a string, expected a Kubernetes object (a mapping)");
  CHECK(load_error("apiVersion: v1\nkind: List\nitems: 5\n") ==
        "m.yaml:1:1: items is a number, expected a list of Kubernetes objects");
}

TEST_CASE("a document that is not a mapping is an error", "[manifest]") {
  CHECK(load_error("just text\n") == "m.yaml:1:1: document is a string, expected a Kubernetes object (a mapping)");
  CHECK(load_error("- a\n") == "m.yaml:1:1: document is a list, expected a Kubernetes object (a mapping)");
}

TEST_CASE("apiVersion, kind and metadata.name are required", "[manifest]") {
  CHECK(load_error("kind: ConfigMap\nmetadata: {name: a}\n") ==
        "m.yaml:1:1: missing apiVersion: expected a string such as \"v1\" or \"apps/v1\"");
  CHECK(load_error("apiVersion: v1\nmetadata: {name: a}\n") ==
        "m.yaml:1:1: missing kind: expected a string such as \"ConfigMap\"");
  CHECK(load_error("apiVersion: 1\nkind: ConfigMap\n") ==
        "m.yaml:1:1: apiVersion is a number, expected a string such as \"v1\" or \"apps/v1\"");
  CHECK(load_error("apiVersion: v1\nkind: ConfigMap\n") == "m.yaml:1:1: ConfigMap has no metadata: expected metadata.name");
  CHECK(load_error("apiVersion: v1\nkind: ConfigMap\nmetadata: {labels: {}}\n") ==
        "m.yaml:1:1: ConfigMap has no metadata.name: expected a non-empty name");
  CHECK(load_error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: 5}\n") ==
        "m.yaml:1:1: metadata.name is a number, expected a string");
}

TEST_CASE("a non-hook object with only generateName is an error", "[manifest]") {
  CHECK(load_error("apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: j-}\n") ==
        "m.yaml:1:1: Job has no metadata.name: expected a non-empty name");
}

TEST_CASE("a hook may have generateName instead of a name", "[manifest]") {
  for (const char* annotation : {"argocd.argoproj.io/hook", "helm.sh/hook"}) {
    auto r = load(std::string("apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: j-\n  annotations:\n    ") +
                  annotation + ": PreSync\n");
    REQUIRE(r.ok());
    CHECK(r->resources[0].generate_name() == "j-");
  }
  CHECK(load_error("apiVersion: batch/v1\nkind: Job\nmetadata:\n  annotations:\n    helm.sh/hook: pre-install\n") ==
        "m.yaml:1:1: Job hook has neither metadata.name nor metadata.generateName: expected one of them");
}

TEST_CASE("an unquoted number in an annotation is an error at the annotation", "[manifest]") {
  CHECK(load_error(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: a
  annotations:
    argocd.argoproj.io/sync-wave: 1
)") == "m.yaml:6:5: annotation \"argocd.argoproj.io/sync-wave\" is a number, expected a string (quote the value)");
  CHECK(load_error("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  labels: {on: yes}\n") ==
        "m.yaml:1:1: label \"true\" is a boolean, expected a string (quote the value)");
}

TEST_CASE("annotation positions are kept for messages", "[manifest]") {
  auto r = load("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations:\n    x: \"1\"\n    why: two\n");
  REQUIRE(r.ok());
  CHECK(r->resources[0].annotation_source("why").str() == "m.yaml:7:5");
  CHECK(r->resources[0].annotation_source("missing").str() == "m.yaml:1:1");
}

TEST_CASE("a namespaced object without a namespace gets the default namespace", "[manifest]") {
  LoadOptions options;
  options.default_namespace = "shop";
  auto r = load("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n", options);
  REQUIRE(r.ok());
  CHECK(r->resources[0].object()["metadata"] == json{{"name", "web"}, {"namespace", "shop"}});
  auto d = load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n");
  CHECK(d->resources[0].namespace_name() == "default");
}

TEST_CASE("an explicit namespace is kept", "[manifest]") {
  LoadOptions options;
  options.default_namespace = "shop";
  auto r = load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: other}\n", options);
  REQUIRE(r.ok());
  CHECK(r->resources[0].namespace_name() == "other");
}

TEST_CASE("namespace-strict rejects an object in another namespace", "[manifest]") {
  LoadOptions options;
  options.default_namespace = "shop";
  options.namespaces = NamespacePolicy::strict;
  CHECK(load_error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: other}\n", options) ==
        "m.yaml:1:1: ConfigMap c is in namespace \"other\": expected namespace \"shop\" (--namespace-strict)");
  CHECK(load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\n", options).ok());
}

TEST_CASE("cluster-scoped kinds get no namespace and lose a written one", "[manifest]") {
  auto r = load(R"(apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader, namespace: shop}
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: fast}
)");
  REQUIRE(r.ok());
  for (const auto& res : r->resources) {
    INFO(res.kind());
    CHECK_FALSE(res.object()["metadata"].contains("namespace"));
  }
}

TEST_CASE("a kind with the name of a cluster-scoped kind in another group stays namespaced", "[manifest]") {
  auto r = load("apiVersion: example.com/v1\nkind: Namespace\nmetadata: {name: ns}\n");
  REQUIRE(r.ok());
  CHECK(r->resources[0].namespace_name() == "default");
}

TEST_CASE("a CRD in the input with scope Cluster makes its kind cluster-scoped", "[manifest]") {
  auto r = load(R"(apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
---
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {kind: Widget, plural: widgets}
)");
  REQUIRE(r.ok());
  CHECK(r->resources[0].namespace_name().empty());
  CHECK(r->resources[1].namespace_name() == "default");
}

TEST_CASE("of two documents with the same identity the last is kept, with a warning naming both places", "[manifest]") {
  auto r = load(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec: {replicas: 1}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: between}
---
apiVersion: apps/v2
kind: Deployment
metadata: {name: web, namespace: default}
spec: {replicas: 2}
)");
  REQUIRE(r.ok());
  REQUIRE(r->resources.size() == 2);
  CHECK(r->resources[0].name() == "between");
  CHECK(r->resources[1].object()["spec"]["replicas"] == 2);
  CHECK(r->warnings == std::vector<std::string>{"m.yaml:10:1: duplicate object apps/Deployment default/web: also "
                                                "defined at m.yaml:1:1; the last one is used"});
}

TEST_CASE("a third copy is compared with the one kept so far", "[manifest]") {
  auto r = load("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: '1'}\n---\n"
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: '2'}\n---\n"
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {v: '3'}\n");
  REQUIRE(r.ok());
  REQUIRE(r->resources.size() == 1);
  CHECK(r->resources[0].object()["data"]["v"] == "3");
  CHECK(r->warnings == std::vector<std::string>{
                           "m.yaml:6:1: duplicate object ConfigMap default/a: also defined at m.yaml:1:1; the last one is used",
                           "m.yaml:11:1: duplicate object ConfigMap default/a: also defined at m.yaml:6:1; the last one is used"});
}

TEST_CASE("with --strict two documents with the same identity are an error naming both places", "[manifest]") {
  LoadOptions strict;
  strict.duplicates = DuplicatePolicy::error;
  CHECK(load_error(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
---
apiVersion: apps/v2
kind: Deployment
metadata: {name: web, namespace: default}
)", strict) == "m.yaml:5:1: duplicate object apps/Deployment default/web: also defined at m.yaml:1:1");
}

TEST_CASE("the same name in another namespace, kind or group is not a duplicate", "[manifest]") {
  auto r = load(R"(apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: x}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: a, namespace: z}
---
apiVersion: v1
kind: Secret
metadata: {name: a, namespace: x}
---
apiVersion: example.com/v1
kind: ConfigMap
metadata: {name: a, namespace: x}
---
apiVersion: batch/v1
kind: Job
metadata: {generateName: a-, annotations: {argocd.argoproj.io/hook: PreSync}}
---
apiVersion: batch/v1
kind: Job
metadata: {generateName: a-, annotations: {argocd.argoproj.io/hook: PreSync}}
)");
  REQUIRE(r.ok());
  CHECK(r->resources.size() == 6);
}

TEST_CASE("an object over 1.5 MiB of JSON is an error", "[manifest]") {
  std::string big(1600 * 1024, 'x');
  CHECK(load_error("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n  a: " + big + "\n") ==
        "m.yaml:1:1: ConfigMap big is 1638480 bytes as JSON: expected at most 1572864 (the API server's 1.5 MiB "
        "request limit)");
}

TEST_CASE("more than 250000 objects in one run is an error", "[manifest]") {
  // Three List documents of 100,000, 100,000 and 50,001 items (one document of 250,001
  // would pass the per-document node limit first).
  std::string yaml;
  int n = 0;
  for (int count : {100000, 100000, 50001}) {
    if (!yaml.empty()) yaml += "---\n";
    yaml += "apiVersion: v1\nkind: List\nitems:\n";
    for (int i = 0; i < count; ++i, ++n) {
      yaml += "- {apiVersion: v1, kind: ConfigMap, metadata: {name: c" + std::to_string(n) + "}}\n";
    }
  }
  CHECK(load_error(yaml) == "m.yaml:250012:3: more than 250000 objects: expected at most 250000 in one run");
}

TEST_CASE("the object body is the exact JSON kubectl would send", "[manifest]") {
  json o = object_of(R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1.0
  template:
    spec:
      containers:
      - name: c
        image: nginx
        env: [{name: DEBUG, value: "yes"}]
        ports: [{containerPort: 0x50}]
)");
  CHECK(o.dump() ==
        R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"labels":{"app":"web"},"name":"web","namespace":"default"},)"
        R"("spec":{"replicas":1,"template":{"spec":{"containers":[{"env":[{"name":"DEBUG","value":"yes"}],"image":"nginx",)"
        R"("name":"c","ports":[{"containerPort":80}]}]}}}})");
}
