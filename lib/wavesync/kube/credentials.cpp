#include "wavesync/kube/credentials.hpp"

#include "wavesync/kube/exec_credential.hpp"
#include "wavesync/kube/files.hpp"

namespace wavesync::kube {
namespace {

// client-go's file token source re-reads every minute (transport/token_source.go).
constexpr auto k_token_file_period = std::chrono::minutes(1);

// strings.TrimSpace, as client-go trims a token file.
std::string trimmed(const std::string& s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return s.substr(b, e - b);
}

}  // namespace

Credentials::Credentials(UserInfo user, ClusterInfo cluster)
    : user_(std::move(user)), cluster_(std::move(cluster)) {}

Result<AuthMaterial> Credentials::current() {
  auto shared = current_shared();
  if (!shared) return shared.error();
  return **shared;
}

Result<std::shared_ptr<const AuthMaterial>> Credentials::current_shared() {
  std::lock_guard lock(mutex_);
  if (cached_) {
    const bool expired = expiry_ && std::chrono::system_clock::now() >= *expiry_;
    const bool token_file_stale =
        !user_.token_file.empty() &&
        std::chrono::steady_clock::now() - token_file_read_ >= k_token_file_period;
    if (!expired && !token_file_stale) return cached_;
  }
  AuthMaterial m;
  m.client_certificate_pem = user_.client_certificate_pem;
  m.client_key_pem = user_.client_key_pem;
  m.username = user_.username;
  m.password = user_.password;
  m.bearer_token = user_.token;
  expiry_.reset();
  const bool has_static = !user_.token.empty() || !user_.token_file.empty() ||
                          !user_.username.empty() || !user_.client_certificate_pem.empty();
  if (!user_.token_file.empty()) {
    // client-go's file token source: the file wins over `token`, which is only the fallback
    // when the file cannot be read or holds nothing (transport/token_source.go).
    auto token = read_file(user_.token_file);
    std::string from_file = token ? trimmed(*token) : std::string();
    if (!from_file.empty()) {
      m.bearer_token = std::move(from_file);
    } else if (user_.token.empty()) {
      if (!token) return token.error().wrap("user \"" + user_.name + "\": tokenFile");
      return make_error("user \"" + user_.name + "\": tokenFile " + user_.token_file +
                            " is empty: write the token into it",
                        exit_code::k_cluster);
    }
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
  cached_ = std::make_shared<const AuthMaterial>(std::move(m));
  return cached_;
}

bool Credentials::invalidate(const AuthMaterial& used) {
  std::lock_guard lock(mutex_);
  const bool refreshable = user_.exec.has_value() || !user_.token_file.empty();
  if (!refreshable) return false;
  if (cached_ && cached_->generation == used.generation) cached_.reset();
  return true;
}

bool Credentials::invalidate_current() {
  std::lock_guard lock(mutex_);
  const bool refreshable = user_.exec.has_value() || !user_.token_file.empty();
  if (refreshable) cached_.reset();
  return refreshable;
}

int Credentials::plugin_runs() const {
  std::lock_guard lock(mutex_);
  return plugin_runs_;
}

}  // namespace wavesync::kube
