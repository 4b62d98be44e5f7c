// The man page, generated from the CliSpec (see cli_spec.hpp) in man(7) macros.
#include "cli_spec.hpp"

#include <fmt/core.h>

namespace wavesync::cli {
namespace {

// roff: a backslash starts an escape, and a line starting with `.` or `'` is a request.
// Hyphens in option names are written `\-` so they copy and search as ASCII minus.
std::string roff(const std::string& text, bool hyphens = false) {
  std::string out;
  bool line_start = true;
  for (char c : text) {
    if (line_start && (c == '.' || c == '\'')) out += "\\&";
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-' && hyphens) {
      out += "\\-";
    } else {
      out += c;
    }
    line_start = c == '\n';
  }
  return out;
}

std::string option_label(const OptionSpec& o) {
  std::string out;
  for (const auto& s : o.short_names) out += (out.empty() ? "" : ", ") + ("\\fB\\-" + s + "\\fR");
  for (const auto& l : o.long_names) {
    out += (out.empty() ? "" : ", ") + ("\\fB\\-\\-" + roff(l, true) + "\\fR");
  }
  if (o.takes_value) {
    const std::string value =
        o.completion == ValueCompletion::choices
            ? [&] {
                std::string v;
                for (const auto& c : o.choices) v += (v.empty() ? "" : "|") + c;
                return v;
              }()
            : (o.value_name.empty() ? std::string("VALUE") : o.value_name);
    out += " \\fI" + roff(value) + "\\fR";
  }
  return out;
}

std::string options_block(const std::vector<OptionSpec>& options) {
  std::string out;
  for (const auto& o : options) {
    out += ".TP\n" + option_label(o) + "\n" + roff(o.description);
    if (!o.default_value.empty()) out += " (default: " + roff(o.default_value) + ")";
    if (o.repeatable) out += "; repeatable";
    out += "\n";
  }
  return out;
}

// A footer is free text with indented example lines; keep its line breaks.
std::string footer_block(const std::string& footer) {
  if (footer.empty()) return "";
  return ".PP\n.nf\n" + roff(footer) + "\n.fi\n";
}

}  // namespace

std::string man_page(const CliSpec& spec, const std::vector<ExitCodeDoc>& exit_codes,
                     const std::string& version) {
  const std::string& p = spec.program;
  std::string out;
  out += fmt::format(".TH {} 1 \"\" \"{} {}\" \"User Commands\"\n", [&] {
    std::string upper;
    for (char c : p) upper += static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    return upper;
  }(), p, version);
  out += ".SH NAME\n" + p + " \\- " + roff(spec.top.description.substr(
                                           spec.top.description.find(':') == std::string::npos
                                               ? 0
                                               : spec.top.description.find(':') + 2)) +
         "\n";
  out += ".SH SYNOPSIS\n";
  for (const auto& c : spec.commands) {
    out += fmt::format(".B {} {}\n.RI [ options ]", p, c.name);
    if (!c.positional_name.empty()) out += " " + roff(c.positional_name) + "...";
    out += "\n.br\n";
  }
  out += ".SH DESCRIPTION\n" + roff(spec.top.description) + "\n";
  out += footer_block(spec.top.footer);
  out += ".SH OPTIONS\n" + options_block(spec.top.options);
  out += ".SH COMMANDS\n";
  for (const auto& c : spec.commands) {
    out += ".SS \"" + p + " " + c.name + "\"\n" + roff(c.description) + "\n";
    if (!c.positional_name.empty()) {
      out += ".TP\n\\fI" + roff(c.positional_name) + "\\fR\n" + roff(c.positional_description) +
             "\n";
    }
    out += options_block(c.options);
    out += footer_block(c.footer);
  }
  out += ".SH EXIT STATUS\n";
  for (const auto& e : exit_codes) {
    out += ".TP\n.B " + roff(e.code) + "\n" + roff(e.meaning) + "\n";
  }
  out += ".SH ENVIRONMENT\n"
         ".TP\n.B KUBECONFIG\nColon-separated kubeconfig files, merged as kubectl merges them "
         "(used when \\fB\\-\\-kubeconfig\\fR is not given).\n"
         ".TP\n.B NO_COLOR\nNo colour on the terminal with \\fB\\-\\-color auto\\fR.\n"
         ".SH FILES\n"
         ".TP\n.I ~/.kube/config\nThe kubeconfig read when neither \\fB\\-\\-kubeconfig\\fR nor "
         "KUBECONFIG is set.\n";
  out += ".SH SEE ALSO\n.BR kubectl (1)\n";
  return out;
}

}  // namespace wavesync::cli
