list(APPEND WAVESYNC_TEST_SOURCES applyset/applyset_test.cpp applyset/prune_plan_test.cpp
  applyset/inventory_test.cpp applyset/session_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_applyset)
