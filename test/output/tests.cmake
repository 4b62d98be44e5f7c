list(APPEND WAVESYNC_TEST_SOURCES
  output/format_test.cpp
  output/json_events_test.cpp
  output/log_reporter_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_output)
