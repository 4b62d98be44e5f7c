// The credentials attached to each request: static token, token file (re-read every
// minute), basic auth, client certificate, or an exec plugin's answer (cached until it
// expires, refreshed after a 401). Thread-safe.
#pragma once

#include "wavesync/kube/kubeconfig.hpp"
#include "wavesync/model/result.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace wavesync::kube {

struct AuthMaterial {
  std::string bearer_token;
  std::string client_certificate_pem;
  std::string client_key_pem;
  std::string username;
  std::string password;
  // Bumped whenever the material changes; lets a 401 invalidate only what it used.
  std::uint64_t generation = 0;
};

// What a request carries: the material current() gave when it was sent (null: none).
using SharedAuth = std::shared_ptr<const AuthMaterial>;

class Credentials {
 public:
  Credentials(UserInfo user, ClusterInfo cluster);

  // The material to use now. May run the exec plugin (blocking; one run at a time).
  Result<AuthMaterial> current();
  // The same, shared: every request in flight points at one copy.
  Result<std::shared_ptr<const AuthMaterial>> current_shared();
  // After a 401 answered a request that used `used`: drops cached plugin/token-file material
  // so the next current() fetches it again. False when nothing can be refreshed.
  bool invalidate(const AuthMaterial& used);
  // Same, for whatever material is cached now (a watch stream answered 401).
  bool invalidate_current();
  // How many times the exec plugin ran (for tests and diagnostics).
  int plugin_runs() const;

 private:
  UserInfo user_;
  ClusterInfo cluster_;
  mutable std::mutex mutex_;
  std::shared_ptr<const AuthMaterial> cached_;
  std::optional<std::chrono::system_clock::time_point> expiry_;
  std::chrono::steady_clock::time_point token_file_read_{};
  std::uint64_t generation_ = 0;
  int plugin_runs_ = 0;
};

}  // namespace wavesync::kube
