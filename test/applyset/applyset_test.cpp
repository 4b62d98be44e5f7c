#include "wavesync/applyset/applyset.hpp"
#include "wavesync/kube/base64.hpp"
#include "wavesync/applyset/digest.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::applyset;
using nlohmann::json;

namespace {

Resource resource(const char* text) {
  Resource r;
  r.set_object(json::parse(text));
  r.source = SourceLocation{"manifests/app.yaml", 3, 1};
  return r;
}

ParentRef secret(std::string name, std::string ns) {
  return ParentRef{ParentKind::secret, std::move(name), std::move(ns)};
}

}  // namespace

TEST_CASE("sha256 matches the FIPS 180-4 test vectors", "[applyset]") {
  CHECK(hex(sha256("")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(hex(sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(hex(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(hex(sha256(std::string(1000, 'a'))) ==
        "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

TEST_CASE("base64url leaves out padding and uses - and _", "[applyset]") {
  const std::uint8_t bytes[] = {'f', 'o', 'o', 0xfb, 0xff};
  CHECK(base64url_unpadded(bytes, 0).empty());
  CHECK(base64url_unpadded(bytes, 1) == "Zg");
  CHECK(base64url_unpadded(bytes, 2) == "Zm8");
  CHECK(base64url_unpadded(bytes, 3) == "Zm9v");
  CHECK(base64url_unpadded(bytes + 3, 2) == "-_8");
}

TEST_CASE("the ApplySet id is the one kubectl computes for the same parent", "[applyset]") {
  // kubectl's own apply test expects this id for Secret my-set in namespace test.
  CHECK(applyset_id(secret("my-set", "test")) == "applyset-0eFHV8ySqp7XoShsGvyWFQD3s96yqwHmzc4e0HR1dsY-v1");
  ParentRef config_map{ParentKind::config_map, "my-set", "test"};
  CHECK(applyset_id(config_map) != applyset_id(secret("my-set", "test")));
  CHECK(applyset_id(secret("my-set", "other")) != applyset_id(secret("my-set", "test")));
}

TEST_CASE("--applyset takes a name or kubectl's resource/name form for Secrets and ConfigMaps", "[applyset]") {
  auto plain = parse_parent("shop", "prod");
  REQUIRE(plain.ok());
  CHECK(plain->kind == ParentKind::secret);
  CHECK(plain->name == "shop");
  CHECK(plain->namespace_name == "prod");
  CHECK(parse_parent("configmaps/shop", "prod")->kind == ParentKind::config_map);
  CHECK(parse_parent("configmap/shop", "prod")->kind == ParentKind::config_map);
  CHECK(parse_parent("secrets/shop", "prod")->kind == ParentKind::secret);
  auto bad = parse_parent("deployments/shop", "prod");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message ==
        "--applyset \"deployments/shop\": the parent must be a Secret or a ConfigMap "
        "(NAME, secrets/NAME or configmaps/NAME)");
  CHECK(parse_parent("secrets/", "prod").error().message ==
        "--applyset \"secrets/\": expected NAME, secrets/NAME or configmaps/NAME");
}

TEST_CASE("the default parent name is the manifests directory name as a DNS label", "[applyset]") {
  CHECK(default_parent_name("manifests") == "manifests");
  CHECK(default_parent_name("My_App.v2") == "my-app-v2");
  CHECK(default_parent_name("__deploy__") == "deploy");
  CHECK(default_parent_name("...") == "wavesync");
  CHECK(default_parent_name(std::string(80, 'x')) == std::string(63, 'x'));
}

TEST_CASE("the parent carries kubectl's label and annotations, kinds and namespaces sorted", "[applyset]") {
  std::map<ResourceKey, std::string> members = {
      {{"apps", "Deployment", "shop", "web"}, "apps/v1"},
      {{"", "ConfigMap", "shop", "settings"}, "v1"},
      {{"cert-manager.io", "Certificate", "edge", "tls"}, "cert-manager.io/v1"},
      {{"", "Namespace", "", "shop"}, "v1"},
      {{"", "ConfigMap", "billing", "rates"}, "v1"},
  };
  json parent = parent_object(secret("shop", "shop"), inventory_of(members), "wavesync/v0.1.0");
  CHECK(parent["apiVersion"] == "v1");
  CHECK(parent["kind"] == "Secret");
  CHECK(parent["metadata"]["name"] == "shop");
  CHECK(parent["metadata"]["namespace"] == "shop");
  CHECK(parent["metadata"]["labels"] == json{{"applyset.kubernetes.io/id", applyset_id(secret("shop", "shop"))}});
  const auto& annotations = parent["metadata"]["annotations"];
  CHECK(annotations["applyset.kubernetes.io/tooling"] == "wavesync/v0.1.0");
  CHECK(annotations["applyset.kubernetes.io/contains-group-kinds"] ==
        "Certificate.cert-manager.io,ConfigMap,Deployment.apps,Namespace");
  CHECK(annotations["applyset.kubernetes.io/additional-namespaces"] == "billing,edge");
  CHECK(annotations["wavesync.dev/applyset-members"] ==
        "Certificate.cert-manager.io/v1/edge/tls,ConfigMap/v1/billing/rates,ConfigMap/v1/shop/settings,"
        "Deployment.apps/v1/shop/web,Namespace/v1//shop");
  CHECK_FALSE(parent.contains("data"));
}

TEST_CASE("a parent written by wavesync reads back as the same inventory", "[applyset]") {
  std::map<ResourceKey, std::string> members = {{{"apps", "Deployment", "shop", "web"}, "apps/v1"},
                                                {{"", "Namespace", "", "shop"}, "v1"},
                                                {{"test.wavesync.dev", "Widget", "edge", "w"}, "test.wavesync.dev/v1"}};
  ParentRef parent = secret("shop", "shop");
  Inventory written = inventory_of(members);
  written.namespaces.insert("shop");
  auto read = read_parent(parent_object(parent, written, "wavesync/v9"), parent);
  REQUIRE(read.ok());
  CHECK(*read == written);
}

TEST_CASE("the superset holds the kinds, namespaces and members of both inventories", "[applyset]") {
  Inventory before = inventory_of({{{"apps", "Deployment", "a", "web"}, "apps/v1"}});
  Inventory after = inventory_of({{{"", "ConfigMap", "b", "c"}, "v1"}});
  Inventory both = superset(before, after);
  CHECK(both.group_kinds == std::set<GroupKind>{{"apps", "Deployment"}, {"", "ConfigMap"}});
  CHECK(both.namespaces == std::set<std::string>{"a", "b"});
  CHECK(both.members.size() == 2);
}

TEST_CASE("malformed member entries are dropped", "[applyset]") {
  auto members = parse_members("ConfigMap/v1/shop/a,garbage,Deployment.apps/v1/shop,Namespace/v1//shop");
  CHECK(members.to_map() == std::map<ResourceKey, std::string>{{{"", "ConfigMap", "shop", "a"}, "v1"},
                                                      {{"", "Namespace", "", "shop"}, "v1"}});
}

TEST_CASE("a parent managed by another tool or with a foreign id is refused", "[applyset]") {
  ParentRef parent = secret("shop", "shop");
  json by_kubectl = parent_object(parent, {}, "kubectl/v1.36.3");
  auto refused = read_parent(by_kubectl, parent);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().message ==
        "applyset parent v1 Secret shop/shop: managed by \"kubectl\", not wavesync; refusing to change it");

  json wrong_id = parent_object(parent, {}, "wavesync/v0.1.0");
  wrong_id["metadata"]["labels"]["applyset.kubernetes.io/id"] = "applyset-x-v1";
  CHECK(read_parent(wrong_id, parent).error().message ==
        "applyset parent v1 Secret shop/shop: label applyset.kubernetes.io/id is \"applyset-x-v1\", want \"" +
            applyset_id(parent) + "\"");

  json plain_secret = json::parse(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"shop"}})");
  CHECK(read_parent(plain_secret, parent).error().message ==
        "applyset parent v1 Secret shop/shop: the object exists but is not an ApplySet parent "
        "(no applyset.kubernetes.io/tooling annotation); choose another name with --applyset");
}

TEST_CASE("every resource but hooks gets the part-of label", "[applyset]") {
  std::vector<Resource> resources = {
      resource(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"shop"}})"),
      resource(R"({"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"migrate","namespace":"shop",
                   "annotations":{"argocd.argoproj.io/hook":"PreSync"}}})"),
  };
  auto plan = make_plan(resources, {});
  REQUIRE(plan.ok());
  REQUIRE(label_members(*plan, "applyset-abc-v1").ok());
  for (const auto& step : plan->steps) {
    for (const auto& planned : step.resources) {
      const json labels = planned.resource.object()["metadata"].value("labels", json::object());
      if (planned.hook) {
        CHECK_FALSE(labels.contains("applyset.kubernetes.io/part-of"));
      } else {
        CHECK(labels["applyset.kubernetes.io/part-of"] == "applyset-abc-v1");
      }
    }
  }
}

TEST_CASE("a manifest that sets part-of to another ApplySet is an error", "[applyset]") {
  std::vector<Resource> resources = {resource(
      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"shop",
          "labels":{"applyset.kubernetes.io/part-of":"applyset-other-v1"}}})")};
  auto plan = make_plan(resources, {});
  REQUIRE(plan.ok());
  auto labelled = label_members(*plan, "applyset-abc-v1");
  REQUIRE_FALSE(labelled.ok());
  CHECK(labelled.error().message ==
        "manifests/app.yaml:3:1: label applyset.kubernetes.io/part-of is set to \"applyset-other-v1\"; "
        "wavesync sets it to the ApplySet's id applyset-abc-v1, remove it from the manifest");
}

TEST_CASE("a member list too long for an annotation is kept compressed in the parent's data and reads back",
          "[applyset]") {
  // 100,000 members over ten namespaces (workload w4): the parent stays far under the API
  // server's 1 MiB object limit.
  std::map<ResourceKey, std::string> members;
  for (int i = 0; i < 100000; ++i) {
    members[{"", i % 4 ? "ConfigMap" : "Secret", "bench-w4-" + std::to_string(i % 10), "obj-" + std::to_string(i)}] =
        "v1";
  }
  for (ParentRef parent : {secret("shop", "shop"), ParentRef{ParentKind::config_map, "shop", "shop"}}) {
    Inventory written = inventory_of(members);
    nlohmann::json object = parent_object(parent, written, "wavesync/v9");
    CHECK_FALSE(object["metadata"]["annotations"].contains("wavesync.dev/applyset-members"));
    CHECK(object["metadata"]["annotations"].dump().size() < 256 * 1024);
    const char* field = parent.kind == ParentKind::config_map ? "binaryData" : "data";
    REQUIRE(object[field].contains("applyset-members.zlib"));
    CHECK(object.dump().size() < 512 * 1024);
    auto read = read_parent(object, parent);
    REQUIRE(read.ok());
    CHECK(read->members == written.members);
  }
}

TEST_CASE("an uncompressed member list in the parent's data, as the previous release wrote it, still reads",
          "[applyset]") {
  ParentRef parent = secret("shop", "shop");
  nlohmann::json object = parent_object(parent, Inventory{}, "wavesync/v9");
  object["data"] = {{"applyset-members", wavesync::kube::base64_encode("ConfigMap/v1/shop/a,ConfigMap/v1/shop/b")}};
  object["metadata"]["annotations"].erase("wavesync.dev/applyset-members");
  auto read = read_parent(object, parent);
  REQUIRE(read.ok());
  CHECK(read->members.size() == 2);
}

TEST_CASE("a damaged compressed member list is an error, not an empty set", "[applyset]") {
  ParentRef parent = secret("shop", "shop");
  nlohmann::json object = parent_object(parent, Inventory{}, "wavesync/v9");
  object["metadata"]["annotations"].erase("wavesync.dev/applyset-members");
  object["data"] = {{"applyset-members.zlib", wavesync::kube::base64_encode("not zlib")}};
  auto read = read_parent(object, parent);
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().message.find("data.applyset-members.zlib is not a zlib-compressed member list") !=
        std::string::npos);
}

TEST_CASE("Members keep one entry per key in key order, merge keeps ours, and read back what they hold", "[applyset]") {
  const ResourceKey a{"", "ConfigMap", "shop", "a"};
  const ResourceKey b{"apps", "Deployment", "shop", "b"};
  const ResourceKey ns{"", "Namespace", "", "shop"};
  Members ours(std::map<ResourceKey, std::string>{{b, "apps/v1"}, {a, "v1"}});
  Members theirs(std::map<ResourceKey, std::string>{{b, "apps/v1beta1"}, {ns, "v1"}});
  ours.merge(theirs);
  CHECK(ours.size() == 3);
  CHECK(ours.to_map() == std::map<ResourceKey, std::string>{{a, "v1"}, {ns, "v1"}, {b, "apps/v1"}});
  std::vector<ResourceKey> order;
  for (const auto& [key, api_version] : ours) order.push_back(key);
  CHECK(order == std::vector<ResourceKey>{a, ns, b});  // the order of std::map<ResourceKey>
  // A name with the internal separator is not something wavesync wrote: dropped, not misread.
  CHECK(parse_members(std::string("ConfigMap/v1/shop/x\x01y,ConfigMap/v1/shop/a")).to_map() ==
        std::map<ResourceKey, std::string>{{a, "v1"}});
  CHECK(format_members(ours) == "ConfigMap/v1/shop/a,Deployment.apps/v1/shop/b,Namespace/v1//shop");
}
