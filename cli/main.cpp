// wavesync's entry point: builds the command line and wires real implementations.
#include "commands.hpp"
#include "signals.hpp"
#include "version.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <sys/resource.h>

int main(int argc, char** argv) {
  // A core file of this process may hold tokens, keys and Secret data: never write one.
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  wavesync::cli::install_signal_handlers();  // every command: Ctrl-C and SIGTERM end it cleanly
  CLI::App app{"wavesync: ordered, health-gated Kubernetes deploys by Argo CD sync waves"};
  app.set_version_flag("--version", std::string("wavesync ") + WAVESYNC_VERSION + " (" +
                                        WAVESYNC_GIT_REVISION + ")");
  app.require_subcommand(1);
  app.footer("Example:\n  wavesync apply ./manifests    # run `wavesync <command> --help` for each command");
  int exit_code = 0;
  wavesync::cli::setup_version(app, &exit_code);
  wavesync::cli::setup_plan(app, &exit_code);
  wavesync::cli::setup_apply(app, &exit_code);
  wavesync::cli::setup_health(app, &exit_code);
  wavesync::cli::setup_status(app, &exit_code);
  wavesync::cli::setup_diff(app, &exit_code);
  wavesync::cli::setup_delete(app, &exit_code);
  wavesync::cli::setup_completion(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "wavesync: error: {}\n", e.what());
    fmt::print(stderr, "run 'wavesync --help' for usage\n");
    return 2;
  }
  return exit_code;
}
