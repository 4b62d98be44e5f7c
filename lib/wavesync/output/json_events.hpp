// The NDJSON event stream of `wavesync apply --output json`: one JSON object per engine event,
// one per line, in order. The fields are documented in the README ("JSON events") and in
// test/output/events.schema.json, which the tests validate against.
#pragma once

#include "wavesync/engine/events.hpp"
#include "wavesync/output/terminal.hpp"

#include <nlohmann/json.hpp>

namespace wavesync::output {

// `{"event":"resource-applied","time":"...","phase":"Sync","wave":0,"resource":{...},...}`.
// Fields that do not apply to the event type are omitted.
nlohmann::json event_to_json(const engine::Event& event);
nlohmann::json object_id_json(const ObjectRef& id);
nlohmann::json diagnostic_json(const engine::Diagnostic& diagnostic);

class JsonEventReporter final : public engine::EventSink {
 public:
  explicit JsonEventReporter(Terminal& out) : out_(out) {}
  void emit(const engine::Event& event) override;

 private:
  Terminal& out_;
};

}  // namespace wavesync::output
