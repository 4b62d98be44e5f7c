#include "commands.hpp"
#include "version.hpp"

#include "wavesync/kube/library_versions.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <memory>

namespace wavesync::cli {

void setup_version(CLI::App& app, int* exit_code) {
  auto* cmd = app.add_subcommand("version", "Print the version and git revision");
  auto output = std::make_shared<std::string>("text");
  cmd->add_option("-o,--output", *output, "text, or json with the build type and library versions")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->footer(
      "Examples:\n"
      "  wavesync version            # same as wavesync --version\n"
      "  wavesync version -o json    # for bug reports: build type, libcurl, OpenSSL, yaml-cpp");
  cmd->callback([output, exit_code] {
    *exit_code = 0;
    if (*output == "text") {
      fmt::print("wavesync {} ({})\n", WAVESYNC_VERSION, WAVESYNC_GIT_REVISION);
      return;
    }
    nlohmann::ordered_json libraries = nlohmann::ordered_json::object();
    for (const auto& [name, version] : kube::network_library_versions()) libraries[name] = version;
    libraries["yaml-cpp"] = WAVESYNC_YAML_CPP_VERSION;
    const nlohmann::ordered_json doc = {
        {"version", WAVESYNC_VERSION},
        {"gitRevision", WAVESYNC_GIT_REVISION},
        {"buildType", WAVESYNC_BUILD_TYPE},
        {"compiler", WAVESYNC_COMPILER},
        {"libraries", libraries},
    };
    fmt::print("{}\n", doc.dump(2));
  });
}

}  // namespace wavesync::cli
