#include "wavesync/plan/plan_text.hpp"

#include <algorithm>
#include <array>

namespace wavesync {
namespace {

struct Row {
  std::array<std::string, 4> cells;  // kind, namespace/name, hook, source
};

Row make_row(const PlannedResource& planned) {
  const Resource& r = planned.resource;
  std::string name = r.name();
  if (name.empty()) name.append(r.generate_name()).push_back('*');
  std::string where = r.namespace_name();
  if (!where.empty()) where.push_back('/');
  where.append(name);
  std::string hook;
  if (planned.hook) {
    // Appends rather than operator+: GCC 12 at -O3 reports a false -Wrestrict on the latter.
    hook.append("hook ");
    for (std::size_t i = 0; i < planned.hook->phases.size(); ++i) {
      if (i > 0) hook.push_back(',');
      hook.append(phase_name(planned.hook->phases[i]));
    }
    hook.append(" delete=");
    for (std::size_t i = 0; i < planned.hook->delete_policies.size(); ++i) {
      if (i > 0) hook.push_back(',');
      hook.append(delete_policy_name(planned.hook->delete_policies[i]));
    }
  }
  return Row{{r.kind(), where, hook, r.source.file_line()}};
}

}  // namespace

std::string plan_to_text(const Plan& plan) {
  std::vector<std::vector<Row>> blocks;
  std::array<std::size_t, 4> width{};
  std::size_t count = 0;
  for (const Step& step : plan.steps) {
    auto& rows = blocks.emplace_back();
    for (const PlannedResource& planned : step.resources) {
      rows.push_back(make_row(planned));
      for (std::size_t c = 0; c < 4; ++c) width[c] = std::max(width[c], rows.back().cells[c].size());
      ++count;
    }
  }
  std::string out;
  for (std::size_t s = 0; s < plan.steps.size(); ++s) {
    const Step& step = plan.steps[s];
    out += std::string(phase_name(step.phase)) + " wave " + std::to_string(step.wave) + "\n";
    for (const Row& row : blocks[s]) {
      std::string line = "  ";
      for (std::size_t c = 0; c < 4; ++c) {
        if (width[c] == 0) continue;
        line += row.cells[c];
        if (c < 3) line += std::string(width[c] - row.cells[c].size() + 2, ' ');
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }
  }
  out += std::to_string(plan.steps.size()) + (plan.steps.size() == 1 ? " step, " : " steps, ") +
         std::to_string(count) + (count == 1 ? " resource" : " resources") + "\n";
  return out;
}

}  // namespace wavesync
