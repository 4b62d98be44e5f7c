// Small file helpers for kube/: reading kubeconfig-referenced files (CA, certificates, token
// files). Errors say which file and why, and carry exit code 4.
#pragma once

#include "wavesync/model/result.hpp"

#include <string>

namespace wavesync::kube {

Result<std::string> read_file(const std::string& path);
bool is_regular_file(const std::string& path);
// A file that can be read as a stream: regular, a FIFO (`<(...)`, `/dev/stdin`) or a character
// device; not a directory.
bool is_readable_file(const std::string& path);
// `path` made absolute against `base_dir` when relative; empty stays empty.
std::string resolve_against(const std::string& path, const std::string& base_dir);

}  // namespace wavesync::kube
