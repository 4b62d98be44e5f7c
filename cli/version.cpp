#include "commands.hpp"
#include "version.hpp"

#include <fmt/core.h>

namespace wavesync::cli {

void setup_version(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("version", "Print the version and git revision");
  cmd->footer("Example:\n  wavesync version    # same as wavesync --version");
  cmd->callback([exit_code] {
    fmt::print("wavesync {} ({})\n", WAVESYNC_VERSION, WAVESYNC_GIT_REVISION);
    *exit_code = 0;
  });
}

}  // namespace wavesync::cli
