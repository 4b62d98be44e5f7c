// --dry-run: a server-side dry run of every object in plan order (hooks included, but not run).
// Objects whose namespace or CRD this same sync creates cannot be checked by the server yet;
// they are reported as "would be created" instead of as rejections (a namespace or CRD created
// only in a server-side dry run, as by kubectl apply --dry-run=server, does not exist for the
// objects after it: namespace admission answers 404 and discovery does not know the kind).
#include "wavesync/engine/syncer.hpp"

#include "wavesync/engine/unvalidated_write.hpp"
#include "wavesync/plan/object_policy.hpp"

#include <optional>
#include <set>

namespace wavesync::engine::detail {

SyncResult Syncer::run_dry() {
  std::set<std::string> planned_namespaces;
  std::set<std::pair<std::string, std::string>> planned_crds;  // (group, kind)
  for (const StepItems& step : steps_) {
    for (const Item& item : step.items) {
      if (item.id.kind == "Namespace" && group_of(item.id.api_version).empty())
        planned_namespaces.insert(item.id.name);
      if (item.id.kind == "CustomResourceDefinition") {
        const auto spec = item.planned->resource.object().value("spec", nlohmann::json::object());
        const auto names = spec.value("names", nlohmann::json::object());
        planned_crds.insert({spec.value("group", ""), names.value("kind", "")});
      }
    }
  }
  kube::ApplyOptions options{kube::DryRun::all, options_.force_conflicts, options_.field_manager};
  std::size_t rejected = 0;
  StepOutcome found;  // why objects were rejected
  for (StepItems& step : steps_) {
    const TimePoint step_start = clock_.now();
    Event started = event(EventType::step_started, &step);
    started.count = step.items.size();
    events_.emit(started);
    announce_prunes(step);
    for (Item& item : step.items) {
      if (interrupted()) return finish_interrupted();
      auto would_create = [&](const std::string& why) {
        Event e = event(EventType::resource_applied, &step, &item);
        e.apply_result = ApplyResult::created;
        e.message = "not checked: " + why;
        events_.emit(e);
      };
      auto type = client_.resolve(item.id.api_version, item.id.kind);
      if (!type && planned_crds.count({group_of(item.id.api_version), item.id.kind}) != 0) {
        would_create("its CustomResourceDefinition is created by this sync");
        continue;
      }
      found.merge(prepare(step, item));
      if (!item.prepared) {
        ++rejected;
        continue;
      }
      std::vector<Result<kube::WriteResult>> results;
      std::optional<ApplyResult> unvalidated;  // Validate=false: dry-run as it is written
      if (skips_field_validation(item.planned->sync_options)) {
        auto written = engine::write_unvalidated(client_, item.body, kube::DryRun::all, options_.field_manager);
        if (written) {
          unvalidated = written->created ? ApplyResult::created : ApplyResult::configured;
          results.emplace_back(std::move(written->written));
        } else {
          results.emplace_back(written.error());
        }
      } else {
        results = client_.apply({item.body}, options);
      }
      if (results[0]) {
        ++applied_;
        Event e = event(EventType::resource_applied, &step, &item);
        e.apply_result = unvalidated ? *unvalidated : classify_apply(results[0]->object, start_, options_.field_manager);
        e.warnings = results[0]->warnings;
        events_.emit(e);
        continue;
      }
      const Error& error = results[0].error();
      if (error.http_status == 404 && planned_namespaces.count(item.id.namespace_name) != 0 &&
          error.message.find("namespaces \"" + item.id.namespace_name + "\" not found") != std::string::npos) {
        would_create("namespace " + item.id.namespace_name + " is created by this sync");
        continue;
      }
      bool bhc = item.hook && item.planned->hook->has_policy(DeletePolicy::before_hook_creation);
      if (bhc && immutable_hint(error.message)) {
        // The real sync deletes the hook first (BeforeHookCreation), so the change is allowed.
        Event e = event(EventType::resource_applied, &step, &item);
        e.apply_result = ApplyResult::configured;
        e.message = "would be recreated (BeforeHookCreation)";
        events_.emit(e);
        continue;
      }
      ++rejected;
      std::string message = error.message;
      if (auto hint = immutable_hint(error.message)) message += "; hint: " + *hint;
      found.reasons.push_back(fail_item(step, item, message, EventType::apply_failed));
    }
    Event done = event(EventType::step_done, &step);
    done.step_result = StepResult::applied;
    done.duration = std::chrono::duration_cast<std::chrono::milliseconds>(clock_.now() - step_start);
    events_.emit(done);
  }
  SyncResult result;
  if (rejected != 0) {
    result.outcome = SyncOutcome::failed;
    result.exit_code = found.failure_exit_code();
    result.causes = std::move(found.reasons);
  }
  emit_done(result);
  return result;
}

}  // namespace wavesync::engine::detail
