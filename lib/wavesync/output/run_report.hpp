// The files a run leaves for CI systems: `--report FILE.json` (plan, every event, per-resource
// timings and the result) and `--junit FILE.xml` (one test case per resource and hook, one
// test suite per step, failures carrying the diagnostics). Pure renderers plus one file write.
// Neither ever contains an object's body, so no Secret data reaches them.
#pragma once

#include "wavesync/model/result.hpp"
#include "wavesync/output/run_record.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace wavesync::output {

// {"runId","dryRun","result","exitCode","startedAt","durationMs","reasons","plan","steps",
// "diagnostics","events"}; documented in the README ("Reports").
nlohmann::json run_report_json(const RunRecord& record, const Plan* plan);

// JUnit XML as GitLab, Jenkins and the GitHub test-report actions read it.
std::string junit_xml(const RunRecord& record);

// Writes `text` to `path` (replacing it). Error: `--report out.json: cannot write: <reason>`.
Result<void> write_text_file(const std::string& flag, const std::string& path, const std::string& text);

}  // namespace wavesync::output
