#include "wavesync/output/deletion.hpp"

#include "wavesync/engine/hook_finalizer.hpp"
#include "wavesync/engine/live_view.hpp"
#include "wavesync/hooks/hook_finalizer.hpp"
#include "wavesync/plan/live_options.hpp"
#include "wavesync/output/format.hpp"
#include "wavesync/output/run_record.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace wavesync::output {

using nlohmann::json;

std::vector<DeleteStep> plan_deletion(const Plan& plan, CrdDeletion crds) {
  std::vector<DeleteStep> out;
  for (auto step = plan.steps.rbegin(); step != plan.steps.rend(); ++step) {
    if (step->phase == Phase::sync_fail) continue;
    DeleteStep d{step->phase, step->wave, {}, {}};
    for (auto r = step->resources.rbegin(); r != step->resources.rend(); ++r) {
      // A hook with only generateName has a new name every sync: there is no name to delete.
      if (r->resource.name().empty()) continue;
      const engine::ObjectId id = id_of(*r);
      const DeleteVerdict verdict = delete_verdict(*r, crds);
      if (verdict.decision == DeleteDecision::keep) {
        d.kept.push_back({id, r->resource.source, verdict.reason});
      } else {
        d.targets.push_back({id, r->resource.source, verdict.decision == DeleteDecision::confirm});
      }
    }
    if (!d.targets.empty() || !d.kept.empty()) out.push_back(std::move(d));
  }
  return out;
}

std::string format_deletion_plan(const std::vector<DeleteStep>& steps) {
  std::string out;
  std::size_t n = 0;
  for (const DeleteStep& s : steps) {
    out += step_label(s.phase, s.wave) + "\n";
    for (const DeleteTarget& t : s.targets) {
      out += fmt::format("  would delete {} ({})\n", t.id.str(), t.source.file_line());
      ++n;
    }
    for (const KeptObject& k : s.kept) out += fmt::format("  keep {} ({})\n", k.id.str(), k.reason);
  }
  out += fmt::format("{} object{} would be deleted (dry run)\n", n, n == 1 ? "" : "s");
  return out;
}

Result<std::vector<engine::ObjectId>> confirmations_on_live_objects(const std::vector<DeleteStep>& steps,
                                                                   kube::Client& client) {
  std::map<std::tuple<std::string, std::string, std::string>, std::set<std::string>> asking;  // collection -> names
  std::set<std::tuple<std::string, std::string, std::string>> listed;
  std::vector<engine::ObjectId> out;
  for (const DeleteStep& step : steps) {
    for (const DeleteTarget& t : step.targets) {
      if (t.needs_confirmation) continue;
      const auto collection = std::make_tuple(t.id.api_version, t.id.kind, t.id.namespace_name);
      if (listed.insert(collection).second) {
        kube::WatchRequest request = engine::collection_of(t.id);
        request.metadata_only = true;
        auto items = client.list(request);
        if (!items) return items.error();
        const auto found = items->find("items");
        if (found != items->end() && found->is_array()) {
          for (const json& item : *found) {
            if (!delete_needs_confirmation(item)) continue;
            const auto meta = item.find("metadata");
            if (meta != item.end() && meta->is_object()) asking[collection].insert(meta->value("name", ""));
          }
        }
      }
      if (asking[collection].count(t.id.name) != 0) out.push_back(t.id);
    }
  }
  return out;
}

namespace {

kube::ObjectRef ref_of_id(const engine::ObjectId& id) {
  return kube::ObjectRef{id.api_version, id.kind, id.namespace_name, id.name};
}

// Why an object that should be gone is still there: its finalizers, read from the server.
std::string stuck_reason(kube::Client& client, const engine::ObjectId& id) {
  auto live = client.get(ref_of_id(id));
  if (!live) return live.error().message;
  if (!*live) return "gone";
  const json& m = (**live)["metadata"];
  std::string out = m.contains("deletionTimestamp") ? "being deleted since " + m["deletionTimestamp"].get<std::string>()
                                                    : std::string("not marked for deletion");
  std::vector<std::string> finalizers;
  if (m.contains("finalizers") && m["finalizers"].is_array())
    for (const json& f : m["finalizers"]) finalizers.push_back(f.get<std::string>());
  if (id.kind == "Namespace") {
    const json* spec = (**live).contains("spec") ? &(**live)["spec"] : nullptr;
    if (spec != nullptr && spec->contains("finalizers"))
      for (const json& f : (*spec)["finalizers"]) finalizers.push_back(f.get<std::string>());
  }
  if (!finalizers.empty()) {
    out += ", waiting on finalizers: ";
    for (std::size_t i = 0; i < finalizers.size(); ++i) out += (i == 0 ? "" : ", ") + finalizers[i];
  }
  return out;
}

bool same_object(const engine::ObjectId& id, const json& o) {
  if (!o.is_object() || !o.contains("metadata")) return false;
  const json& m = o["metadata"];
  if (m.value("name", "") != id.name || m.value("namespace", "") != id.namespace_name) return false;
  return !o.contains("kind") || o["kind"] == id.kind;
}

}  // namespace

DeleteResult run_deletion(const std::vector<DeleteStep>& steps, kube::Client& client, engine::Clock& clock,
                          const DeleteOptions& options, const std::function<void(const std::string&)>& log) {
  DeleteResult result;
  const engine::TimePoint deadline = options.deadline ? *options.deadline : clock.now() + options.timeout;
  for (const DeleteStep& step : steps) {
    for (const KeptObject& k : step.kept) log(fmt::format("  keep {} ({})", k.id.str(), k.reason));
    if (step.targets.empty()) continue;
    const engine::TimePoint step_start = clock.now();
    log(fmt::format("{}: deleting {} object{}", step_label(step.phase, step.wave), step.targets.size(),
                    step.targets.size() == 1 ? "" : "s"));
    // Watch first, so no deletion after our request can be missed.
    std::vector<kube::WatchRequest> requests;
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (const DeleteTarget& t : step.targets)
      if (seen.insert({t.id.api_version, t.id.kind, t.id.namespace_name}).second)
        requests.push_back(engine::collection_of(t.id));
    auto watch = client.watch(requests);
    if (!watch) {
      result.problems.push_back(watch.error().message);
      result.exit_code = watch.error().exit_code == exit_code::k_cluster ? exit_code::k_cluster : exit_code::k_sync_failed;
      return result;
    }
    std::vector<engine::ObjectId> pending;
    for (const DeleteTarget& t : step.targets) {
      auto live = client.get(ref_of_id(t.id));
      if (!live && live.error().http_status != 404) {
        result.problems.push_back(live.error().message);
        result.exit_code = live.error().exit_code == exit_code::k_cluster ? exit_code::k_cluster : exit_code::k_sync_failed;
        if (result.exit_code == exit_code::k_cluster) return result;
        continue;
      }
      if (!live || !*live) {
        log(fmt::format("  {}: not found", t.id.str()));
        ++result.absent;
        continue;
      }
      // Argo CD decides on the live object's annotations (shouldBeDeleted); the manifest's were
      // read by plan_deletion.
      if (auto kept = kept_by_live_object(**live)) {
        log(fmt::format("  keep {} ({})", t.id.str(), *kept));
        continue;
      }
      // A hook Argo CD left carries its hook finalizer, which would hold the deletion forever.
      Result<void> removed = hook_finalizer_removal(**live)
                                 ? engine::remove_hook_finalizer(client, ref_of_id(t.id), **live)
                                 : Result<void>{};
      // Foreground: the object stays until its dependents (a Deployment's Pods) are gone, so the
      // step is really empty when we move on.
      if (removed) removed = client.remove(ref_of_id(t.id), kube::Propagation::foreground);
      if (!removed) {
        log(fmt::format("  {}: delete failed: {}", t.id.str(), removed.error().message));
        result.problems.push_back(removed.error().message);
        result.exit_code = removed.error().exit_code == exit_code::k_cluster ? exit_code::k_cluster
                                                                             : exit_code::k_sync_failed;
        if (result.exit_code == exit_code::k_cluster) return result;
        continue;
      }
      log(fmt::format("  {}: deleting", t.id.str()));
      pending.push_back(t.id);
    }
    // Those already gone by now need no event.
    std::erase_if(pending, [&](const engine::ObjectId& id) {
      auto live = client.get(ref_of_id(id));
      const bool gone = live && !*live;
      if (gone) {
        log(fmt::format("  {}: gone", id.str()));
        ++result.deleted;
      }
      return gone;
    });
    while (!pending.empty()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock.now());
      if (left.count() <= 0) break;
      auto event = (*watch)->next(std::min(left, std::chrono::milliseconds(1000)));
      if (!event) {
        result.problems.push_back(event.error().message);
        result.exit_code = event.error().exit_code == exit_code::k_cluster ? exit_code::k_cluster : exit_code::k_sync_failed;
        return result;
      }
      if (!*event || (*event)->type != kube::WatchEvent::Type::deleted) continue;
      std::erase_if(pending, [&](const engine::ObjectId& id) {
        if (!same_object(id, (*event)->object)) return false;
        log(fmt::format("  {}: gone", id.str()));
        ++result.deleted;
        return true;
      });
    }
    if (!pending.empty()) {
      for (const engine::ObjectId& id : pending) {
        result.problems.push_back(fmt::format("{} is still present after {} (--timeout): {}", id.str(),
                                              format_duration(options.timeout), stuck_reason(client, id)));
      }
      result.exit_code = exit_code::k_timeout;
      return result;
    }
    log(fmt::format("{}: gone in {}", step_label(step.phase, step.wave),
                    format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - step_start))));
  }
  return result;
}

}  // namespace wavesync::output
