#include "cli_spec.hpp"

#include <catch2/catch.hpp>

#include <memory>

namespace {

using wavesync::cli::read_cli_spec;
using wavesync::cli::ValueCompletion;

struct Args {
  std::string output = "text";
  std::string context;
  std::string kubeconfig;
  int count = 0;
  bool dry_run = false;
  std::vector<std::string> paths;
};

std::unique_ptr<CLI::App> sample_app(Args& a) {
  auto app = std::make_unique<CLI::App>("tool: does [things] with 'quotes'", "tool");
  auto* apply = app->add_subcommand("apply", "Apply: the manifests");
  apply->add_option("paths", a.paths, "Manifest files");
  apply->add_option("-o,--output", a.output, "Output format")->check(CLI::IsMember({"text", "json"}));
  apply->add_option("--context", a.context, "Kubeconfig context");
  apply->add_option("--kubeconfig", a.kubeconfig, "Path to the kubeconfig file");
  apply->add_option("--count", a.count, "How many");
  apply->add_flag("--dry-run", a.dry_run, "Only show it");
  auto* hidden = app->add_subcommand("__secret", "not shown");
  hidden->group("");
  return app;
}

}  // namespace

TEST_CASE("the CLI spec is read from the CLI11 definitions, hidden commands left out", "[cli]") {
  Args a;
  auto app = sample_app(a);
  const auto spec = read_cli_spec(*app);
  REQUIRE(spec.commands.size() == 1);
  const auto& apply = spec.commands[0];
  CHECK(apply.name == "apply");
  CHECK(apply.positional_name == "paths");
  REQUIRE(apply.options.size() == 6);  // --help and the five above
  const auto find = [&](const std::string& name) {
    for (const auto& o : apply.options) {
      for (const auto& l : o.long_names) {
        if (l == name) return o;
      }
    }
    FAIL("no option " << name);
    return wavesync::cli::OptionSpec{};
  };
  CHECK(find("output").completion == ValueCompletion::choices);
  CHECK(find("output").choices == std::vector<std::string>{"text", "json"});
  CHECK(find("output").short_names == std::vector<std::string>{"o"});
  CHECK(find("context").completion == ValueCompletion::contexts);
  CHECK(find("kubeconfig").completion == ValueCompletion::file);
  CHECK(find("count").completion == ValueCompletion::none);
  CHECK(find("count").takes_value);
  CHECK_FALSE(find("dry-run").takes_value);
}

TEST_CASE("completion scripts offer an option's choices and ask wavesync for contexts", "[cli]") {
  Args a;
  auto app = sample_app(a);
  const auto spec = read_cli_spec(*app);
  const std::string bash = wavesync::cli::bash_completion(spec);
  CHECK(bash.find("--output|-o) COMPREPLY=($(compgen -W 'text json'") != std::string::npos);
  CHECK(bash.find("tool __complete contexts") != std::string::npos);
  CHECK(bash.find("__secret") == std::string::npos);
  CHECK(bash.find("complete -F _tool tool") != std::string::npos);
  const std::string fish = wavesync::cli::fish_completion(spec);
  CHECK(fish.find("-s o -l output -x -a 'text json'") != std::string::npos);
  CHECK(fish.find("-l context -x -a '(__tool_kube contexts)'") != std::string::npos);
  const std::string zsh = wavesync::cli::zsh_completion(spec);
  CHECK(zsh.find("'(--output -o)'{--output,-o}'[Output format]:TEXT:(text json)'") !=
        std::string::npos);
  // A colon in a description would end the zsh spec early.
  CHECK(zsh.find("'apply:Apply: the manifests'") != std::string::npos);
}

TEST_CASE("the man page escapes roff and lists every command's options and the exit codes",
          "[cli]") {
  Args a;
  auto app = sample_app(a);
  const auto spec = read_cli_spec(*app);
  const std::string man =
      wavesync::cli::man_page(spec, {{"0", "success"}, {"3", ".timeout \\ with a backslash"}}, "1.2.3");
  CHECK(man.rfind(".TH TOOL 1", 0) == 0);
  CHECK(man.find(".SS \"tool apply\"") != std::string::npos);
  CHECK(man.find("\\fB\\-o\\fR, \\fB\\-\\-output\\fR \\fItext|json\\fR") != std::string::npos);
  CHECK(man.find("\\fB\\-\\-dry\\-run\\fR\nOnly show it") != std::string::npos);
  // A line starting with `.` would be a roff request; a backslash an escape.
  CHECK(man.find("\\&.timeout \\e with a backslash") != std::string::npos);
  CHECK(man.find("__secret") == std::string::npos);
}
