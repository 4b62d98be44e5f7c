#include "wavesync/kube/library_versions.hpp"

#include <curl/curl.h>
#include <openssl/crypto.h>

namespace wavesync::kube {

std::vector<std::pair<std::string, std::string>> network_library_versions() {
  const curl_version_info_data* curl = curl_version_info(CURLVERSION_NOW);
  return {
      {"libcurl", curl && curl->version ? curl->version : "unknown"},
      {"OpenSSL", OpenSSL_version(OPENSSL_VERSION)},
  };
}

}  // namespace wavesync::kube
