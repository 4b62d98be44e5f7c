// Running a renderer (kustomize, kubectl kustomize, helm) as a child process: no shell, the
// argument vector as given, stdout and stderr captured up to a bound, a time limit. The one
// boundary between render/ and the operating system's processes; tests use a fake runner.
#pragma once

#include "wavesync/model/result.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace wavesync::render {

struct Command {
  std::vector<std::string> argv;  // argv[0] is a path or a name looked up in PATH
  std::string dir;                // working directory; empty: the current one
};

// `kustomize build /repo/app` as one line for messages; arguments with spaces are quoted.
std::string command_line(const Command& command);

struct ProcessOutput {
  int exit_status = 0;  // the exit code, or 128 + the signal that ended it
  std::string out;      // stdout
  std::string err;      // stderr (its last k_max_stderr_bytes when longer)
};

inline constexpr std::size_t k_max_stderr_bytes = 64u << 10;

struct ProcessLimits {
  std::size_t max_stdout_bytes = 256u << 20;  // what a render may print: 256 MiB
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // The absolute path of `name` in PATH, or nullopt when it is not there (or not executable).
  [[nodiscard]] virtual std::optional<std::string> find_program(const std::string& name) const = 0;
  // Runs `command` to its end. A failure to start it, more stdout than the limit or a run over
  // the time limit (the child is then killed) is an Error; a non-zero exit is not.
  [[nodiscard]] virtual Result<ProcessOutput> run(const Command& command) = 0;
};

// Real processes (posix_spawn); blocks the calling thread until the child has ended.
class SystemProcessRunner final : public ProcessRunner {
 public:
  explicit SystemProcessRunner(ProcessLimits limits = {}) : limits_(limits) {}
  [[nodiscard]] std::optional<std::string> find_program(const std::string& name) const override;
  [[nodiscard]] Result<ProcessOutput> run(const Command& command) override;

 private:
  ProcessLimits limits_;
};

}  // namespace wavesync::render
