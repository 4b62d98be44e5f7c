// --argocd-cm and --health-scripts, shared by apply, status and health: where the user's health
// scripts come from (README "Custom-resource health"), loaded into a health::Scripts.
#pragma once

#include "wavesync/health/scripts.hpp"
#include "wavesync/kube/client.hpp"
#include "wavesync/model/result.hpp"

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

namespace wavesync::cli {

struct HealthSourceFlags {
  std::string argocd_cm;                 // a ConfigMap manifest file, or NAMESPACE/NAME on the cluster
  std::vector<std::string> script_dirs;  // --health-scripts, repeatable; earlier ones win
};

// `flags` must outlive the parse.
void add_health_source_flags(CLI::App* cmd, HealthSourceFlags* flags);

// The scripts the flags name, or nullptr when there are none. `client` reads
// --argocd-cm NAMESPACE/NAME; nullptr (offline commands) makes that form an error.
// Errors: an unreadable file or directory, a missing ConfigMap, a malformed customization.
Result<std::unique_ptr<health::Scripts>> load_health_scripts(const HealthSourceFlags& flags, kube::Client* client);

// Adds every `<group>/<Kind>/health.lua` (and `<Kind>/health.lua`) under `dir` to `scripts`.
// Fails when `dir` is not a readable directory or a script is unreadable or over 1 MiB.
Result<void> add_health_script_dir(health::Scripts& scripts, const std::string& dir);

}  // namespace wavesync::cli
