// wavesync diff: unified diffs of objects with server noise removed and Secrets redacted.
#include "wavesync/output/object_diff.hpp"
#include "wavesync/output/unified_diff.hpp"

#include <catch2/catch.hpp>

using namespace wavesync::output;
using nlohmann::json;

TEST_CASE("a unified diff shows changed lines with three lines of context", "[output]") {
  std::vector<std::string> a{"1", "2", "3", "4", "5", "6", "7", "8", "9"};
  std::vector<std::string> b{"1", "2", "3", "4", "five", "6", "7", "8", "9", "10"};
  CHECK(unified_diff(a, b, "a", "b") ==
        "--- a\n+++ b\n@@ -2,8 +2,9 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n 9\n+10\n");
  CHECK(unified_diff(a, a, "a", "b").empty());
}

TEST_CASE("distant changes become separate hunks", "[output]") {
  std::vector<std::string> a;
  for (int i = 1; i <= 20; ++i) a.push_back(std::to_string(i));
  std::vector<std::string> b = a;
  b[0] = "one";
  b[19] = "twenty";
  CHECK(unified_diff(a, b, "a", "b") ==
        "--- a\n+++ b\n@@ -1,4 +1,4 @@\n-1\n+one\n 2\n 3\n 4\n@@ -17,4 +17,4 @@\n 17\n 18\n 19\n-20\n+twenty\n");
}

TEST_CASE("a new object diffs against nothing", "[output]") {
  CHECK(unified_diff({}, {"a: 1"}, "/dev/null", "desired/x") == "--- /dev/null\n+++ desired/x\n@@ -0,0 +1 @@\n+a: 1\n");
}

TEST_CASE("server-managed fields and status are not part of the comparison", "[output]") {
  json live = json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"n",
    "uid":"u","resourceVersion":"7","generation":2,"creationTimestamp":"2026-01-01T00:00:00Z",
    "managedFields":[{"manager":"wavesync"}],
    "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"}},"data":{"k":"v"},"status":{}})");
  json desired = json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"n",
    "uid":"u","resourceVersion":"8"},"data":{"k":"v"}})");
  CHECK(object_diff(live, desired, "v1/ConfigMap/n/a").empty());
  desired["data"]["k"] = "w";
  CHECK(object_diff(live, desired, "v1/ConfigMap/n/a") ==
        "--- live/v1/ConfigMap/n/a\n+++ desired/v1/ConfigMap/n/a\n@@ -1,6 +1,6 @@\n apiVersion: v1\n data:\n"
        "-  k: v\n+  k: w\n kind: ConfigMap\n metadata:\n   name: a\n");
}

TEST_CASE("secret values never appear in a diff, changed ones are marked before and after", "[output]") {
  json live = json::parse(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},
    "data":{"password":"c2VjcmV0MQ==","user":"YWRtaW4="}})");
  json desired = json::parse(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},
    "data":{"password":"c2VjcmV0Mg==","user":"YWRtaW4=","token":"dG9rZW4="}})");
  const std::string diff = object_diff(live, desired, "v1/Secret/db");
  CHECK(diff.find("c2Vj") == std::string::npos);
  CHECK(diff.find("YWRt") == std::string::npos);
  CHECK(diff.find("dG9r") == std::string::npos);
  CHECK(diff == "--- live/v1/Secret/db\n+++ desired/v1/Secret/db\n@@ -1,6 +1,7 @@\n apiVersion: v1\n data:\n"
                "-  password: \"*** (before)\"\n+  password: \"*** (after)\"\n+  token: \"***\"\n"
                "   user: \"***\"\n kind: Secret\n metadata:\n");
}

TEST_CASE("objects render as block YAML with ambiguous strings quoted", "[output]") {
  json o = json::parse(R"({"a":{"b":[1,"x",{"c":"yes","d":"8080"}],"e":[],"f":"two words: here"}})");
  CHECK(to_yaml(o) == "a:\n  b:\n  - 1\n  - x\n  - c: \"yes\"\n    d: \"8080\"\n  e: []\n  f: \"two words: here\"\n");
}
