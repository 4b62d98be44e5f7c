#include "wavesync/output/delete_plan_text.hpp"

#include "wavesync/output/format.hpp"

#include <fmt/core.h>

namespace wavesync::output {

std::string format_deletion_plan(const std::vector<engine::DeleteStep>& steps) {
  std::string out;
  std::size_t n = 0;
  for (const engine::DeleteStep& s : steps) {
    out += step_label(s.phase, s.wave) + "\n";
    for (const engine::DeleteTarget& t : s.targets) {
      out += fmt::format("  would delete {} ({})\n", t.id.str(), t.source.file_line());
      ++n;
    }
    for (const engine::KeptObject& k : s.kept) out += fmt::format("  keep {} ({})\n", k.id.str(), k.reason);
  }
  out += fmt::format("{} object{} would be deleted (dry run)\n", n, n == 1 ? "" : "s");
  return out;
}

std::string format_delete_hooks(const std::vector<engine::DeleteHook>& hooks, Phase phase) {
  if (hooks.empty()) return {};
  std::string out = fmt::format("{} hooks\n", phase_name(phase));
  for (const engine::DeleteHook& hook : hooks)
    out += fmt::format("  would create {} ({})\n", engine::planned_id(hook).str(), hook.resource.source.file_line());
  return out;
}

std::string format_delete_plan(const engine::DeletePlan& plan) {
  return format_delete_hooks(plan.pre_delete, Phase::pre_delete) + format_deletion_plan(plan.steps) +
         format_delete_hooks(plan.post_delete, Phase::post_delete);
}

}  // namespace wavesync::output
