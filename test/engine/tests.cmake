list(APPEND WAVESYNC_TEST_SOURCES
  engine/steps_test.cpp
  engine/hooks_test.cpp
  engine/failures_test.cpp
  engine/apply_outcome_test.cpp
  engine/adoption_test.cpp
  engine/validation_test.cpp
  engine/unvalidated_write_test.cpp
  engine/prune_runner_test.cpp
  engine/grace_retry_test.cpp
  engine/failure_policy_test.cpp
  engine/sync_options_test.cpp
  engine/live_objects_test.cpp
  engine/delete_wait_test.cpp
  engine/delete_run_test.cpp
  engine/status_test.cpp
  engine/item_verdict_test.cpp
  engine/step_outcome_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_engine)
