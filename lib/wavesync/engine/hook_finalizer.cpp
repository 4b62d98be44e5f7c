#include "wavesync/engine/hook_finalizer.hpp"

#include "wavesync/hooks/hook_finalizer.hpp"

namespace wavesync::engine {

namespace {
// client-go's retry.DefaultRetry makes 5 attempts.
constexpr int k_attempts = 5;
}  // namespace

Result<void> remove_hook_finalizer(kube::Client& client, const kube::ObjectRef& ref,
                                   std::optional<nlohmann::json> live) {
  for (int attempt = 0; attempt < k_attempts; ++attempt) {
    if (!live) {
      auto read = client.get(ref);
      if (!read) return read.error();
      if (!*read) return {};  // gone: nothing holds it
      live = std::move(**read);
    }
    const std::optional<nlohmann::json> patch = hook_finalizer_removal(*live);
    if (!patch) return {};
    auto patched = client.patch(ref, *patch);
    if (patched) return {};
    // 409: a stale resourceVersion; 422: the `test` failed, the list moved. Read it again.
    const int status = patched.error().http_status;
    if (status == 404) return {};
    if (status != 409 && status != 422) return patched.error();
    live.reset();
  }
  return make_error("remove " + std::string(k_hook_finalizer) + " from " + ref.kind + " " +
                    (ref.namespace_name.empty() ? "" : ref.namespace_name + "/") + ref.name +
                    ": the object kept changing (" + std::to_string(k_attempts) + " attempts)",
                    exit_code::k_sync_failed);
}

}  // namespace wavesync::engine
