// Health of batch/v1 Job (Argo CD's Go rule) and batch CronJob (Argo CD's bundled Lua script).
#include "wavesync/health/fields.hpp"
#include "wavesync/health/rules.hpp"

#include <string>

namespace wavesync::health::rules {

Health job(const Json& live) {
  bool complete = false;
  bool failed = false;
  bool suspended = false;
  std::string message;
  std::string fail_message;
  const Json* conditions = find_path(live, {"status", "conditions"});
  if (conditions != nullptr && conditions->is_array()) {
    for (const Json& c : *conditions) {
      std::string type = field(c, "type");
      // Argo CD looks at the condition type only; a Suspended condition with status False (a
      // resumed job) still counts as "complete", a quirk kept for parity.
      if (type == "Failed") {
        complete = failed = true;
        fail_message = field(c, "message");
      } else if (type == "Complete") {
        complete = true;
        message = field(c, "message");
      } else if (type == "Suspended") {
        complete = true;
        message = field(c, "message");
        if (field(c, "status") == "True") suspended = true;
      }
    }
  }
  if (!complete) return {Status::progressing, message};
  if (failed) return {Status::degraded, fail_message};
  if (suspended) return {Status::suspended, message};
  return {Status::healthy, message};
}

Health cron_job(const Json& live) {
  // Argo CD reports a suspended CronJob as Healthy on purpose (argo-cd issue #24428): pausing a
  // schedule is not a fault and must not hold up a sync.
  if (bool_at(live, {"spec", "suspend"})) return {Status::healthy, "CronJob is Suspended"};
  const Json* status = find_path(live, {"status"});
  if (status == nullptr || status->is_null()) return {Status::progressing, "Waiting for CronJob"};
  std::string last_schedule = string_at(live, {"status", "lastScheduleTime"});
  if (last_schedule.empty()) return {Status::healthy, "CronJob has not been scheduled yet"};
  std::string last_success = string_at(live, {"status", "lastSuccessfulTime"});
  if (last_success.empty()) {
    return {Status::healthy, "The Cronjob never completed succesfully. It may not be healthy"};
  }
  const Json* active = find_path(live, {"status", "active"});
  if (active != nullptr && active->is_array() && !active->empty()) {
    return {Status::healthy, "The job is running. Its last execution may not have been successful"};
  }
  // RFC 3339 timestamps in UTC compare correctly as strings.
  if (last_success < last_schedule) {
    return {Status::degraded, "CronJob has not completed its last execution successfully"};
  }
  return {Status::healthy, "CronJob has completed its last execution successfully"};
}

}  // namespace wavesync::health::rules
