// libFuzzer target: arbitrary bytes as a manifest file -> objects -> plan. Any crash, sanitizer
// report, uncaught exception, timeout or runaway allocation is a bug; a clean error is not.
#include "wavesync/manifest/loader.hpp"
#include "wavesync/plan/plan.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  wavesync::manifest::LoadOptions options;
  options.default_namespace = "fuzz";
  // The last byte picks the namespace policy, so both paths of settle_identity are reached.
  if (size > 0 && (data[size - 1] & 1) != 0) options.namespaces = wavesync::manifest::NamespacePolicy::strict;
  // The byte before it picks the file name: a .json name also reaches the JSON-stream splitter.
  const char* name = size > 1 && (data[size - 2] & 1) != 0 ? "fuzz.json" : "fuzz.yaml";
  auto loaded = wavesync::manifest::load_manifest_text(text, name, options);
  if (!loaded) return 0;
  wavesync::PlanOptions plan_options;
  plan_options.destination_namespace = "fuzz";
  auto plan = wavesync::make_plan(std::move(loaded->resources), plan_options);
  (void)plan;
  return 0;
}
