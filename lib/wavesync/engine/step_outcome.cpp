#include "wavesync/engine/step_outcome.hpp"

namespace wavesync::engine::detail {

StepOutcome StepOutcome::failed(std::string text) {
  StepOutcome out;
  out.stop = Stop::failed;
  out.reasons.push_back(Reason{std::nullopt, std::move(text)});
  return out;
}

void StepOutcome::merge(StepOutcome later) {
  if (stop == Stop::none) stop = later.stop;
  for (Reason& reason : later.reasons) reasons.push_back(std::move(reason));
  if (!timeout) timeout = std::move(later.timeout);
  if (later.exit_class == ExitClass::cluster) exit_class = ExitClass::cluster;
}

StepOutcome StepOutcome::failed(const Error& error) {
  StepOutcome out = failed(error.message);
  out.note(error);
  return out;
}

void StepOutcome::note(const Error& error) {
  if (error.exit_code == exit_code::k_cluster) exit_class = ExitClass::cluster;
}

int StepOutcome::failure_exit_code() const {
  return exit_class == ExitClass::cluster ? exit_code::k_cluster : exit_code::k_sync_failed;
}

StepOutcome outcome_of(const Result<WaitEnd>& end) {
  StepOutcome out;
  if (!end) {
    out = StepOutcome::failed("watch: " + end.error().message);
    out.note(end.error());
    return out;
  }
  switch (*end) {
    case WaitEnd::satisfied: break;
    case WaitEnd::timed_out: out.stop = Stop::timed_out; break;
    case WaitEnd::interrupted: out.stop = Stop::interrupted; break;
  }
  return out;
}

std::vector<std::string> texts_of(const std::vector<Reason>& reasons) {
  std::vector<std::string> out;
  out.reserve(reasons.size());
  for (const Reason& reason : reasons) out.push_back(reason.text);
  return out;
}

}  // namespace wavesync::engine::detail
