// Renders a Plan as the aligned text `wavesync plan` prints: one block per (phase, wave)
// step, resources in apply order. Pure; warnings are not included (the CLI prints them).
#pragma once

#include "wavesync/plan/plan.hpp"

#include <string>

namespace wavesync {

std::string plan_to_text(const Plan& plan);

}  // namespace wavesync
