list(APPEND WAVESYNC_TEST_SOURCES
  plan/plan_order_test.cpp
  plan/plan_annotations_test.cpp
  plan/plan_render_test.cpp
  plan/plan_secrets_test.cpp
  plan/object_policy_test.cpp
  plan/failure_policy_test.cpp
  plan/helm_hooks_test.cpp
  plan/live_options_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_plan wavesync_manifest)
