// Helpers for manifest tests: load inline YAML as if it were the file `m.yaml`.
#pragma once

#include "wavesync/manifest/loader.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace wavesync::manifest::testing {

inline Result<LoadResult> load(const std::string& yaml, LoadOptions options = {}) {
  return load_manifest_text(yaml, "m.yaml", options);
}

// The error message of a load that must fail.
inline std::string load_error(const std::string& yaml, LoadOptions options = {}) {
  auto result = load(yaml, options);
  REQUIRE_FALSE(result.ok());
  return result.error().message;
}

// Loads a ConfigMap-like object whose `spec.v` is written as `value` and returns spec.v.
inline nlohmann::json value_of(const std::string& value) {
  auto result = load("apiVersion: v1\nkind: Thing\nmetadata:\n  name: x\nspec:\n  v: " + value + "\n");
  if (!result.ok()) FAIL(result.error().message);
  REQUIRE(result->resources.size() == 1);
  return result->resources[0].object()["spec"]["v"];
}

// The error for a `spec.v` written as `value`.
inline std::string value_error(const std::string& value) {
  return load_error("apiVersion: v1\nkind: Thing\nmetadata:\n  name: x\nspec:\n  v: " + value + "\n");
}

// The object of a single-object manifest.
inline nlohmann::json object_of(const std::string& yaml) {
  auto result = load(yaml);
  if (!result.ok()) FAIL(result.error().message);
  REQUIRE(result->resources.size() == 1);
  return result->resources[0].object();
}

}  // namespace wavesync::manifest::testing
