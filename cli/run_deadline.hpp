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
      : start_(std::chrono::steady_clock::now()), limit_(limit), thread_([this] {
          std::unique_lock lock(mutex_);
          // Woken early by lower_to(), the wait goes on to the (new) deadline.
          while (!done_ && std::chrono::steady_clock::now() < start_ + limit_) cv_.wait_until(lock, start_ + limit_);
          if (done_) return;
          fmt::print(stderr, "wavesync: error: the run took longer than {} s (--timeout plus {} s for diagnostics "
                             "and the ApplySet): the API server stopped answering; giving up\n",
                     std::chrono::duration_cast<std::chrono::seconds>(limit_).count(), k_run_deadline_grace.count());
          std::fflush(stderr);
          run_abort_action();  // the --report/--junit files, written whatever ends the run
          _exit(exit_code::k_timeout);
        }) {}
  // Lowers the bound to `limit` from the start once the run is known to need less (a plan
  // without SyncFail hooks has no SyncFail time after a timeout). Never raises it.
  void lower_to(std::chrono::milliseconds limit) {
    {
      std::lock_guard lock(mutex_);
      if (limit < limit_) limit_ = limit;
    }
    cv_.notify_one();
  }
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
  const std::chrono::steady_clock::time_point start_;
  std::chrono::milliseconds limit_;  // guarded by mutex_
  std::thread thread_;  // last: starts after the members it uses
};

}  // namespace wavesync::cli
