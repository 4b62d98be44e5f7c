#include "wavesync/engine/validation.hpp"

#include "wavesync/engine/apply_outcome.hpp"
#include "wavesync/engine/unvalidated_write.hpp"
#include "wavesync/engine/dry_run_answers.hpp"
#include "wavesync/plan/live_options.hpp"
#include "wavesync/plan/object_policy.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

namespace wavesync::engine {

namespace {

// Bodies are built when their dry run is sent, not kept for the whole plan: a plan of 100,000
// objects would otherwise hold every manifest twice more, and every answer, at once. For the same
// reason a candidate is a pointer, two flags and what became of it (its id is made when a message
// needs it), and answers are settled as they arrive: a first apply of 100,000 objects into
// namespaces the plan creates gets 100,000 "namespace not found" answers, none of which is kept.
enum class Settled : std::uint8_t {
  pending,               // not answered yet
  accepted,              // the server accepted the dry run
  failed,                // in `errors`
  crd_in_plan,           // not served; its CRD comes with this sync
  skip_missing_resource, // not served; SkipDryRunOnMissingResource=true
  namespace_in_plan,     // its namespace comes with this sync
};

struct Candidate {
  const PlannedResource* planned = nullptr;
  bool create = false;          // generateName only: a dry-run create
  bool drop_namespace = false;  // cluster-scoped: sent without metadata.namespace
  bool dry_run = false;         // served: sent to the server
  Settled settled = Settled::pending;

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

  // 1. Discovery of every kind, once per kind (getSyncTasks' "check permissions" loop). Every
  // object gets a candidate, in plan order, so the report comes out in plan order.
  std::map<std::pair<std::string, std::string>, Result<kube::ResourceType>> kinds;
  std::vector<Candidate> candidates;
  std::unordered_map<std::size_t, Error> errors;  // by candidate: failures only, few if any
  std::size_t planned_count = 0;
  for (const Step& step : plan.steps) planned_count += step.resources.size();
  candidates.reserve(planned_count);
  for (const Step& step : plan.steps) {
    for (const PlannedResource& r : step.resources) {
      const std::string& api_version = r.resource.api_version();
      const std::string& kind = r.resource.kind();
      auto key = std::make_pair(api_version, kind);
      auto found = kinds.find(key);
      if (found == kinds.end()) found = kinds.emplace(key, client.resolve(api_version, kind)).first;
      const Result<kube::ResourceType>& type = found->second;
      Candidate c{&r, r.resource.name().empty(), type && !type->namespaced, bool(type)};
      if (!type) {
        if (brought.crds.count({group_of(api_version), kind}) != 0) {
          c.settled = Settled::crd_in_plan;
        } else if (skip_dry_run_on_missing_resource(r.sync_options) && type.error().exit_code != exit_code::k_cluster) {
          c.settled = Settled::skip_missing_resource;
        } else {
          c.settled = Settled::failed;
          errors.emplace(candidates.size(), type.error());
          if (type.error().exit_code == exit_code::k_cluster) report.exit_code = exit_code::k_cluster;
        }
      }
      candidates.push_back(c);
    }
  }

  // 2. One dry run per object. Objects sharing options go in one concurrent call; Validate=false
  // ones are dry-run as they are written, without server-side apply (unvalidated_write.hpp).
  auto settle = [&](std::size_t i, Result<nlohmann::json> answer) {
    Candidate& c = candidates[i];
    if (answer) {
      c.settled = Settled::accepted;
      if (!c.create) note_live_options(answers, *c.planned, *answer);
      return;
    }
    static const std::string k_cluster_scoped;
    const std::string& namespace_name = c.drop_namespace ? k_cluster_scoped : c.planned->resource.namespace_name();
    if (namespace_missing(answer.error(), namespace_name) && brought.namespaces.count(namespace_name) != 0) {
      c.settled = Settled::namespace_in_plan;
      return;
    }
    c.settled = Settled::failed;
    errors.emplace(i, std::move(answer.error()));
  };
  if (report.exit_code != exit_code::k_cluster) {
    std::map<bool, std::vector<std::size_t>> batches;  // force -> candidates
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      const Candidate& c = candidates[i];
      if (!c.dry_run || c.create) continue;
      if (skips_field_validation(c.planned->sync_options)) {
        auto written = write_unvalidated(client, body_of(c), kube::DryRun::all, options.field_manager);
        if (written) {
          settle(i, std::move(written->written.object));
        } else {
          settle(i, written.error());
        }
        continue;
      }
      // Replace writes the whole object: no other manager's fields survive it anyway.
      const wavesync::WriteMode mode = wavesync::write_mode(c.planned->sync_options);
      const bool force = options.force_conflicts == kube::ForceConflicts::yes ||
                         (mode != wavesync::WriteMode::apply && mode != wavesync::WriteMode::force);
      batches[force].push_back(i);
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
        bodies.clear();
        for (std::size_t k = first; k < end; ++k) {
          auto& result = results[k - first];
          if (result) {
            settle(members[k], std::move(result->object));
          } else {
            settle(members[k], std::move(result.error()));
          }
        }
      }
    }
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      if (!candidates[i].dry_run || !candidates[i].create) continue;
      auto created = client.create(body_of(candidates[i]), kube::DryRun::all);
      if (created) {
        settle(i, nlohmann::json());
      } else {
        settle(i, created.error());
      }
    }
  }

  // 3. The report, in plan order.
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    switch (c.settled) {
      case Settled::pending: continue;  // not sent: the cluster could not be reached
      case Settled::accepted: ++report.checked; continue;
      case Settled::crd_in_plan:
        report.unchecked.push_back({c.planned, Unchecked::Reason::crd_in_plan});
        continue;
      case Settled::skip_missing_resource:
        report.unchecked.push_back({c.planned, Unchecked::Reason::skip_missing_resource});
        continue;
      case Settled::namespace_in_plan:
        report.unchecked.push_back({c.planned, Unchecked::Reason::namespace_in_plan});
        continue;
      case Settled::failed: break;
    }
    const Error& error = errors.at(i);
    const ObjectRef id = c.id();
    if (c.dry_run && error.http_status == 422) {
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
    if (error.exit_code == exit_code::k_cluster) report.exit_code = exit_code::k_cluster;
    std::string message = error.message;
    if (auto hint = immutable_hint(message)) message += "; hint: " + *hint;
    report.failures.push_back({c.planned, id, std::move(message)});
  }
  if (report.exit_code == 0 && !report.failures.empty()) report.exit_code = exit_code::k_sync_failed;
  return report;
}

std::string Unchecked::why() const {
  const Resource& r = planned->resource;
  switch (reason) {
    case Reason::crd_in_plan: return "its CustomResourceDefinition is created by this sync";
    case Reason::skip_missing_resource:
      return "SkipDryRunOnMissingResource=true and the server does not serve " + r.api_version() + " " + r.kind();
    case Reason::namespace_in_plan: return "namespace " + r.namespace_name() + " is created by this sync";
  }
  return {};
}

}  // namespace wavesync::engine
