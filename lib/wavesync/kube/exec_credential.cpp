// Exec plugin protocol per https://kubernetes.io/docs/reference/config-api/client-authentication.v1/
// and client-go plugin/pkg/client/auth/exec/exec.go.
#include "wavesync/kube/exec_credential.hpp"

#include "wavesync/kube/base64.hpp"
#include "wavesync/kube/cluster_text.hpp"
#include "wavesync/kube/server_json.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fcntl.h>
#include <map>
#include <csignal>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace wavesync::kube {
namespace {

Error exec_error(const ExecConfig& exec, const std::string& message) {
  return make_error("exec plugin \"" + exec.command + "\": " + message, exit_code::k_cluster);
}

// An ExecCredential is a token or a certificate pair: far below this. A plugin printing more
// is broken; reading on would only grow memory.
constexpr std::size_t k_max_plugin_output = 4 << 20;

struct Lookup {
  std::string path;   // empty: not found
  bool relative = false;  // found through an empty or relative PATH entry
};

// PATH lookup for a bare command name, as Go's exec.LookPath does it; done before fork so the
// child only calls async-signal-safe functions. Like LookPath since Go 1.19 (exec.ErrDot), a
// match through an empty or relative PATH entry (`PATH=/usr/bin:`) is refused: it would run
// whatever file of that name the current directory holds.
Lookup find_executable(const std::string& command) {
  if (command.find('/') != std::string::npos) return {command, false};
  const char* path = std::getenv("PATH");
  std::string_view rest = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const auto colon = rest.find(':');
    std::string dir(rest.substr(0, colon));
    const bool relative = dir.empty() || dir.front() != '/';
    if (dir.empty()) dir = ".";
    const std::string candidate = dir + "/" + command;
    if (::access(candidate.c_str(), X_OK) == 0) return {candidate, relative};
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return {};
}

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_rfc3339(const std::string& text) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::size_t i = static_cast<std::size_t>(consumed);
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  }
  long offset_seconds = 0;
  if (i < text.size() && (text[i] == 'Z' || text[i] == 'z')) {
    ++i;
  } else if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    int hh = 0;
    int mm = 0;
    if (std::sscanf(text.c_str() + i + 1, "%2d:%2d", &hh, &mm) != 2) return std::nullopt;
    offset_seconds = (hh * 3600L + mm * 60L) * (text[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != text.size()) return std::nullopt;
  const std::time_t t = timegm(&tm) - offset_seconds;
  return std::chrono::system_clock::from_time_t(t);
}

Result<std::string> exec_info_json(const ExecConfig& exec, const ClusterInfo& cluster,
                                   bool stdin_is_terminal) {
  bool interactive = false;
  if (exec.interactive_mode == "Always") {
    if (!stdin_is_terminal) {
      return exec_error(exec,
                        "interactiveMode is Always but stdin is not a terminal: run wavesync from "
                        "a terminal or log in with the plugin first");
    }
    interactive = true;
  } else if (exec.interactive_mode == "IfAvailable") {
    interactive = stdin_is_terminal;
  }
  nlohmann::json spec = {{"interactive", interactive}};
  if (exec.provide_cluster_info) {
    nlohmann::json c = {{"server", cluster.server}};
    if (!cluster.tls_server_name.empty()) c["tls-server-name"] = cluster.tls_server_name;
    if (cluster.insecure_skip_tls_verify) c["insecure-skip-tls-verify"] = true;
    if (!cluster.ca_pem.empty()) c["certificate-authority-data"] = base64_encode(cluster.ca_pem);
    if (!cluster.proxy_url.empty()) c["proxy-url"] = cluster.proxy_url;
    if (cluster.disable_compression) c["disable-compression"] = true;
    if (!cluster.exec_extension.is_null()) c["config"] = cluster.exec_extension;
    spec["cluster"] = std::move(c);
  }
  const nlohmann::json info = {
      {"apiVersion", exec.api_version}, {"kind", "ExecCredential"}, {"spec", std::move(spec)}};
  return info.dump();
}

Result<ExecCredential> parse_exec_credential(const std::string& output, const ExecConfig& exec) {
  const auto doc = parse_json(output);
  if (!doc || !doc->is_object()) {
    return exec_error(exec, "output is not an ExecCredential JSON object");
  }
  // Every field may be null or of another type: null reads as absent (as Go's decoder
  // does), another type is an error naming the field.
  for (const char* key : {"apiVersion", "kind"}) {
    if (doc->contains(key) && !(*doc)[key].is_null() && !(*doc)[key].is_string()) {
      return exec_error(exec, std::string("returned an ExecCredential whose ") + key + " is not a string");
    }
  }
  const std::string api_version = string_at(*doc, {"apiVersion"});
  if (api_version != exec.api_version) {
    return exec_error(exec, "returned apiVersion \"" + neutralize_text(api_version) + "\", expected \"" +
                                exec.api_version + "\"");
  }
  const nlohmann::json* status = object_at(*doc, {"status"});
  if (status == nullptr) {
    return exec_error(exec, "returned an ExecCredential without status");
  }
  for (const char* key : {"token", "clientCertificateData", "clientKeyData", "expirationTimestamp"}) {
    const auto it = status->find(key);
    if (it != status->end() && !it->is_null() && !it->is_string()) {
      return exec_error(exec, std::string("returned an ExecCredential whose status.") + key +
                                  " is not a string");
    }
  }
  ExecCredential c;
  c.token = string_at(*status, {"token"});
  c.client_certificate_pem = string_at(*status, {"clientCertificateData"});
  c.client_key_pem = string_at(*status, {"clientKeyData"});
  if (c.client_certificate_pem.empty() != c.client_key_pem.empty()) {
    return exec_error(exec, "returned only one of clientCertificateData and clientKeyData");
  }
  if (c.token.empty() && c.client_certificate_pem.empty()) {
    return exec_error(exec, "returned neither a token nor a client certificate");
  }
  const std::string expiry = string_at(*status, {"expirationTimestamp"});
  if (!expiry.empty()) {
    c.expiry = parse_rfc3339(expiry);
    if (!c.expiry) {
      return exec_error(exec, "invalid expirationTimestamp \"" + neutralize_text(expiry.substr(0, 64)) +
                                  "\": expected RFC 3339");
    }
  }
  return c;
}

Result<ExecCredential> run_exec_plugin(const ExecConfig& exec, const ClusterInfo& cluster) {
  const bool terminal = ::isatty(STDIN_FILENO) == 1;
  auto info = exec_info_json(exec, cluster, terminal);
  if (!info) return info.error();
  const bool interactive = exec.interactive_mode == "Always" ||
                           (exec.interactive_mode == "IfAvailable" && terminal);

  const Lookup found = find_executable(exec.command);
  const std::string& program = found.path;
  if (found.relative) {
    return exec_error(exec, "found as " + program +
                                " through a relative PATH entry (an empty entry is the current "
                                "directory): refusing to run it; give an absolute command path or "
                                "fix PATH");
  }
  if (program.empty() || ::access(program.c_str(), X_OK) != 0) {
    std::string message = "not found or not executable";
    // client-go strips control characters from installHint (clientcmd cleanANSIEscapeCodes).
    if (!exec.install_hint.empty()) message += ": " + neutralize_text(exec.install_hint);
    return exec_error(exec, message);
  }

  // Everything the child needs is built before fork: after fork only async-signal-safe calls.
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  for (const auto& [name, value] : exec.env) env[name] = value;
  env["KUBERNETES_EXEC_INFO"] = *info;
  std::vector<std::string> env_strings;
  env_strings.reserve(env.size());
  for (const auto& [name, value] : env) env_strings.push_back(name + "=" + value);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> arg_strings{exec.command};
  arg_strings.insert(arg_strings.end(), exec.args.begin(), exec.args.end());
  std::vector<char*> argv;
  for (auto& s : arg_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) return exec_error(exec, std::strerror(errno));
  const int devnull = interactive ? -1 : ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(out[0]);
    ::close(out[1]);
    if (devnull >= 0) ::close(devnull);
    return exec_error(exec, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    // The plugin gets stdin, stdout and stderr only: not the API server connections or any
    // other descriptor libcurl opened without O_CLOEXEC (Go's os/exec passes only ExtraFiles).
    ::syscall(SYS_close_range, 3U, ~0U, 0U);
    ::execve(program.c_str(), argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out[1]);
  if (devnull >= 0) ::close(devnull);
  std::string output;
  char buffer[4096];
  bool too_long = false;
  while (true) {
    const ssize_t n = ::read(out[0], buffer, sizeof buffer);
    if (n > 0) {
      if (output.size() + static_cast<std::size_t>(n) > k_max_plugin_output) {
        too_long = true;
        ::kill(pid, SIGKILL);
        break;
      }
      output.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  ::close(out[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (too_long) {
    return exec_error(exec, "printed more than " + std::to_string(k_max_plugin_output >> 20) +
                                " MiB: not an ExecCredential");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    return exec_error(exec, "exited with code " + std::to_string(WEXITSTATUS(status)));
  }
  if (WIFSIGNALED(status)) {
    return exec_error(exec, "killed by signal " + std::to_string(WTERMSIG(status)));
  }
  return parse_exec_credential(output, exec);
}

}  // namespace wavesync::kube
