// A ProcessRunner that runs nothing: programs "on PATH" are a set of names, every run is
// recorded as its command line and answered from a queue of outputs (else exit 0, no output).
// It does not model working directories, environment, time limits or output bounds.
#pragma once

#include "wavesync/render/process.hpp"

#include <deque>
#include <functional>
#include <set>
#include <string>
#include <vector>

namespace wavesync::fakes {

class FakeProcessRunner final : public render::ProcessRunner {
 public:
  std::set<std::string> programs;                 // names find_program finds, as `/bin/<name>`
  std::deque<render::ProcessOutput> outputs;      // answers, in order
  std::vector<render::Command> commands;          // what ran, in order
  std::function<void(const render::Command&)> on_run;  // called during each run (to look at files)

  [[nodiscard]] std::optional<std::string> find_program(const std::string& name) const override {
    if (programs.count(name) == 0) return std::nullopt;
    return "/bin/" + name;
  }
  [[nodiscard]] Result<render::ProcessOutput> run(const render::Command& command) override {
    commands.push_back(command);
    if (on_run) on_run(command);
    if (outputs.empty()) return render::ProcessOutput{};
    render::ProcessOutput out = outputs.front();
    outputs.pop_front();
    return out;
  }
};

}  // namespace wavesync::fakes
