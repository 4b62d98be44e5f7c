list(APPEND WAVESYNC_TEST_SOURCES
  health/workloads_test.cpp
  health/pod_job_test.cpp
  health/other_rules_test.cpp
  health/conditions_rule_test.cpp
  health/diagnostics_test.cpp
  health/pod_block_test.cpp
  health/conformance_test.cpp
  health/report_test.cpp
  health/malformed_test.cpp
  health/sandbox_test.cpp
  health/operator_rules_test.cpp
)
list(APPEND WAVESYNC_TEST_LIBS wavesync_health wavesync_lua yaml-cpp)
