// Argo CD's glob (util/glob over gobwas/glob), as directory sources, ignoreDifferences and health
// override keys use it.
#include "wavesync/model/glob.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using wavesync::glob_match;
using wavesync::GlobSeparator;

struct Case {
  const char* pattern;
  const char* text;
  bool matches;
  GlobSeparator separator = GlobSeparator::none;
};

TEST_CASE("glob: Argo CD's wildcards, classes, alternatives and escapes", "[glob]") {
  const Case k_cases[] = {
      // * crosses directories, ? is one character
      {"*.yaml", "sub/dir/a.yaml", true},
      {"*.yaml", "a.yml", false},
      {"sub/?.json", "sub/x.json", true},
      {"*/*", "apps/Deployment", true},
      {"*.crossplane.io/*", "pkg.crossplane.io/Provider", true},
      {"*.crossplane.io/*", "crossplane.io/Provider", false},
      {"", "", true},
      {"", "a", false},
      // classes
      {"[ab]*.yaml", "b1.yaml", true},
      {"[!ab]*.yaml", "b1.yaml", false},
      {"[a-c]pps/*", "apps/Deployment", true},
      // alternatives, nested too
      {"{a.yaml,b.yml}", "b.yml", true},
      {"{a.yaml,b.yml}", "c.yaml", false},
      {"{apps,batch}/?ob", "batch/Job", true},
      {"{a,{b,c}x}y", "cxy", true},
      {"{a,{b,c}x}y", "ay", true},
      {"{a,{b,c}x}y", "by", false},
      // escapes; patterns gobwas refuses to compile match nothing
      {"\\*", "*", true},
      {"\\*", "a", false},
      {"{a,b", "{a,b", false},
      {"[ab", "[ab", false},
      // with the slash separator * and ? stop at /
      {"*", "a/b", true},
      {"*", "a/b", false, GlobSeparator::slash},
      {"a?b", "a/b", false, GlobSeparator::slash},
      {"*.upbound.io/*", "s3.aws.upbound.io/Bucket", true, GlobSeparator::slash},
  };
  for (const Case& c : k_cases) {
    INFO(c.pattern << " ~ " << c.text);
    CHECK(glob_match(c.pattern, c.text, c.separator) == c.matches);
  }
}

TEST_CASE("glob: patterns that would backtrack for hours answer at once", "[glob]") {
  auto start = std::chrono::steady_clock::now();
  std::string stars;
  for (int i = 0; i < 60; ++i) stars += "*a";
  CHECK_FALSE(glob_match(stars + "b", std::string(200, 'a')));
  CHECK(glob_match(stars, std::string(200, 'a')));
  CHECK_FALSE(glob_match(stars + "b", std::string(200, 'a'), GlobSeparator::slash));
  // Alternatives multiply: 2^20 forms are more than a pattern may have; it matches nothing.
  std::string many;
  for (int i = 0; i < 20; ++i) many += "{a,b}";
  CHECK_FALSE(glob_match(many, std::string(20, 'a')));
  CHECK(glob_match("{a,b}{a,b}", "ba"));
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
}
