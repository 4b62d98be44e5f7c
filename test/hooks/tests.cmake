list(APPEND WAVESYNC_TEST_SOURCES hooks/hook_annotations_test.cpp hooks/hook_finalizer_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_hooks)
