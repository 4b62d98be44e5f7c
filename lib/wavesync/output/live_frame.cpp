#include "wavesync/output/live_frame.hpp"

#include "wavesync/output/format.hpp"
#include "wavesync/output/summary.hpp"

#include <fmt/core.h>

#include <array>

namespace wavesync::output {

namespace {

constexpr std::string_view k_reset = "\x1b[0m";
constexpr std::string_view k_green = "\x1b[32m";
constexpr std::string_view k_red = "\x1b[31m";
constexpr std::string_view k_yellow = "\x1b[33m";
constexpr std::string_view k_cyan = "\x1b[36m";
constexpr std::string_view k_dim = "\x1b[2m";

// The first code point of `line` is a status mark: colour it, keep the rest plain.
std::string color_mark(const std::string& line, std::string_view color, const LiveStyle& style) {
  if (!style.color || line.empty()) return line;
  std::size_t end = 1;
  while (end < line.size() && (static_cast<unsigned char>(line[end]) & 0xC0) == 0x80) ++end;
  return std::string(color) + line.substr(0, end) + std::string(k_reset) + line.substr(end);
}

std::string dim(const std::string& line, const LiveStyle& style) {
  return style.color ? std::string(k_dim) + line + std::string(k_reset) : line;
}

std::string fit(const std::string& line, const LiveStyle& style) {
  return truncate_columns(line, static_cast<std::size_t>(style.width > 10 ? style.width : 10), style.unicode);
}

std::string object_line(const ResourceRecord& r, const std::string& reason, const LiveStyle& style) {
  return dim(fit("    " + std::string(r.hook ? "hook " : "") + short_name(r.id) + "  " + reason, style), style);
}

std::string waiting_reason(const ResourceRecord& r, bool deletion) {
  if (deletion) {
    if (r.outcome == Outcome::failed) return "failed: " + r.details().message;
    return r.details().notes.empty() ? "waiting to be deleted" : r.details().notes.back();
  }
  if (!r.applied) return r.outcome == Outcome::failed ? "failed: " + r.details().message : "waiting to be applied";
  if (r.outcome == Outcome::failed) return "failed: " + r.details().message;
  if (r.details().health) return health_text(*r.details().health);
  return r.hook ? "running" : "applied, waiting for status";
}

}  // namespace

std::vector<std::string> render_finished_step(const StepRecord& step, const LiveStyle& style) {
  const bool ok = step.result == engine::StepResult::healthy || step.result == engine::StepResult::applied;
  const bool timed_out = step.result == engine::StepResult::timed_out;
  const std::string mark = ok ? (style.unicode ? "✓" : "+") : timed_out ? (style.unicode ? "⏱" : "!")
                                                                        : (style.unicode ? "✗" : "x");
  const std::size_t n = step.resources.size();
  std::string line = fmt::format("{} {}  {} object{}  {}  {}", mark, step_label(step.phase, step.wave), n,
                                 n == 1 ? "" : "s", step_result_text(step), format_duration(step.duration));
  std::vector<std::string> out{color_mark(fit(line, style), ok ? k_green : timed_out ? k_yellow : k_red, style)};
  if (!ok) {
    for (const ResourceRecord& r : step.resources) {
      if (r.outcome == Outcome::failed || r.outcome == Outcome::timed_out)
        out.push_back(object_line(r, r.outcome == Outcome::failed ? "failed: " + r.details().message
                                                                  : "not ready: " + waiting_reason(r, false),
                                  style));
    }
  }
  return out;
}

std::vector<std::string> render_active(const RunRecord& record, TimePoint now, int frame, const LiveStyle& style) {
  const StepRecord* step = record.current_step();
  if (step == nullptr) return {};
  static constexpr std::array<std::string_view, 10> k_braille{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
  static constexpr std::array<std::string_view, 4> k_ascii{"|", "/", "-", "\\"};
  const std::string spinner(style.unicode ? k_braille[static_cast<std::size_t>(frame) % k_braille.size()]
                                          : k_ascii[static_cast<std::size_t>(frame) % k_ascii.size()]);
  std::size_t applied = 0;
  std::size_t ready = 0;
  for (const ResourceRecord& r : step->resources) {
    if (r.applied) ++applied;
    if (r.outcome == Outcome::ready || r.outcome == Outcome::applied) ++ready;
  }
  const std::size_t total = step->resources.size();
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - *step->started);
  std::string head = record.deletion
                         ? fmt::format("{} {}  done {}/{}  {}", spinner, step_label(step->phase, step->wave), ready,
                                       total, format_duration(elapsed))
                         : fmt::format("{} {}  applied {}/{}  healthy {}/{}  {}", spinner,
                                       step_label(step->phase, step->wave), applied, total, ready, total,
                                       format_duration(elapsed));
  std::vector<std::string> out{color_mark(fit(head, style), k_cyan, style)};
  std::size_t listed = 0;
  std::size_t hidden = 0;
  for (const ResourceRecord& r : step->resources) {
    if (r.outcome == Outcome::ready || r.outcome == Outcome::applied) continue;
    if (listed == k_max_waiting_lines) {
      ++hidden;
      continue;
    }
    out.push_back(object_line(r, waiting_reason(r, record.deletion), style));
    // What holds it: its pod's waiting reason or the object it waits for.
    if (!r.details().blocked.empty() && r.outcome != Outcome::failed) out.push_back(dim(fit("      " + r.details().blocked, style), style));
    ++listed;
  }
  if (hidden > 0) out.push_back(dim(fit(fmt::format("    {} and {} more", style.unicode ? "…" : "...", hidden), style), style));
  return out;
}

}  // namespace wavesync::output
