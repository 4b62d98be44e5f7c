#include "wavesync/output/delete_hooks.hpp"

#include "wavesync/engine/live_view.hpp"
#include "wavesync/health/health.hpp"
#include "wavesync/hooks/hook_annotations.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <memory>
#include <set>
#include <tuple>

namespace wavesync::output {

namespace {

constexpr std::chrono::milliseconds k_poll{1000};

kube::ObjectRef ref_of_id(const engine::ObjectId& id) {
  return kube::ObjectRef{id.api_version, id.kind, id.namespace_name, id.name};
}

engine::ObjectId id_of_object(const nlohmann::json& object) {
  const nlohmann::json meta = object.value("metadata", nlohmann::json::object());
  return engine::ObjectId{object.value("apiVersion", ""), object.value("kind", ""), meta.value("namespace", ""),
                          meta.value("name", "")};
}

std::string label(const DeleteHook& hook) {
  const Resource& r = hook.resource;
  const std::string name = r.name().empty() ? r.generate_name() : r.name();
  return engine::ObjectId{r.api_version(), r.kind(), r.namespace_name(), name}.str();
}

int exit_of(const Error& error) {
  return error.exit_code == exit_code::k_cluster ? exit_code::k_cluster : exit_code::k_sync_failed;
}

// Wakes a waiting loop when anything in the hooks' collections changes (one watch), at the latest
// after k_poll; the loop reads the hooks again either way, so a watch that breaks only slows it.
class Waker {
 public:
  Waker(kube::Client& client, const std::vector<engine::ObjectId>& ids) {
    std::vector<kube::WatchRequest> requests;
    std::set<std::tuple<std::string, std::string, std::string>> seen;
    for (const engine::ObjectId& id : ids)
      if (seen.insert({id.api_version, id.kind, id.namespace_name}).second) requests.push_back(engine::collection_of(id));
    if (requests.empty()) return;
    if (auto watch = client.watch(requests)) watch_ = std::move(*watch);
  }
  // False once `deadline` has passed.
  bool wait(engine::Clock& clock, engine::TimePoint deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock.now());
    if (left.count() <= 0) return false;
    const auto until = std::min(left, k_poll);
    if (watch_) {
      if (watch_->next(until)) return true;
      watch_.reset();
    }
    clock.sleep_for(until);
    return true;
  }

 private:
  std::unique_ptr<kube::Watch> watch_;
};

}  // namespace

std::string_view delete_hook_type_name(DeleteHookType type) {
  return type == DeleteHookType::pre_delete ? "PreDelete" : "PostDelete";
}

std::vector<DeleteHook> delete_hooks_of(const Plan& plan, DeleteHookType type) {
  std::vector<const Resource*> found;
  auto consider = [&](const Resource& r) {
    const DeleteHookTypes types = read_delete_hook(r);
    if (!(type == DeleteHookType::pre_delete ? types.pre_delete : types.post_delete)) return;
    // A hook of several sync phases sits in the plan once per phase.
    const auto same = [&](const Resource* f) { return f->key() == r.key() && f->generate_name() == r.generate_name(); };
    if (std::find_if(found.begin(), found.end(), same) == found.end()) found.push_back(&r);
  };
  for (const Step& step : plan.steps)
    for (const PlannedResource& p : step.resources) consider(p.resource);
  for (const Resource& r : plan.unapplied) consider(r);
  std::stable_sort(found.begin(), found.end(), [](const Resource* a, const Resource* b) {
    return a->source < b->source;
  });
  std::vector<DeleteHook> out;
  for (const Resource* r : found) {
    HookReading reading = read_hook(*r);
    std::vector<DeletePolicy> policies;
    if (reading.hook) policies = reading.hook->delete_policies;
    if (policies.empty()) policies.push_back(DeletePolicy::before_hook_creation);
    out.push_back(DeleteHook{*r, std::move(policies)});
  }
  return out;
}

std::string format_delete_hooks(const std::vector<DeleteHook>& hooks, DeleteHookType type) {
  if (hooks.empty()) return {};
  std::string out = fmt::format("{} hooks\n", delete_hook_type_name(type));
  for (const DeleteHook& hook : hooks)
    out += fmt::format("  would create {} ({})\n", label(hook), hook.resource.source.file_line());
  return out;
}

DeleteHooksRun run_delete_hooks(const std::vector<DeleteHook>& hooks, DeleteHookType type, kube::Client& client,
                                engine::Clock& clock, engine::TimePoint deadline,
                                const std::function<void(const std::string&)>& log) {
  DeleteHooksRun run;
  if (hooks.empty()) return run;
  const std::string_view type_name = delete_hook_type_name(type);
  log(fmt::format("{} hooks: creating {}", type_name, hooks.size()));
  for (const DeleteHook& hook : hooks) {
    nlohmann::json body = hook.resource.object;
    auto kind = client.resolve(hook.resource.api_version(), hook.resource.kind());
    if (!kind) {
      run.problems.push_back(fmt::format("{} hook {}: {}", type_name, label(hook), kind.error().message));
      run.exit_code = exit_of(kind.error());
      return run;
    }
    if (!kind->namespaced && body.contains("metadata") && body["metadata"].is_object())
      body["metadata"].erase("namespace");
    // Argo CD creates (never applies) deletion hooks; one that already exists is left as it is.
    auto created = client.create(body, kube::DryRun::none);
    if (created) {
      run.hooks.push_back(id_of_object(created->object));
      log(fmt::format("  {}: created", run.hooks.back().str()));
      continue;
    }
    if (created.error().http_status == 409 && !hook.resource.name().empty()) {
      run.hooks.push_back(id_of_object(body));
      log(fmt::format("  {}: exists, not created again", run.hooks.back().str()));
      continue;
    }
    run.problems.push_back(fmt::format("{} hook {}: {}", type_name, label(hook), created.error().message));
    run.exit_code = exit_of(created.error());
    return run;
  }

  // Argo CD counts only Progressing hooks as unfinished; Degraded fails, anything else passes.
  const health::Options options{health::ConditionsRule::annotated_only, health::Role::hook};
  Waker waker(client, run.hooks);
  while (true) {
    std::vector<engine::ObjectId> failed;
    std::vector<std::string> waiting;
    run.all_healthy = true;
    for (const engine::ObjectId& id : run.hooks) {
      auto live = client.get(ref_of_id(id));
      if (!live) {
        run.problems.push_back(fmt::format("{} hook {}: {}", type_name, id.str(), live.error().message));
        run.exit_code = exit_of(live.error());
        return run;
      }
      if (!*live) continue;  // gone (a TTL after finishing): not waited for, as in Argo CD
      const std::optional<health::Health> h = health::assess(**live, options);
      const health::Status status = h ? h->status : health::Status::healthy;
      if (status != health::Status::healthy) run.all_healthy = false;
      if (status == health::Status::degraded) {
        failed.push_back(id);
      } else if (status == health::Status::progressing) {
        waiting.push_back(id.str() + (h->message.empty() ? "" : ": " + h->message));
      }
    }
    if (!failed.empty()) {
      std::string names;
      for (const engine::ObjectId& id : failed) {
        names += (names.empty() ? "" : ", ") + id.namespace_name + (id.namespace_name.empty() ? "" : "/") + id.name;
        // Deleted so that the next attempt creates it again, with whatever was fixed.
        auto removed = client.remove(ref_of_id(id), kube::Propagation::background);
        log(fmt::format("  {}: Degraded, {}", id.str(),
                        removed ? std::string("deleted") : "delete failed: " + removed.error().message));
      }
      run.problems.push_back(fmt::format("{} hook(s) failed: {}", type_name, names));
      run.exit_code = exit_code::k_sync_failed;
      return run;
    }
    if (waiting.empty()) break;
    if (!waker.wait(clock, deadline)) {
      for (const std::string& w : waiting)
        run.problems.push_back(fmt::format("{} hook {} is still Progressing (--timeout)", type_name, w));
      run.exit_code = exit_code::k_timeout;
      return run;
    }
  }
  log(fmt::format("{} hooks: done", type_name));
  return run;
}

DeleteHooksRun remove_delete_hooks(const std::vector<engine::ObjectId>& hooks, kube::Propagation propagation,
                                   kube::Client& client, engine::Clock& clock, engine::TimePoint deadline,
                                   const std::function<void(const std::string&)>& log) {
  DeleteHooksRun run;
  Waker waker(client, hooks);
  std::vector<engine::ObjectId> waiting;
  for (const engine::ObjectId& id : hooks) {
    auto removed = client.remove(ref_of_id(id), propagation);
    if (!removed) {
      run.problems.push_back(removed.error().message);
      run.exit_code = exit_of(removed.error());
      return run;
    }
    log(fmt::format("  {}: deleting", id.str()));
    waiting.push_back(id);
  }
  while (true) {
    std::erase_if(waiting, [&](const engine::ObjectId& id) {
      auto live = client.get(ref_of_id(id));
      const bool gone = live && !*live;
      if (gone) log(fmt::format("  {}: gone", id.str()));
      return gone;
    });
    if (waiting.empty()) return run;
    if (!waker.wait(clock, deadline)) break;
  }
  for (const engine::ObjectId& id : waiting) run.problems.push_back(id.str() + " is still present (--timeout)");
  run.exit_code = exit_code::k_timeout;
  return run;
}

DeleteHooksRun clean_up_delete_hooks(const std::vector<DeleteHook>& hooks, const DeleteHooksRun& ran,
                                     kube::Client& client, engine::Clock& clock, engine::TimePoint deadline,
                                     const std::function<void(const std::string&)>& log) {
  if (!ran.all_healthy) return {};
  std::vector<engine::ObjectId> deleting;
  for (std::size_t i = 0; i < hooks.size() && i < ran.hooks.size(); ++i) {
    const auto& policies = hooks[i].policies;
    if (std::find(policies.begin(), policies.end(), DeletePolicy::hook_succeeded) != policies.end())
      deleting.push_back(ran.hooks[i]);
  }
  // Argo CD sends no propagation policy here; background is the API's default for most kinds
  // and, unlike a Job's default (orphan), takes the hook's Pods with it.
  return remove_delete_hooks(deleting, kube::Propagation::background, client, clock, deadline, log);
}

}  // namespace wavesync::output
