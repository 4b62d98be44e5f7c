// libFuzzer target: arbitrary bytes as live objects (JSON: one object, or an array of them) ->
// health verdicts, diagnostics and both report formats. The rules must tolerate any shape the
// API server (or a `kubectl get -o json` file) could hand them: no crash, no exception.
#include "wavesync/health/diagnostics.hpp"
#include "wavesync/health/health.hpp"
#include "wavesync/health/report.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  nlohmann::json input = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (input.is_discarded()) return 0;
  std::vector<nlohmann::json> objects;
  if (input.is_array()) {
    for (auto& element : input) objects.push_back(std::move(element));
  } else {
    objects.push_back(std::move(input));
  }
  for (auto conditions : {wavesync::health::ConditionsRule::annotated_only,
                          wavesync::health::ConditionsRule::all_custom_resources}) {
    for (auto role : {wavesync::health::Role::resource, wavesync::health::Role::hook}) {
      wavesync::health::Options options{conditions, role};
      for (const auto& object : objects) {
        (void)wavesync::health::assess(object, options);
        (void)wavesync::health::check_health_annotation(object);
        (void)wavesync::health::pod_diagnostics(object);
        (void)wavesync::health::workload_diagnostics(object, objects, objects);
        if (object.is_string()) {
          (void)wavesync::health::parse_missing_reference(object.get_ref<const std::string&>(), "ns");
        }
      }
      for (const auto& report : wavesync::health::assess_all(objects, options)) {
        (void)wavesync::health::format_text(report);
        (void)wavesync::health::format_json(report);
      }
    }
  }
  return 0;
}
