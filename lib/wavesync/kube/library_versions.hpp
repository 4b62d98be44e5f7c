// The versions of the TLS and HTTP libraries wavesync runs with, as loaded at run time (the
// shared libraries may be newer than the headers it was built against); for bug reports.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace wavesync::kube {

// {name, version} pairs: libcurl, then OpenSSL.
std::vector<std::pair<std::string, std::string>> network_library_versions();

}  // namespace wavesync::kube
