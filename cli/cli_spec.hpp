// The command line as plain data, read from the CLI11 definitions themselves, and the texts
// generated from it: shell completions (bash, zsh, fish) and the man page. Generating them
// from the same `CLI::App` that parses the arguments is what keeps them from drifting.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace wavesync::cli {

// What a shell should offer for an option's value.
enum class ValueCompletion {
  none,      // a flag, or a number
  choices,   // one of `choices` (from a CLI::IsMember check)
  file,      // a path
  contexts,  // a context name from the kubeconfig
  clusters,  // a cluster name from the kubeconfig
  users,     // a user name from the kubeconfig
};

struct OptionSpec {
  std::vector<std::string> long_names;   // without the leading `--`
  std::vector<std::string> short_names;  // without the leading `-`
  std::string description;
  std::string value_name;  // `TEXT`, `INT`, ...; empty for a flag
  bool takes_value = false;
  bool repeatable = false;
  ValueCompletion completion = ValueCompletion::none;
  std::vector<std::string> choices;
  std::string default_value;
};

struct CommandSpec {
  std::string name;  // empty for the top-level program
  std::string description;
  std::string footer;
  std::vector<OptionSpec> options;
  std::string positional_name;  // empty when the command takes no positional arguments
  std::string positional_description;
};

struct CliSpec {
  std::string program;
  CommandSpec top;
  std::vector<CommandSpec> commands;  // visible subcommands, in definition order
};

// Reads `app` and its visible subcommands (those with a non-empty group).
CliSpec read_cli_spec(const CLI::App& app);

std::string bash_completion(const CliSpec& spec);
std::string zsh_completion(const CliSpec& spec);
std::string fish_completion(const CliSpec& spec);

// One exit code the program documents.
struct ExitCodeDoc {
  std::string code;
  std::string meaning;
};

// A man(7) page: NAME, SYNOPSIS, DESCRIPTION, one section per command with its options and
// notes, EXIT STATUS, ENVIRONMENT, FILES.
std::string man_page(const CliSpec& spec, const std::vector<ExitCodeDoc>& exit_codes,
                     const std::string& version);

}  // namespace wavesync::cli
