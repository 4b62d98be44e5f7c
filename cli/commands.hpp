// Subcommand registration: one file per subcommand (CLI11's subcom_in_files pattern).
// Each `setup_*` adds its subcommand to `app` and sets `*exit_code` when it runs.
#pragma once

#include <CLI/CLI.hpp>

namespace wavesync::cli {

void setup_version(CLI::App& app, int* exit_code);
void setup_plan(CLI::App& app, int* exit_code);
void setup_apply(CLI::App& app, int* exit_code);
void setup_health(CLI::App& app, int* exit_code);
// `wavesync health test DIR`, a subcommand of `health`; returns it.
CLI::App* setup_health_test(CLI::App& health, int* exit_code);
void setup_status(CLI::App& app, int* exit_code);
void setup_diff(CLI::App& app, int* exit_code);
void setup_delete(CLI::App& app, int* exit_code);
void setup_completion(CLI::App& app, int* exit_code);

}  // namespace wavesync::cli
