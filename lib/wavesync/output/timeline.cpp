#include "wavesync/output/timeline.hpp"

#include "wavesync/output/format.hpp"
#include "wavesync/output/summary.hpp"
#include "wavesync/output/xml_text.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>

namespace wavesync::output {

namespace {

constexpr int k_label_width = 380;
constexpr int k_chart_left = k_label_width + 10;
constexpr int k_chart_right = k_timeline_width - 30;
constexpr int k_top = 70;
constexpr int k_row = 22;
constexpr int k_step_row = 26;
constexpr int k_legend = 50;

struct Palette {
  const char* fill;
  const char* name;
};

Palette palette(Outcome outcome) {
  switch (outcome) {
    case Outcome::ready: return {"#2da44e", "ready"};
    case Outcome::applied: return {"#0969da", "applied (not waited for)"};
    case Outcome::failed: return {"#cf222e", "failed"};
    case Outcome::timed_out: return {"#bf8700", "not ready at the end"};
    case Outcome::running: return {"#8c959f", "running"};
    case Outcome::not_run: return {"#d0d7de", "not run"};
  }
  return {"#8c959f", "?"};
}

double secs(TimePoint from, TimePoint t) {
  return std::chrono::duration<double>(t - from).count();
}

}  // namespace

double timeline_tick_seconds(double span) {
  static constexpr std::array<double, 14> k_steps{0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800};
  for (double s : k_steps)
    if (span / s <= 12) return s;
  return 3600;
}

std::string timeline_svg(const RunRecord& record) {
  const TimePoint origin = record.started.value_or(TimePoint{});
  // The end of the picture: the sync's end, else the latest thing that happened.
  double span = std::chrono::duration<double>(record.duration).count();
  for (const StepRecord& s : record.steps) {
    if (s.done) span = std::max(span, secs(origin, *s.done));
    for (const ResourceRecord& r : s.resources)
      if (r.ended) span = std::max(span, secs(origin, *r.ended));
  }
  if (span <= 0) span = 1;
  const double scale = (k_chart_right - k_chart_left) / span;
  auto x_of = [&](double t) { return k_chart_left + t * scale; };

  std::size_t rows = 0;
  for (const StepRecord& s : record.steps) rows += s.resources.size();
  const int height = k_top + static_cast<int>(record.steps.size()) * k_step_row + static_cast<int>(rows) * k_row +
                     k_legend + 20;

  std::string body;
  const std::string verdict = record.outcome ? std::string(engine::sync_outcome_name(*record.outcome)) : "running";
  body += fmt::format(
      "<text x=\"16\" y=\"28\" class=\"title\">wavesync apply{}: {} in {}</text>\n"
      "<text x=\"16\" y=\"48\" class=\"sub\">{} step(s), {} object(s){}</text>\n",
      record.dry_run ? " --dry-run" : "", xml_escape(verdict), xml_escape(format_duration(record.duration)),
      record.steps.size(), rows, record.run_id.empty() ? "" : ", run " + xml_escape(record.run_id));

  // Time axis: grid lines and labels, top of the chart.
  const double tick = timeline_tick_seconds(span);
  const int chart_bottom = height - k_legend - 10;
  for (double t = 0; t <= span + 1e-9; t += tick) {
    const double x = x_of(t);
    body += fmt::format("<line x1=\"{:.1f}\" y1=\"{}\" x2=\"{:.1f}\" y2=\"{}\" class=\"grid\"/>\n", x, k_top - 6, x,
                        chart_bottom);
    body += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"tick\">{}</text>\n", x, k_top - 10,
                        xml_escape(format_duration(std::chrono::milliseconds(std::llround(t * 1000)))));
  }

  int y = k_top;
  for (const StepRecord& s : record.steps) {
    // The step's band: a header row across the page, and its span shaded on the chart.
    body += fmt::format("<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" class=\"stepband\"/>\n", y,
                        k_timeline_width, k_step_row);
    body += fmt::format("<text x=\"12\" y=\"{}\" class=\"step\">{} — {}{}</text>\n", y + 18,
                        xml_escape(step_label(s.phase, s.wave)), xml_escape(step_result_text(s)),
                        s.done ? " in " + xml_escape(format_duration(s.duration)) : "");
    if (s.started) {
      const double x0 = x_of(secs(origin, *s.started));
      const double x1 = s.done ? x_of(secs(origin, *s.done)) : x_of(span);
      body += fmt::format("<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" class=\"stepspan\"/>\n", x0,
                          y + 4, std::max(1.0, x1 - x0), k_step_row - 8);
    }
    y += k_step_row;
    for (const ResourceRecord& r : s.resources) {
      const Palette p = palette(r.outcome);
      const std::string label = (r.hook ? "◆ " : "") + short_name(r.id);
      body += fmt::format("<text x=\"24\" y=\"{}\" class=\"{}\">{}</text>\n", y + 15, r.hook ? "label hook" : "label",
                          xml_escape(truncate_columns(label, 52)));
      if (r.applied) {
        const double t0 = secs(origin, *r.applied);
        const double t1 = r.ended ? secs(origin, *r.ended) : span;
        const double x0 = x_of(t0);
        const double w = std::max(3.0, x_of(t1) - x0);
        std::string tip = (r.hook ? "hook " : "") + r.id.str() + "\n" + std::string(outcome_name(r.outcome)) +
                          " after " +
                          format_duration(std::chrono::milliseconds(std::llround((t1 - t0) * 1000)));
        if (!r.details().message.empty()) tip += "\n" + r.details().message;
        else if (r.details().health) tip += "\n" + health_text(*r.details().health);
        if (!r.source.file.empty()) tip += "\n" + r.source.file_line();
        body += fmt::format(
            "<rect x=\"{:.1f}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" rx=\"3\" fill=\"{}\"><title>{}</title></rect>\n",
            x0, y + 4, w, k_row - 8, p.fill, xml_escape(tip));
        if (r.hook) {
          body += fmt::format("<path d=\"M{:.1f} {} l6 7 l-6 7 l-6 -7 z\" class=\"hookmark\"/>\n", x0, y + 4);
        }
        // The duration goes right of the bar, or inside its end when the bar reaches the edge.
        const bool inside = x0 + w + 60 > k_timeline_width;
        body += fmt::format("<text x=\"{:.1f}\" y=\"{}\" class=\"{}\">{}</text>\n", inside ? x0 + w - 6 : x0 + w + 6,
                            y + 15, inside ? "dur inside" : "dur",
                            xml_escape(format_duration(std::chrono::milliseconds(std::llround((t1 - t0) * 1000)))));
      } else {
        body += fmt::format("<text x=\"{}\" y=\"{}\" class=\"notrun\">{}</text>\n", k_chart_left, y + 15,
                            r.outcome == Outcome::failed ? xml_escape("failed: " + truncate_columns(r.details().message, 90))
                                                         : "not run");
      }
      y += k_row;
    }
  }

  // Legend.
  int lx = 16;
  const int ly = height - k_legend + 10;
  for (Outcome o : {Outcome::ready, Outcome::applied, Outcome::failed, Outcome::timed_out, Outcome::not_run}) {
    const Palette p = palette(o);
    body += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"14\" rx=\"3\" fill=\"{}\"/>\n", lx, ly, p.fill);
    body += fmt::format("<text x=\"{}\" y=\"{}\" class=\"legend\">{}</text>\n", lx + 20, ly + 12, p.name);
    lx += 40 + static_cast<int>(std::string_view(p.name).size()) * 7;
  }
  body += fmt::format("<path d=\"M{} {} l6 7 l-6 7 l-6 -7 z\" class=\"hookmark\"/>\n", lx + 6, ly);
  body += fmt::format("<text x=\"{}\" y=\"{}\" class=\"legend\">hook</text>\n", lx + 18, ly + 12);

  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
      "font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
      "<style>\n"
      ".title{{font-size:18px;font-weight:bold;fill:#1f2328}} .sub{{font-size:12px;fill:#57606a}}\n"
      ".grid{{stroke:#eaeef2;stroke-width:1}} .tick{{font-size:11px;fill:#57606a;text-anchor:middle}}\n"
      ".stepband{{fill:#f6f8fa}} .stepspan{{fill:#ddf4ff;stroke:#54aeff;stroke-width:1}}\n"
      ".step{{font-size:13px;font-weight:bold;fill:#1f2328}} .label{{font-size:12px;fill:#1f2328}}\n"
      ".hook{{font-style:italic}} .hookmark{{fill:#8250df;stroke:#ffffff;stroke-width:1}}\n"
      ".dur{{font-size:11px;fill:#57606a}} .inside{{fill:#ffffff;text-anchor:end}} .notrun{{font-size:11px;fill:#8c959f;font-style:italic}}\n"
      ".legend{{font-size:12px;fill:#1f2328}}\n"
      "</style>\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n"
      "{2}</svg>\n",
      k_timeline_width, height, body);
}

std::string timeline_html(const RunRecord& record) {
  std::string svg = timeline_svg(record);
  svg.erase(0, svg.find("<svg"));  // no XML declaration inside HTML
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>wavesync timeline</title></head>\n"
         "<body style=\"margin:0;background:#fff\">\n" +
         svg + "</body></html>\n";
}

}  // namespace wavesync::output
