list(APPEND WAVESYNC_TEST_SOURCES
  render/application_test.cpp
  render/ignore_differences_test.cpp
  render/kustomization_edit_test.cpp
  render/process_test.cpp
  render/render_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_render)
