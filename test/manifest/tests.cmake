list(APPEND WAVESYNC_TEST_SOURCES
  manifest/yaml_scalars_test.cpp
  manifest/yaml_structure_test.cpp
  manifest/objects_test.cpp
  manifest/input_text_test.cpp
  manifest/loader_test.cpp
  manifest/alias_budget_test.cpp
  manifest/text_bodies_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_manifest)

# wavesync's side of the differential test against kubectl's reader (test/manifest/differential.py).
add_executable(wavesync_read_manifest manifest/read_manifest.cpp)
target_include_directories(wavesync_read_manifest PRIVATE ${PROJECT_SOURCE_DIR}/lib)
target_compile_options(wavesync_read_manifest PRIVATE ${WAVESYNC_WARNINGS})
target_link_libraries(wavesync_read_manifest PRIVATE wavesync_manifest)
