#include "wavesync/kube/credentials.hpp"

#include "wavesync/kube/exec_credential.hpp"
#include "wavesync/kube/files.hpp"

namespace wavesync::kube {
namespace {

// client-go's file token source re-reads every minute (transport/token_source.go).
constexpr auto k_token_file_period = std::chrono::minutes(1);

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

Credentials::Credentials(UserInfo user, ClusterInfo cluster)
    : user_(std::move(user)), cluster_(std::move(cluster)) {}

Result<AuthMaterial> Credentials::current() {
  std::lock_guard lock(mutex_);
  if (cached_) {
    const bool expired = expiry_ && std::chrono::system_clock::now() >= *expiry_;
    const bool token_file_stale =
        !user_.exec && user_.token.empty() && !user_.token_file.empty() &&
        std::chrono::steady_clock::now() - token_file_read_ >= k_token_file_period;
    if (!expired && !token_file_stale) return *cached_;
  }
  AuthMaterial m;
  m.client_certificate_pem = user_.client_certificate_pem;
  m.client_key_pem = user_.client_key_pem;
  m.username = user_.username;
  m.password = user_.password;
  m.bearer_token = user_.token;
  expiry_.reset();
  const bool has_static = !user_.token.empty() || !user_.username.empty() ||
                          !user_.client_certificate_pem.empty();
  if (m.bearer_token.empty() && !user_.token_file.empty()) {
    auto token = read_file(user_.token_file);
    if (!token) return token.error().wrap("user \"" + user_.name + "\": tokenFile");
    m.bearer_token = trimmed(*token);
    token_file_read_ = std::chrono::steady_clock::now();
  } else if (user_.exec && !has_static) {
    // A token, basic or client certificate already configured means the plugin is not run
    // (client-go rest/transport.go).
    ++plugin_runs_;
    auto cred = run_exec_plugin(*user_.exec, cluster_);
    if (!cred) return cred.error().wrap("user \"" + user_.name + "\"");
    m.bearer_token = cred->token;
    m.client_certificate_pem = cred->client_certificate_pem;
    m.client_key_pem = cred->client_key_pem;
    expiry_ = cred->expiry;
  }
  m.generation = ++generation_;
  cached_ = m;
  return m;
}

bool Credentials::invalidate(const AuthMaterial& used) {
  std::lock_guard lock(mutex_);
  const bool refreshable = user_.exec.has_value() || (user_.token.empty() && !user_.token_file.empty());
  if (!refreshable) return false;
  if (cached_ && cached_->generation == used.generation) cached_.reset();
  return true;
}

int Credentials::plugin_runs() const {
  std::lock_guard lock(mutex_);
  return plugin_runs_;
}

}  // namespace wavesync::kube
