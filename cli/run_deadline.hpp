// A hard bound on a whole run: --timeout plus a grace period, then exit code 3. The engine's
// --timeout bounds its waits, but after it wavesync still reads diagnostics and updates the
// ApplySet; over a connection that stopped answering (a stalled proxy, a half-open TCP
// connection) each such request could wait for libcurl's request timeout and its retries.
// Found by test/e2e/test_faults.py (a stall that outlasts --timeout).
#pragma once

#include "signals.hpp"

#include "wavesync/model/result.hpp"

#include <fmt/core.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace wavesync::cli {

inline constexpr std::chrono::seconds k_run_deadline_grace{30};

class RunDeadline {
 public:
  // Exits the process with exit code 3 unless destroyed within `limit` from now.
  explicit RunDeadline(std::chrono::milliseconds limit)
      : thread_([this, limit, deadline = std::chrono::steady_clock::now() + limit] {
          std::unique_lock lock(mutex_);
          if (cv_.wait_until(lock, deadline, [this] { return done_; })) return;
          fmt::print(stderr, "wavesync: error: the run took longer than {} s (--timeout plus {} s for diagnostics "
                             "and the ApplySet): the API server stopped answering; giving up\n",
                     std::chrono::duration_cast<std::chrono::seconds>(limit).count(), k_run_deadline_grace.count());
          std::fflush(stderr);
          run_abort_action();  // the --report/--junit files, written whatever ends the run
          _exit(exit_code::k_timeout);
        }) {}
  ~RunDeadline() {
    {
      std::lock_guard lock(mutex_);
      done_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  RunDeadline(const RunDeadline&) = delete;
  RunDeadline& operator=(const RunDeadline&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace wavesync::cli
