list(APPEND WAVESYNC_TEST_SOURCES
  output/delete_plan_text_test.cpp
  output/diff_test.cpp
  output/format_test.cpp
  output/json_events_test.cpp
  output/live_frame_test.cpp
  output/log_reporter_test.cpp
  output/reports_test.cpp
  output/waited_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_output)
