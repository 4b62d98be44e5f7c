#include "cli_spec.hpp"

#include <algorithm>

namespace wavesync::cli {
namespace {

// CLI11 renders an option's type as `TYPE[:VALIDATOR...]`; a CLI::IsMember check shows as
// `{a,b,c}`. Those are the only values the parser accepts, so they are what to complete.
std::vector<std::string> choices_of(const std::string& type_name) {
  const auto open = type_name.find('{');
  const auto close = type_name.find('}', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return {};
  std::vector<std::string> out;
  std::string item;
  for (char c : type_name.substr(open + 1, close - open - 1)) {
    if (c == ',') {
      if (!item.empty()) out.push_back(item);
      item.clear();
    } else if (c != ' ') {
      item += c;
    }
  }
  if (!item.empty()) out.push_back(item);
  return out;
}

std::string base_type(const std::string& type_name) {
  return type_name.substr(0, type_name.find(':'));
}

bool has_name(const OptionSpec& o, const char* name) {
  return std::find(o.long_names.begin(), o.long_names.end(), name) != o.long_names.end();
}

OptionSpec option_spec(const CLI::Option& opt) {
  OptionSpec o;
  o.long_names = opt.get_lnames();
  o.short_names = opt.get_snames();
  o.description = opt.get_description();
  // A flag is an option that expects no items (CLI11's add_flag sets expected(0)).
  o.takes_value = opt.get_items_expected_max() > 0;
  o.repeatable = o.takes_value && (opt.get_expected_max() > 1 ||
                                   opt.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll);
  o.default_value = opt.get_default_str();
  if (!o.takes_value) return o;
  const std::string type_name = opt.get_type_name();
  o.value_name = base_type(type_name);
  o.choices = choices_of(type_name);
  if (!o.choices.empty()) {
    o.completion = ValueCompletion::choices;
  } else if (has_name(o, "context")) {
    o.completion = ValueCompletion::contexts;
  } else if (has_name(o, "cluster")) {
    o.completion = ValueCompletion::clusters;
  } else if (has_name(o, "user")) {
    o.completion = ValueCompletion::users;
  } else if (o.value_name == "INT" || o.value_name == "UINT" || o.value_name == "FLOAT" ||
             o.value_name == "NUMBER") {
    o.completion = ValueCompletion::none;
  } else {
    // A free-form value: as cobra-generated completions do, offer paths (most such options
    // are files: --kubeconfig, --report, --junit, -f); durations and names are typed anyway.
    o.completion = ValueCompletion::file;
  }
  return o;
}

CommandSpec command_spec(const CLI::App& app) {
  CommandSpec c;
  c.name = app.get_parent() ? app.get_name() : "";
  c.description = app.get_description();
  c.footer = app.get_footer();
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    if (opt->get_positional() && opt->get_lnames().empty() && opt->get_snames().empty()) {
      c.positional_name = opt->get_name(true);
      c.positional_description = opt->get_description();
      continue;
    }
    c.options.push_back(option_spec(*opt));
  }
  return c;
}

}  // namespace

CliSpec read_cli_spec(const CLI::App& app) {
  CliSpec spec;
  // CLI11 names the top-level app after argv[0] once it has parsed; scripts want the bare name.
  const std::string name = app.get_name();
  const auto slash = name.find_last_of('/');
  spec.program = name.empty() ? "wavesync" : name.substr(slash == std::string::npos ? 0 : slash + 1);
  spec.top = command_spec(app);
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;  // hidden
    spec.commands.push_back(command_spec(*sub));
  }
  return spec;
}

}  // namespace wavesync::cli
