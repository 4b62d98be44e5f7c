// YAML structure as kubectl reads it: merges, duplicate keys, aliases, map keys, documents.
#include "manifest/manifest_test_util.hpp"

using namespace wavesync::manifest;
using namespace wavesync::manifest::testing;
using nlohmann::json;

namespace {
const std::string k_head = "apiVersion: v1\nkind: Thing\nmetadata:\n  name: x\n";
}

TEST_CASE("a merge key copies the keys of one mapping", "[manifest][yaml]") {
  json o = object_of(k_head + "base: &b {a: 1, b: 2}\nspec:\n  <<: *b\n  c: 3\n");
  CHECK(o["spec"] == json{{"a", 1}, {"b", 2}, {"c", 3}});
}

TEST_CASE("in a merge list the earlier mappings take precedence", "[manifest][yaml]") {
  json o = object_of(k_head + "x: &x {a: 1, b: 1}\ny: &y {b: 2, c: 2}\nspec:\n  <<: [*x, *y]\n");
  CHECK(o["spec"] == json{{"a", 1}, {"b", 1}, {"c", 2}});
}

TEST_CASE("a merge applies at its position as in go-yaml v2: later keys win, earlier keys lose", "[manifest][yaml]") {
  json o = object_of(k_head + "b: &b {a: merged, c: merged}\nspec:\n  a: before\n  <<: *b\n  c: after\n");
  CHECK(o["spec"] == json{{"a", "merged"}, {"c", "after"}});
}

TEST_CASE("a merge of an inline mapping works without an alias", "[manifest][yaml]") {
  json o = object_of(k_head + "spec:\n  <<: {a: 1}\n  b: 2\n");
  CHECK(o["spec"] == json{{"a", 1}, {"b", 2}});
}

TEST_CASE("a quoted << is an ordinary key, not a merge", "[manifest][yaml]") {
  json o = object_of(k_head + "spec:\n  \"<<\": {a: 1}\n");
  CHECK(o["spec"] == json{{"<<", {{"a", 1}}}});
}

TEST_CASE("merging something that is not a mapping is an error", "[manifest][yaml]") {
  CHECK(load_error(k_head + "spec:\n  <<: 5\n") ==
        "m.yaml:6:3: map merge (<<) value is a number: expected a mapping or a list of mappings");
  CHECK(load_error(k_head + "spec:\n  <<: [{a: 1}, 2]\n") ==
        "m.yaml:6:3: map merge (<<) list holds a number: expected only mappings");
}

TEST_CASE("a duplicate key keeps the last value as kubectl does", "[manifest][yaml]") {
  json o = object_of(k_head + "spec:\n  a: 1\n  a: 2\n");
  CHECK(o["spec"] == json{{"a", 2}});
}

TEST_CASE("aliases copy the anchored value", "[manifest][yaml]") {
  json o = object_of(k_head + "spec:\n  a: &v [1, {b: yes}]\n  c: *v\n  d: &s text\n  e: *s\n");
  CHECK(o["spec"]["c"] == json::parse(R"([1, {"b": true}])"));
  CHECK(o["spec"]["e"] == json("text"));
}

TEST_CASE("an alias inside the node it names is a clear error", "[manifest][yaml]") {
  CHECK(load_error(k_head + "spec: &x [*x]\n") ==
        "m.yaml:5:11: alias *x refers to a node that contains it: expected an alias to a complete node");
  CHECK(load_error(k_head + "spec: &x {a: {b: *x}}\n") ==
        "m.yaml:5:18: alias *x refers to a node that contains it: expected an alias to a complete node");
}

TEST_CASE("an undefined alias is an error with its position", "[manifest][yaml]") {
  CHECK(load_error(k_head + "spec: *nope\n") ==
        "m.yaml:5:7: unknown anchor 'nope' referenced: expected an anchor defined earlier");
}

TEST_CASE("a billion-laughs document fails quickly with a clear error", "[manifest][yaml]") {
  std::string yaml = k_head + "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'i'; ++c, ++prev) {
    yaml += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) yaml += std::string(i ? "," : "") + "*" + prev;
    yaml += "]\n";
  }
  // go-yaml v2's check (nearly every node comes from an alias) stops it, as it stops kubectl.
  CHECK(load_error(yaml) ==
        "m.yaml:8:20: document contains excessive aliasing (kubectl's YAML reader refuses it too): expected far "
        "fewer aliases");
}

TEST_CASE("aliases expanding one document beyond 1000000 nodes are an error", "[manifest][yaml]") {
  // 250,000 written nodes and 50 aliases to 17,000 of them: under go-yaml v2's alias ratio for
  // a document this large (so kubectl reads it), over our bound.
  std::string yaml = k_head + "p: [";
  for (int i = 0; i < 233000; ++i) yaml += i ? ",x" : "x";
  yaml += "]\na: &a [";
  for (int i = 0; i < 17000; ++i) yaml += i ? ",x" : "x";
  yaml += "]\nb: [";
  for (int i = 0; i < 50; ++i) yaml += i ? ",*a" : "*a";
  yaml += "]\n";
  std::string error = load_error(yaml);
  CHECK(error.rfind("m.yaml:7:", 0) == 0);
  CHECK(error.find(" expands the document beyond 1000000 nodes: expected far fewer aliases (is this a \"billion "
                   "laughs\" document?)") != std::string::npos);
}

TEST_CASE("non-string map keys become strings as sigs.k8s.io/yaml makes them", "[manifest][yaml]") {
  json o = object_of(k_head + "spec:\n  yes: a\n  off: b\n  0777: c\n  1.5: d\n  2.0: e\n  1e6: f\n  -3: g\n");
  CHECK(o["spec"] == json{{"true", "a"}, {"false", "b"}, {"511", "c"}, {"1.5", "d"},
                          {"2", "e"}, {"1e+06", "f"}, {"-3", "g"}});
}

TEST_CASE("null and collection map keys are errors", "[manifest][yaml]") {
  CHECK(load_error(k_head + "spec:\n  ~: a\n") ==
        "m.yaml:6:3: unsupported map key null: expected a string, number or boolean (quote it to make it a string)");
  CHECK(load_error(k_head + "spec:\n  ? [1]\n  : a\n") ==
        "m.yaml:6:5: invalid map key: expected a string, number or boolean, found a sequence");
  CHECK(load_error(k_head + "spec:\n  18446744073709551615: a\n") ==
        "m.yaml:6:3: unsupported map key 18446744073709551615: expected an integer key below 2^63 (quote it to make "
        "it a string)");
}

TEST_CASE("a name written as y is the boolean true and so not a valid name", "[manifest][yaml]") {
  CHECK(load_error("apiVersion: v1\nkind: Thing\nmetadata:\n  name: y\n") ==
        "m.yaml:1:1: metadata.name is a boolean, expected a string");
}

TEST_CASE("multi-document files yield one object per document and skip empty ones", "[manifest][yaml]") {
  auto r = load("---\n" + k_head + "---\n---\n# only a comment\n---\n~\n---\n" +
                "apiVersion: v1\nkind: Thing\nmetadata:\n  name: z\n...\n");
  REQUIRE(r.ok());
  REQUIRE(r->resources.size() == 2);
  CHECK(r->resources[0].name() == "x");
  CHECK(r->resources[0].source.str() == "m.yaml:2:1");
  CHECK(r->resources[1].name() == "z");
  CHECK(r->resources[1].source.str() == "m.yaml:12:1");
}

TEST_CASE("JSON documents load like YAML", "[manifest][yaml]") {
  auto r = load(R"({"apiVersion": "v1", "kind": "Thing", "metadata": {"name": "j"}, "spec": {"n": 1.0, "s": "yes"}})");
  REQUIRE(r.ok());
  CHECK(r->resources[0].object()["spec"].dump() == R"({"n":1,"s":"yes"})");
}

TEST_CASE("malformed YAML is one error with a 1-based position", "[manifest][yaml]") {
  CHECK(load_error(k_head + "spec: [1, 2\n") ==
        "m.yaml:6:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence started at 5:7");
  CHECK(load_error(k_head + "spec:\n\t- a\n") ==
        "m.yaml:6:1: invalid YAML: found character that cannot start any token while scanning for the next token");
}

TEST_CASE("a truncated file is an error where kubectl refuses it, not a shortened value", "[manifest][yaml]") {
  CHECK(load_error(k_head + "data:\n  a: \"abc") ==
        "m.yaml:7:1: invalid YAML: found unexpected end of stream while scanning a quoted scalar started at 6:6");
}

TEST_CASE("invalid UTF-8 is an error, as in kubectl", "[manifest][yaml]") {
  CHECK(load_error(k_head + "data:\n  a: \"caf\xe9\"\n") ==
        "m.yaml:6:11: invalid YAML: invalid trailing UTF-8 octet (byte 0x22)");
}

TEST_CASE("a line starting with --- and more than a comment is an error, as in kubectl", "[manifest][yaml]") {
  CHECK(load_error(k_head + "--- |\n  text\n") ==
        "m.yaml:5:1: invalid document separator: expected only a comment after --- on its line (kubectl refuses "
        "anything else there)");
}

TEST_CASE("CRLF line ends read as LF", "[manifest][yaml]") {
  json o = object_of("apiVersion: v1\r\nkind: Thing\r\nmetadata:\r\n  name: x\r\nspec:\r\n  a: |\r\n    l1\r\n    l2\r\n");
  CHECK(o["spec"]["a"] == "l1\nl2\n");
}

TEST_CASE("where libyaml and go-yaml v2 differ, wavesync reads as go-yaml v2", "[manifest][yaml]") {
  json o = object_of(k_head + "spec:\n  q: \"it\\'s\"\n  f: {omitted value:, b: 1}\n  t: [!!str, x]\n");
  CHECK(o["spec"] == json::parse(R"({"q": "it's", "f": {"omitted value:": null, "b": 1}, "t": ["x"]})"));
  CHECK(load_error(k_head + "spec: \"a\\/b\"\n") ==
        "m.yaml:5:9: invalid YAML: found unknown escape character while parsing a quoted scalar");
  CHECK(load_error(k_head + "spec: [a?b]\n") == "m.yaml:5:9: invalid YAML: did not find expected ',' or ']' (or '}')");
}

TEST_CASE("nesting beyond 1000 levels is an error, not a crash", "[manifest][yaml]") {
  std::string deep = k_head + "spec: " + std::string(2000, '[') + std::string(2000, ']') + "\n";
  CHECK(load_error(deep) == "m.yaml:5:1006: nesting deeper than 1000 levels: expected at most 1000");
}

TEST_CASE("aliases that nest the expanded document too deep are an error", "[manifest][yaml]") {
  // Each anchor holds the previous one 400 levels down; three of them pass 1000 levels.
  std::string yaml = k_head;
  std::string prev;
  for (int i = 0; i < 3; ++i) {
    std::string name = "d" + std::to_string(i);
    yaml += name + ": &" + name + " " + std::string(400, '[') + (prev.empty() ? "1" : "*" + prev) +
            std::string(400, ']') + "\n";
    prev = name;
  }
  std::string error = load_error(yaml);
  CHECK(error.find("m.yaml:7:") == 0);
  CHECK(error.find("alias *d1 nests the document deeper than 1000 levels: expected at most 1000") != std::string::npos);
}

TEST_CASE("more than 20000 documents in one file is an error", "[manifest][yaml]") {
  std::string yaml;
  for (int i = 0; i < 20001; ++i) yaml += "---\n~\n";
  CHECK(load_error(yaml) == "m.yaml:40002:1: too many YAML documents: expected at most 20000 per file");
}
