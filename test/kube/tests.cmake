# kube/ unit tests: kubeconfig, exec credentials, request bodies, HttpClient against local
# HTTPS servers (cpp-httplib, HTTP/1.1) with a PKI generated at test time, and the client
# contract against the fake. Also builds wavesync_kube_e2e: the same contract and real-cluster
# cases against a live API server (needs WAVESYNC_E2E_KUBECONFIG; run by test/e2e).
pkg_check_modules(CPP_HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
list(APPEND WAVESYNC_TEST_SOURCES
  kube/kube_test_support.cpp
  kube/kubeconfig_test.cpp
  kube/exec_credential_test.cpp
  kube/requests_test.cpp
  kube/http_client_test.cpp
  kube/transport_faults_test.cpp
  kube/connection_errors_test.cpp
  kube/reconnect_test.cpp
  kube/kubeconfig_parity_test.cpp
  kube/untrusted_input_test.cpp
  kube/watch_resilience_test.cpp
  kube/contract/client_contract.cpp
  kube/contract_fake_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_kube PkgConfig::CPP_HTTPLIB OpenSSL::SSL OpenSSL::Crypto)

add_executable(wavesync_kube_e2e
  ${CMAKE_CURRENT_LIST_DIR}/e2e/main.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/e2e_env.cpp
  ${CMAKE_CURRENT_LIST_DIR}/e2e/kube_e2e_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/contract/client_contract.cpp
  ${CMAKE_CURRENT_LIST_DIR}/kube_test_support.cpp)
target_include_directories(wavesync_kube_e2e PRIVATE ${CMAKE_CURRENT_LIST_DIR}/.. ${PROJECT_SOURCE_DIR}/lib)
target_compile_options(wavesync_kube_e2e PRIVATE ${WAVESYNC_WARNINGS})
target_link_libraries(wavesync_kube_e2e PRIVATE wavesync_kube PkgConfig::CPP_HTTPLIB OpenSSL::SSL
  OpenSSL::Crypto Catch2::Catch2 Threads::Threads)
