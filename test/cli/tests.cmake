list(APPEND WAVESYNC_TEST_SOURCES
  cli/completion_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_cli_docs)
