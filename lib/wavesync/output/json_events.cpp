#include "wavesync/output/json_events.hpp"

#include "wavesync/output/format.hpp"

namespace wavesync::output {

using engine::EventType;
using nlohmann::json;

json object_id_json(const ObjectRef& id) {
  json o{{"apiVersion", id.api_version}, {"kind", id.kind}, {"name", id.name}};
  if (!id.namespace_name.empty()) o["namespace"] = id.namespace_name;
  return o;
}

namespace {
json health_json(const health::Health& h) {
  return json{{"status", std::string(health::status_name(h.status))}, {"message", h.message}};
}
json source_json(const SourceLocation& s) {
  json o{{"file", s.file.str()}};
  if (s.line > 0) o["line"] = s.line;
  if (s.column > 0) o["column"] = s.column;
  return o;
}
}  // namespace

json diagnostic_json(const engine::Diagnostic& d) {
  json o{{"resource", object_id_json(d.resource)},
         {"conditions", d.conditions},
         {"podReasons", d.pod_reasons},
         {"events", d.events},
         {"logTail", d.log_tail}};
  if (!d.source.file.empty()) o["source"] = source_json(d.source);
  if (d.health) o["health"] = health_json(*d.health);
  return o;
}

json event_to_json(const engine::Event& e) {
  json o{{"event", std::string(engine::event_name(e.type))}, {"time", format_rfc3339(e.time)}};
  if (e.phase) {
    o["phase"] = std::string(phase_name(*e.phase));
    o["wave"] = e.wave;
  }
  if (e.dry_run) o["dryRun"] = true;
  if (e.deletion && (e.type == EventType::sync_started || e.type == EventType::sync_done)) o["deletion"] = true;
  if (e.resource) {
    o["resource"] = object_id_json(*e.resource);
    o["hook"] = e.hook;
    if (!e.source.file.empty()) o["source"] = source_json(e.source);
  }
  switch (e.type) {
    case EventType::sync_started:
      o["runId"] = e.message;
      o["steps"] = e.count;
      o["attempt"] = e.attempt;
      return o;
    case EventType::step_started: o["objects"] = e.count; return o;
    case EventType::resource_applied:
      if (e.apply_result) o["applyResult"] = std::string(engine::apply_result_name(*e.apply_result));
      o["warnings"] = e.warnings;
      o["waited"] = e.waited;
      return o;
    case EventType::health_changed:
    case EventType::hook_completed:
    case EventType::hook_failed:
      if (e.health) o["health"] = health_json(*e.health);
      if (!e.message.empty()) o["message"] = e.message;
      return o;
    case EventType::step_done:
      o["durationMs"] = e.duration.count();
      o["result"] = std::string(e.step_result ? engine::step_result_name(*e.step_result) : "failed");
      return o;
    case EventType::diagnostics: {
      json list = json::array();
      for (const engine::Diagnostic& d : e.diagnostics) list.push_back(diagnostic_json(d));
      o["diagnostics"] = std::move(list);
      return o;
    }
    case EventType::sync_done:
      o["result"] = std::string(e.sync_outcome ? engine::sync_outcome_name(*e.sync_outcome) : "failed");
      o["exitCode"] = e.exit_code;
      o["durationMs"] = e.duration.count();
      o["reasons"] = e.reasons;
      o["attempt"] = e.attempt;
      if (e.deletion) o["objects"] = e.count;
      return o;
    case EventType::blocked:
      o["reason"] = e.block_reason;
      o["message"] = e.message;
      o["missing"] = e.missing;
      return o;
    case EventType::retrying:
      o["attempt"] = e.attempt;
      o["delayMs"] = e.delay.count();
      o["durationMs"] = e.duration.count();
      o["reasons"] = e.reasons;
      return o;
    case EventType::warning: o["message"] = e.message; return o;
    case EventType::apply_failed:
    case EventType::deleting:
    case EventType::hook_started:
    case EventType::hook_deleted:
      if (!e.message.empty()) o["message"] = e.message;
      return o;
  }
  return o;
}

void JsonEventReporter::emit(const engine::Event& event) {
  // error_handler::replace: a server message with invalid UTF-8 must not abort the stream.
  out_.write(event_to_json(event).dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
}

}  // namespace wavesync::output
