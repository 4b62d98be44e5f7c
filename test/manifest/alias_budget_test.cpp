// The alias budget of a whole file: many small "billion laughs" documents, each under the
// per-document bound, used to take minutes and gigabytes.
#include "manifest/manifest_test_util.hpp"
#include "wavesync/manifest/limits.hpp"

#include <chrono>

using namespace wavesync::manifest;
using namespace wavesync::manifest::testing;

TEST_CASE("aliases expanding a file of many small documents beyond the file's budget are an error", "[manifest][yaml]") {
  // Each document expands to 99,000 alias nodes (1,100 written nodes, 90 aliases: under
  // go-yaml v2's alias ratio and far under the per-document bound); eleven pass the budget.
  std::string doc = "a: &a [";
  for (int i = 0; i < 1100; ++i) doc += i ? ",x" : "x";
  doc += "]\nb: [";
  for (int i = 0; i < 90; ++i) doc += i ? ",*a" : "*a";
  doc += "]\n---\n";
  std::string file;
  for (int i = 0; i < 11; ++i) file += doc;
  const auto start = std::chrono::steady_clock::now();
  std::string error = load_error(file);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  INFO(error);
  CHECK(error.rfind("m.yaml:32:", 0) == 0);
  CHECK(error.find(" expands this file's aliases beyond 1000000 nodes in all: expected far fewer aliases (is this "
                   "a \"billion laughs\" file?)") != std::string::npos);
}

TEST_CASE("aliases within the file's budget load", "[manifest][yaml]") {
  std::string file;
  for (int i = 0; i < 50; ++i) {
    file += "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c" + std::to_string(i) +
            ", labels: &l {app: web}}\ndata: {x: &v value}\nbinaryData: {}\n---\n";
  }
  auto r = load(file);
  REQUIRE(r.ok());
  CHECK(r->resources.size() == 50);
}
