# kube/ unit tests: kubeconfig, exec credentials, request bodies, and HttpClient against
# local HTTPS servers (cpp-httplib, HTTP/1.1) with a PKI generated at test time.
pkg_check_modules(CPP_HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
list(APPEND WAVESYNC_TEST_SOURCES
  kube/kube_test_support.cpp
  kube/kubeconfig_test.cpp
  kube/exec_credential_test.cpp
  kube/requests_test.cpp
  kube/http_client_test.cpp
  kube/transport_faults_test.cpp)
list(APPEND WAVESYNC_TEST_LIBS wavesync_kube PkgConfig::CPP_HTTPLIB OpenSSL::SSL OpenSSL::Crypto)
