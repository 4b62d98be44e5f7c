list(APPEND WAVESYNC_TEST_SOURCES fakes/fake_client.cpp fakes/fake_client_test.cpp)
