list(APPEND WAVESYNC_TEST_SOURCES
  manifest/yaml_scalars_test.cpp
  manifest/yaml_structure_test.cpp
  manifest/objects_test.cpp
  manifest/loader_test.cpp
  manifest/alias_budget_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_manifest)
