// `wavesync completion bash|zsh|fish`: prints a completion script generated from the CLI's own
// definitions. Two hidden helpers serve the scripts and the build: `__complete KIND` lists
// kubeconfig context, cluster or user names; `__man` prints the man page.
#include "cli_spec.hpp"
#include "commands.hpp"
#include "version.hpp"

#include "wavesync/kube/kubeconfig.hpp"

#include <fmt/core.h>

#include <memory>

namespace wavesync::cli {
namespace {

// Keep in step with the README's "Exit codes" table.
const std::vector<ExitCodeDoc>& documented_exit_codes() {
  static const std::vector<ExitCodeDoc> codes = {
      {"0", "success"},
      {"1", "the sync failed (a resource turned Degraded, a hook failed); diff: differences found"},
      {"2", "usage error or bad manifest (the message names file:line:col)"},
      {"3", "timeout"},
      {"4", "cluster unreachable or unauthorised (never an object the server rejects: that is 1)"},
      {"5", "held for confirmation: Prune=confirm or Delete=confirm objects would be deleted and no "
            "one confirmed (--confirm-prune, --confirm-delete); nothing was changed"},
      {"130, 143", "interrupted by SIGINT, SIGTERM"},
  };
  return codes;
}

struct CompleteArgs {
  std::string kind;
  std::string kubeconfig;
};

}  // namespace

void setup_completion(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("completion", "Print a shell completion script (bash, zsh or fish)");
  auto shell = std::make_shared<std::string>();
  cmd->add_option("shell", *shell, "The shell")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->footer(
      "Examples:\n"
      "  source <(wavesync completion bash)                      # this bash session\n"
      "  wavesync completion zsh > \"${fpath[1]}/_wavesync\"       # zsh, from the next shell\n"
      "  wavesync completion fish > ~/.config/fish/completions/wavesync.fish\n"
      "Installed packages put them in place already (share/bash-completion, share/zsh, share/fish).");
  cmd->callback([&app, shell, exit_code] {
    const CliSpec spec = read_cli_spec(app);
    if (*shell == "bash") fmt::print("{}", bash_completion(spec));
    if (*shell == "zsh") fmt::print("{}", zsh_completion(spec));
    if (*shell == "fish") fmt::print("{}", fish_completion(spec));
    *exit_code = 0;
  });

  auto* man = app.add_subcommand("__man", "Print the man page (used by the build)");
  man->group("");
  man->callback([&app, exit_code] {
    fmt::print("{}", man_page(read_cli_spec(app), documented_exit_codes(), WAVESYNC_VERSION));
    *exit_code = 0;
  });

  auto* complete = app.add_subcommand("__complete", "List kubeconfig names for completion");
  complete->group("");
  auto args = std::make_shared<CompleteArgs>();
  complete->add_option("kind", args->kind)->required()->check(CLI::IsMember({"contexts", "clusters", "users"}));
  complete->add_option("--kubeconfig", args->kubeconfig);
  complete->callback([args, exit_code] {
    // Completion must never print an error into the user's command line: on any problem,
    // offer nothing.
    auto names = kube::kubeconfig_names(kube::ConfigSources::from_environment(args->kubeconfig));
    *exit_code = 0;
    if (!names) return;
    const auto& list = args->kind == "contexts"   ? names->contexts
                       : args->kind == "clusters" ? names->clusters
                                                  : names->users;
    for (const auto& n : list) fmt::print("{}\n", n);
  });
}

}  // namespace wavesync::cli
