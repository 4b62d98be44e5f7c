#include "wavesync/output/live_reporter.hpp"

#include "wavesync/output/format.hpp"
#include "wavesync/output/summary.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace wavesync::output {

LiveReporter::LiveReporter(Terminal& out, engine::Clock& clock, LiveStyle style, const Plan* plan,
                           std::chrono::milliseconds tick, bool keep_events)
    : out_(out), clock_(clock), style_(style),
      recorder_(plan != nullptr ? Recorder(*plan, keep_events) : Recorder(keep_events)) {
  if (tick.count() > 0) {
    ticker_ = std::thread([this, tick] {
      std::unique_lock lock(mutex_);
      while (!stopping_) {
        if (stop_cv_.wait_for(lock, tick, [this] { return stopping_; })) break;
        // Nothing to animate before the first step starts (or between steps with nothing drawn).
        if (!finished_ && (drawn_lines_ > 0 || recorder_.record().current_step() != nullptr)) {
          ++frame_;
          redraw_locked({});
        }
      }
    });
  }
}

LiveReporter::~LiveReporter() { stop_ticker(); }

void LiveReporter::stop_ticker() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (ticker_.joinable()) ticker_.join();
}

// Moves the cursor back over the active area, clears it, writes `prefix` (lines that stay on
// screen from now on) and the new active area, all in one write so the terminal never shows a
// half-drawn frame.
void LiveReporter::redraw_locked(std::string prefix) {
  std::string text;
  if (drawn_lines_ > 0) text += fmt::format("\x1b[{}A", drawn_lines_);
  text += "\r\x1b[J";
  text += prefix;
  // One column spare: a line that fills the last column leaves some terminals in a pending
  // wrap, and the cursor-up count would then be off by one.
  style_.width = std::max(10, out_.width() - 1);
  const auto lines = render_active(recorder_.record(), clock_.now(), frame_, style_);
  for (const std::string& l : lines) text += l + "\n";
  drawn_lines_ = lines.size();
  out_.write(text);
}

void LiveReporter::emit(const engine::Event& event) {
  std::unique_lock lock(mutex_);
  recorder_.emit(event);
  std::string prefix;
  switch (event.type) {
    case engine::EventType::retrying: {
      std::string text = fmt::format("attempt {} failed; retrying in {} (attempt {})", event.attempt - 1,
                                     format_duration(event.delay), event.attempt);
      prefix = truncate_columns(text, static_cast<std::size_t>(out_.width()), style_.unicode) + "\n";
      for (const std::string& r : event.reasons)
        prefix += truncate_columns("  " + r, static_cast<std::size_t>(out_.width()), style_.unicode) + "\n";
      break;
    }
    case engine::EventType::sync_started:
      prefix = truncate_columns(fmt::format("sync started{}: {} step{}", event.dry_run ? " (dry run)" : "",
                                            event.count, event.count == 1 ? "" : "s"),
                                static_cast<std::size_t>(out_.width()), style_.unicode) +
               "\n";
      break;
    case engine::EventType::step_done:
      for (const StepRecord& s : recorder_.record().steps) {
        if (s.phase == event.phase.value_or(Phase::sync) && s.wave == event.wave) {
          for (const std::string& l : render_finished_step(s, style_)) prefix += l + "\n";
        }
      }
      break;
    case engine::EventType::warning:
      // Also after the final report, which is where the objects --prune would delete are named.
      if (finished_) {
        out_.write(warning_lines(event.message));
        return;
      }
      prefix = warning_lines(event.message);
      break;
    case engine::EventType::sync_done: {
      finished_ = true;
      prefix = "\n" + format_final_report(recorder_.record());
      redraw_locked(prefix);
      lock.unlock();
      stop_ticker();
      return;
    }
    default: break;
  }
  if (finished_) return;
  redraw_locked(prefix);
}

}  // namespace wavesync::output
