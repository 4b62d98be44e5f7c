#include "wavesync/engine/validation.hpp"

#include "wavesync/engine/apply_outcome.hpp"
#include "wavesync/engine/unvalidated_write.hpp"
#include "wavesync/engine/dry_run_answers.hpp"
#include "wavesync/plan/live_options.hpp"
#include "wavesync/plan/object_policy.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

namespace wavesync::engine {

namespace {

// Bodies are built when their dry run is sent, not kept for the whole plan: a plan of 100,000
// objects would otherwise hold every manifest twice more, and every answer, at once. For the same
// reason a candidate is a pointer and two flags (its id is made when a message needs it).
struct Candidate {
  const PlannedResource* planned = nullptr;
  bool create = false;          // generateName only: a dry-run create
  bool drop_namespace = false;  // cluster-scoped: sent without metadata.namespace

  [[nodiscard]] ObjectRef id() const {
    const Resource& r = planned->resource;
    return ObjectRef{r.api_version(), r.kind(), drop_namespace ? std::string() : r.namespace_name(), r.name()};
  }
};

nlohmann::json body_of(const Candidate& c) {
  nlohmann::json body = c.planned->resource.object();
  if (!c.drop_namespace) return body;
  if (auto meta = body.find("metadata"); meta != body.end() && meta->is_object()) meta->erase("namespace");
  return body;
}

// Dry runs sent in one concurrent call: enough to keep the connection's streams busy, few
// enough that the bodies and answers in memory stay small whatever the plan's size.
constexpr std::size_t k_dry_run_chunk = 500;

// The kinds and namespaces this plan brings itself.
struct Brought {
  std::set<std::pair<std::string, std::string>> crds;  // (group, kind)
  std::set<std::string> namespaces;
};

Brought brought_by(const Plan& plan) {
  Brought out;
  for (const Step& step : plan.steps) {
    for (const PlannedResource& r : step.resources) {
      const std::string api_version = r.resource.api_version();
      if (is_namespace(api_version, r.resource.kind())) out.namespaces.insert(r.resource.name());
      if (is_crd(api_version, r.resource.kind())) {
        const auto spec = r.resource.object().value("spec", nlohmann::json::object());
        if (!spec.is_object()) continue;
        const auto names = spec.value("names", nlohmann::json::object());
        if (!names.is_object()) continue;
        out.crds.insert({spec.value("group", ""), names.value("kind", "")});
      }
    }
  }
  return out;
}

// A 422 the real write answers by deleting and re-creating the object.
bool recreated_on_rejection(const PlannedResource& r, const SyncOptions& live) {
  const wavesync::WriteMode mode = wavesync::write_mode(r.sync_options, live);
  if (mode == wavesync::WriteMode::force || mode == wavesync::WriteMode::replace_force) return true;
  return r.hook && r.hook->has_policy(DeletePolicy::before_hook_creation);
}

// Keeps the live object's sync options when they differ from the manifest's (the answer carries
// the live annotations the manifest does not set).
void note_live_options(DryRunAnswers& answers, const PlannedResource& r, const nlohmann::json& live) {
  SyncOptions options = live_sync_options(live);
  if (options.values != r.sync_options.values) answers.live_sync_options[&r] = std::move(options);
}

bool namespace_missing(const Error& error, const std::string& namespace_name) {
  return error.http_status == 404 && !namespace_name.empty() &&
         error.message.find("namespaces \"" + namespace_name + "\" not found") != std::string::npos;
}

}  // namespace

std::string describe(const ValidationFailure& failure) {
  return failure.planned->resource.source.file_line() + ": " + failure.id.str() + ": " + failure.message;
}

ValidationReport validate_plan(const Plan& plan, kube::Client& client, const ValidationOptions& options) {
  DryRunAnswers unused;
  return validate_plan(plan, client, options, unused);
}

ValidationReport validate_plan(const Plan& plan, kube::Client& client, const ValidationOptions& options,
                               DryRunAnswers& answers) {
  ValidationReport report;
  Brought brought = brought_by(plan);
  if (!options.created_namespace.empty()) brought.namespaces.insert(options.created_namespace);
  auto fail = [&](const PlannedResource& r, ObjectRef id, const Error& error) {
    if (error.exit_code == exit_code::k_cluster) report.exit_code = exit_code::k_cluster;
    std::string message = error.message;
    if (auto hint = immutable_hint(message)) message += "; hint: " + *hint;
    report.failures.push_back({&r, std::move(id), std::move(message)});
  };

  // 1. Discovery of every kind, once per kind (getSyncTasks' "check permissions" loop).
  std::map<std::pair<std::string, std::string>, Result<kube::ResourceType>> kinds;
  std::vector<Candidate> candidates;
  std::size_t planned_count = 0;
  for (const Step& step : plan.steps) planned_count += step.resources.size();
  candidates.reserve(planned_count);
  for (const Step& step : plan.steps) {
    for (const PlannedResource& r : step.resources) {
      ObjectRef id{r.resource.api_version(), r.resource.kind(), r.resource.namespace_name(), r.resource.name()};
      auto key = std::make_pair(id.api_version, id.kind);
      auto found = kinds.find(key);
      if (found == kinds.end()) found = kinds.emplace(key, client.resolve(id.api_version, id.kind)).first;
      const Result<kube::ResourceType>& type = found->second;
      if (!type) {
        if (brought.crds.count({group_of(id.api_version), id.kind}) != 0) {
          report.unchecked.push_back({&r, id, "its CustomResourceDefinition is created by this sync"});
        } else if (skip_dry_run_on_missing_resource(r.sync_options) && type.error().exit_code != exit_code::k_cluster) {
          report.unchecked.push_back({&r, id, "SkipDryRunOnMissingResource=true and the server does not serve " +
                                                  id.api_version + " " + id.kind});
        } else {
          fail(r, id, type.error());
        }
        continue;
      }
      candidates.push_back(Candidate{&r, id.name.empty(), !type->namespaced});
    }
  }
  if (report.exit_code == exit_code::k_cluster) return report;

  // 2. One dry run per object. Objects sharing options go in one concurrent call; Validate=false
  // ones are dry-run as they are written, without server-side apply (unvalidated_write.hpp).
  std::map<bool, std::vector<std::size_t>> batches;  // force -> candidates
  std::vector<std::size_t> unvalidated;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (c.create) continue;
    if (skips_field_validation(c.planned->sync_options)) {
      unvalidated.push_back(i);
      continue;
    }
    // Replace writes the whole object: no other manager's fields survive it anyway.
    const wavesync::WriteMode mode = wavesync::write_mode(c.planned->sync_options);
    const bool force = options.force_conflicts == kube::ForceConflicts::yes ||
                       (mode != wavesync::WriteMode::apply && mode != wavesync::WriteMode::force);
    batches[force].push_back(i);
  }
  std::unordered_map<std::size_t, Error> errors;  // by candidate; few, if any
  for (std::size_t i : unvalidated) {
    auto written = write_unvalidated(client, body_of(candidates[i]), kube::DryRun::all, options.field_manager);
    if (written) {
      note_live_options(answers, *candidates[i].planned, written->written.object);
    } else {
      errors.emplace(i, written.error());
    }
  }
  for (const auto& [force, members] : batches) {
    kube::ApplyOptions apply{kube::DryRun::all, force ? kube::ForceConflicts::yes : kube::ForceConflicts::no,
                             options.field_manager, kube::FieldValidation::strict};
    for (std::size_t first = 0; first < members.size(); first += k_dry_run_chunk) {
      const std::size_t end = std::min(members.size(), first + k_dry_run_chunk);
      std::vector<nlohmann::json> bodies;
      bodies.reserve(end - first);
      for (std::size_t k = first; k < end; ++k) bodies.push_back(body_of(candidates[members[k]]));
      auto results = client.apply(bodies, apply);
      for (std::size_t k = first; k < end; ++k) {
        auto& result = results[k - first];
        if (result) {
          note_live_options(answers, *candidates[members[k]].planned, result->object);
        } else {
          errors.emplace(members[k], result.error());
        }
      }
    }
  }
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!candidates[i].create) continue;
    auto created = client.create(body_of(candidates[i]), kube::DryRun::all);
    if (!created) errors.emplace(i, created.error());
  }

  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    auto failed = errors.find(i);
    if (failed == errors.end()) {
      ++report.checked;
      continue;
    }
    const Error& error = failed->second;
    const ObjectRef id = c.id();
    if (namespace_missing(error, id.namespace_name) && brought.namespaces.count(id.namespace_name) != 0) {
      report.unchecked.push_back({c.planned, id, "namespace " + id.namespace_name + " is created by this sync"});
      continue;
    }
    if (error.http_status == 422) {
      // A rejection carries no answer: the live object (if any) says whether it is Force=true.
      SyncOptions live;
      if (!c.create) {
        auto read = client.get(id);
        if (read && *read) {
          note_live_options(answers, *c.planned, **read);
          live = live_sync_options(**read);
        }
      }
      if (recreated_on_rejection(*c.planned, live)) {
        ++report.checked;
        continue;
      }
    }
    fail(*c.planned, id, error);
  }
  if (report.failures.empty() && report.unchecked.empty()) return report;
  // Discovery failures were found first; list everything in plan order.
  std::map<const PlannedResource*, std::size_t> position;
  for (const Step& step : plan.steps)
    for (const PlannedResource& r : step.resources) position.emplace(&r, position.size());
  std::stable_sort(report.failures.begin(), report.failures.end(),
                   [&](const auto& a, const auto& b) { return position[a.planned] < position[b.planned]; });
  std::stable_sort(report.unchecked.begin(), report.unchecked.end(),
                   [&](const auto& a, const auto& b) { return position[a.planned] < position[b.planned]; });
  if (report.exit_code == 0 && !report.failures.empty()) report.exit_code = exit_code::k_sync_failed;
  return report;
}

}  // namespace wavesync::engine
