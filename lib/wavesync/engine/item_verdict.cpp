#include "wavesync/engine/item_verdict.hpp"

namespace wavesync::engine {

namespace {
ItemVerdict failed(std::string why) { return ItemVerdict{Verdict::failed, std::move(why)}; }
std::string with_message(const char* status, const health::Health& h) {
  return std::string(status) + (h.message.empty() ? "" : ": " + h.message);
}
}  // namespace

ItemVerdict judge_running(bool hook, bool deleted, const std::optional<health::Health>& health) {
  // A hook removed by its TTL controller after completing was already marked done; one that
  // disappears before finishing is a failure (Argo CD users saw syncs hang on "waiting for
  // completion of hook" when a Job's TTL removed it unseen).
  if (deleted) return failed(hook ? "deleted before it completed" : "missing: it was deleted while waiting for it to be healthy");
  if (!health) return ItemVerdict{Verdict::done, {}};
  switch (health->status) {
    case health::Status::healthy: return ItemVerdict{Verdict::done, {}};
    case health::Status::degraded: return failed(with_message("Degraded", *health));
    // A hook whose health is Unknown has failed; a resource keeps being waited for.
    case health::Status::unknown: return hook ? failed(with_message("Unknown", *health)) : ItemVerdict{};
    // A hook that is Missing has nothing left to run.
    case health::Status::missing: return hook ? ItemVerdict{Verdict::done, {}} : ItemVerdict{};
    case health::Status::progressing:
    case health::Status::suspended: return ItemVerdict{};
  }
  return ItemVerdict{};
}

}  // namespace wavesync::engine
