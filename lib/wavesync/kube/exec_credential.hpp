// Exec credential plugins (client.authentication.k8s.io/v1 and v1beta1): builds the
// KUBERNETES_EXEC_INFO input, runs the plugin with fork+execve (argv, never a shell) and
// parses the ExecCredential it prints. Caching lives in credentials.hpp.
#pragma once

#include "wavesync/kube/kubeconfig.hpp"
#include "wavesync/model/result.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace wavesync::kube {

struct ExecCredential {
  std::string token;
  std::string client_certificate_pem;
  std::string client_key_pem;
  // nullopt: valid for the lifetime of the process.
  std::optional<std::chrono::system_clock::time_point> expiry;
};

// The KUBERNETES_EXEC_INFO value. Error when interactiveMode is Always but stdin is not a
// terminal.
Result<std::string> exec_info_json(const ExecConfig& exec, const ClusterInfo& cluster,
                                   bool stdin_is_terminal);

// Parses a plugin's stdout. `command` only names the plugin in messages.
Result<ExecCredential> parse_exec_credential(const std::string& output,
                                             const ExecConfig& exec);

// Runs the plugin and parses its answer. Blocks until the plugin exits. stdin is passed to
// the plugin only when the exchange is interactive; stderr is inherited.
Result<ExecCredential> run_exec_plugin(const ExecConfig& exec, const ClusterInfo& cluster);

// RFC 3339 (`2026-01-02T03:04:05Z`, fractions and offsets allowed); nullopt when malformed.
std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& text);

}  // namespace wavesync::kube
