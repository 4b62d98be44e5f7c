// Writes that are not a plain server-side apply: Replace=true (Argo CD's applyObject:
// `kubectl replace`, a PUT of the whole object, or create when it is missing), Validate=false
// (create or merge patch, see unvalidated_write.hpp) and adopting an object `kubectl apply`
// wrote client-side (kubectl apply --server-side's migrateToSSAIfNecessary and Argo CD's
// performCSAUpgradeMigration).
#include "wavesync/engine/syncer.hpp"

#include "wavesync/engine/adoption.hpp"
#include "wavesync/engine/unvalidated_write.hpp"
#include "wavesync/model/json_fields.hpp"
#include "wavesync/plan/object_policy.hpp"

namespace wavesync::engine::detail {

namespace {

// kubectl's maxPatchRetry: a migration patch that keeps meeting newer versions gives up.
constexpr int k_migration_attempts = 5;

}  // namespace

StepOutcome Syncer::write_in_place(StepItems& step, Item& item) {
  auto live = client_.get(item.id);
  if (!live) return fail_write(step, item, live.error());
  const WriteRequest request =
      write_request(mode_of(item), item.id.api_version, item.id.kind, live->has_value());
  Result<kube::WriteResult> written = Error{};
  ApplyResult result = ApplyResult::created;
  const kube::FieldValidation validation = skips_field_validation(item.planned->sync_options)
                                               ? kube::FieldValidation::ignore
                                               : kube::FieldValidation::strict;
  if (request == WriteRequest::update) {
    // `kubectl replace`: the whole object, conditional on the version just read.
    nlohmann::json body = item.body;
    const std::string before = string_at(**live, {"metadata", "resourceVersion"});
    body["metadata"]["resourceVersion"] = before;
    kube::ApplyOptions options{options_.dry_run, kube::ForceConflicts::no, options_.field_manager, validation};
    written = client_.update(body, options);
    if (written) result = string_at(written->object, {"metadata", "resourceVersion"}) == before ? ApplyResult::unchanged : ApplyResult::configured;
  } else {
    // Missing (or deleted just before, under Force=true): created, as `kubectl create`.
    written = client_.create(item.body, options_.dry_run, validation);
  }
  if (!written) return fail_write(step, item, written.error());
  record_written(step, item, *written, result, request == WriteRequest::update ? "replaced" : "");
  return {};
}

StepOutcome Syncer::fail_write(StepItems& step, Item& item, const Error& error) {
  StepOutcome out;
  out.note(error);
  std::string message = error.message;
  if (auto hint = immutable_hint(error.message)) message += "; hint: " + *hint;
  out.reasons.push_back(fail_item(step, item, message, EventType::apply_failed));
  return out;
}

StepOutcome Syncer::write_unvalidated(StepItems& step, Item& item, TimePoint deadline) {
  auto written = engine::write_unvalidated(client_, item.body, options_.dry_run, options_.field_manager);
  if (!written) {
    if (recreate_after_rejection(mode_of(item), written.error().http_status))
      return recreate(step, item, deadline);
    return fail_write(step, item, written.error());
  }
  const ApplyResult result = written->created   ? ApplyResult::created
                             : written->changed ? ApplyResult::configured
                                                : ApplyResult::unchanged;
  record_written(step, item, written->written, result, "");
  return {};
}

bool Syncer::adopt(Item& item, Result<kube::WriteResult>& result, const kube::ApplyOptions& options) {
  std::optional<nlohmann::json> patch = client_side_apply_migration(result->object, options_.field_manager);
  if (!patch) return false;
  const kube::ObjectRef ref = item.id;
  for (int attempt = 0; attempt < k_migration_attempts; ++attempt) {
    auto patched = client_.patch(ref, *patch);
    if (patched) {
      // Only now does wavesync own the fields kubectl wrote, so only a second apply removes
      // those the manifest no longer has.
      auto again = client_.apply({item.body}, options);
      result = std::move(again[0]);
      return true;
    }
    if (patched.error().http_status != 409) {
      result = patched.error().wrap("take over kubectl's client-side apply fields");
      return true;
    }
    auto fresh = client_.get(ref);
    if (!fresh) {
      result = fresh.error().wrap("take over kubectl's client-side apply fields");
      return true;
    }
    if (!fresh->has_value()) return false;
    patch = client_side_apply_migration(**fresh, options_.field_manager);
    if (!patch) return false;
  }
  result = make_error("take over kubectl's client-side apply fields of " + item.id.str() +
                          ": the object kept changing; try again",
                      exit_code::k_sync_failed);
  return true;
}

}  // namespace wavesync::engine::detail
