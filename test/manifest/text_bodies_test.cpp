// Bodies::text (manifest_stream.hpp): the reader writes each root object straight to JSON text
// and builds only its apiVersion, kind and metadata as a tree. The text must be exactly what the
// tree reader's root gives through dump(), or the document must be read as a tree.
#include "wavesync/manifest/manifest_stream.hpp"
#include "wavesync/manifest/loader.hpp"

#include <catch2/catch.hpp>

namespace wavesync::manifest {
namespace {

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

// Reads `yaml` both ways; requires one document and the same object from each. Returns the
// text form's document.
YamlDocument both_ways(const std::string& yaml) {
  auto trees = read_documents(yaml, "m.yaml", Bodies::tree);
  auto texts = read_documents(yaml, "m.yaml", Bodies::text);
  if (!trees) FAIL(trees.error().message);
  if (!texts) FAIL(texts.error().message);
  REQUIRE(trees->size() == 1);
  REQUIRE(texts->size() == 1);
  YamlDocument& text = texts->front();
  if (text.text) {
    CHECK(*text.text == dump(trees->front().root));
  } else {
    CHECK(text.root == trees->front().root);
  }
  return std::move(text);
}

}  // namespace

TEST_CASE("text bodies are the tree's dump, with only the read fields as a tree", "[manifest][text]") {
  YamlDocument doc = both_ways(
      "kind: ConfigMap\n"
      "apiVersion: v1\n"
      "metadata:\n"
      "  name: app\n"
      "  labels: {b: \"2\", a: \"1\"}\n"
      "  annotations:\n"
      "    argocd.argoproj.io/sync-wave: \"3\"\n"
      "data:\n"
      "  z: last\n"
      "  \"quote\\\"d\": \"tab\\there\"\n"
      "  ü: ünïcode\n"
      "  num: 0x1F\n"
      "  list: [1, 2.5, true, null, ~, \"x\", {k: v}, []]\n"
      "  empty: {}\n");
  REQUIRE(doc.text);
  CHECK(doc.root.size() == 3);
  CHECK(doc.root["metadata"]["labels"]["a"] == "1");
  CHECK_FALSE(doc.root.contains("data"));
  CHECK(doc.text->find("\"data\":{\"empty\":{},\"list\":[1,2.5,true,null,null,\"x\",{\"k\":\"v\"},[]],\"num\":31,") !=
        std::string::npos);
  CHECK(doc.objects.at("").annotations.at("argocd.argoproj.io/sync-wave").line == 7);
}

TEST_CASE("text bodies keep the last of duplicate keys in key order", "[manifest][text]") {
  YamlDocument doc = both_ways("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {b: 1, a: 2, b: 3}\n");
  REQUIRE(doc.text);
  CHECK(doc.text->find("\"data\":{\"a\":2,\"b\":3}") != std::string::npos);
}

TEST_CASE("text bodies expand anchors defined in the read fields", "[manifest][text]") {
  YamlDocument doc = both_ways(
      "apiVersion: apps/v1\n"
      "kind: Deployment\n"
      "metadata:\n"
      "  name: web\n"
      "  labels: &labels {app: web}\n"
      "  annotations: {note: &note hello, again: *note}\n"
      "spec:\n"
      "  selector: {matchLabels: *labels}\n"
      "  template: {metadata: {labels: *labels}}\n");
  REQUIRE(doc.text);
  CHECK(doc.root["metadata"]["annotations"]["again"] == "hello");
  CHECK(doc.text->find("\"selector\":{\"matchLabels\":{\"app\":\"web\"}}") != std::string::npos);
}

TEST_CASE("text bodies read an alias defined outside the read fields into them", "[manifest][text]") {
  YamlDocument doc = both_ways(
      "apiVersion: v1\n"
      "kind: ConfigMap\n"
      "data: &d {a: \"1\"}\n"
      "metadata: {name: x, labels: *d}\n"
      "extra: [*d, *d]\n"
      "&k key: *k\n");
  REQUIRE(doc.text);
  CHECK(doc.root["metadata"]["labels"]["a"] == "1");
  CHECK(doc.text->find("\"extra\":[{\"a\":\"1\"},{\"a\":\"1\"}]") != std::string::npos);
  CHECK(doc.text->find("\"key\":\"key\"") != std::string::npos);
}

TEST_CASE("documents the text form does not cover are read as trees", "[manifest][text]") {
  for (const char* yaml : {
           "apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n",
           "base: &b {x: 1}\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata:\n  <<: *b\n  y: 2\n",
           "&root {apiVersion: v1, kind: ConfigMap, metadata: {name: a}}\n",
           "- just\n- a list\n",
       }) {
    INFO(yaml);
    YamlDocument doc = both_ways(yaml);
    CHECK_FALSE(doc.text);
  }
}

TEST_CASE("a loaded manifest's text is the same from either reader", "[manifest][text]") {
  const std::string yaml =
      "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: ns\n"
      "  annotations: {argocd.argoproj.io/sync-wave: \"-1\"}\nstringData: {password: x}\n---\n"
      "apiVersion: v1\nkind: ConfigMap\nmetadata: &m {name: c, namespace: ns}\ndata: {copy: *m}\n";
  auto loaded = load_manifest_text(yaml, "m.yaml", {});
  REQUIRE(loaded);
  auto trees = read_documents(yaml, "m.yaml", Bodies::tree);
  REQUIRE(trees);
  REQUIRE(loaded->resources.size() == 2);
  for (std::size_t i = 0; i < 2; ++i) CHECK(loaded->resources[i].json_text() == dump((*trees)[i].root));
  CHECK(loaded->resources[0].annotation_source("argocd.argoproj.io/sync-wave").str() == "m.yaml:6:17");
}

}  // namespace wavesync::manifest
