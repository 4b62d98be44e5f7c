// LiveReporter: the apply output when stderr is a terminal. Finished steps are printed once as
// one collapsed line; below them an active area (the running step, its spinner, counts and
// elapsed time, the objects still not ready) is redrawn in place on every event and on a
// 100 ms tick, so the spinner and the clock move while the engine waits. Ends with the
// summary table and, on failure, the diagnostics block.
#pragma once

#include "wavesync/engine/clock.hpp"
#include "wavesync/engine/events.hpp"
#include "wavesync/output/live_frame.hpp"
#include "wavesync/output/run_record.hpp"
#include "wavesync/output/terminal.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace wavesync::output {

inline constexpr std::chrono::milliseconds k_redraw_interval{100};

class LiveReporter final : public engine::EventSink {
 public:
  // `tick` = 0 disables the background redraw (the active area is then redrawn only on events).
  // `keep_events`: the record keeps every event too (for --report).
  LiveReporter(Terminal& out, engine::Clock& clock, LiveStyle style, const Plan* plan = nullptr,
               std::chrono::milliseconds tick = k_redraw_interval, bool keep_events = false);
  ~LiveReporter() override;
  LiveReporter(const LiveReporter&) = delete;
  LiveReporter& operator=(const LiveReporter&) = delete;

  void emit(const engine::Event& event) override;
  // The run as recorded so far. The redraw thread only reads it, so reading it between
  // events (the --report, --junit and --timeline files) is safe.
  [[nodiscard]] const Recorder& recorder() const { return recorder_; }

 private:
  void redraw_locked(std::string prefix);
  void stop_ticker();

  Terminal& out_;
  engine::Clock& clock_;
  LiveStyle style_;
  Recorder recorder_;
  std::mutex mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  bool finished_ = false;
  int frame_ = 0;
  std::size_t drawn_lines_ = 0;  // lines of the active area currently on screen
  std::thread ticker_;
};

}  // namespace wavesync::output
