// Argo CD's directory source (reposerver/repository/repository.go, getPotentiallyValidManifests):
// which files of a directory are manifests, by recurse, include and exclude.
#pragma once

#include "wavesync/model/glob.hpp"
#include "wavesync/model/result.hpp"
#include "wavesync/render/request.hpp"

#include <string>
#include <vector>

namespace wavesync::render {

// Argo CD's glob (util/glob, Match): `*` matches any run of characters including `/`.
using wavesync::glob_match;

// The `.yaml`, `.yml` and `.json` files of `dir` (its subdirectories too with `recurse`, `.git`
// left out) whose path relative to `dir` passes exclude and include, sorted. A `.jsonnet`
// file among them is an error: wavesync does not evaluate Jsonnet.
Result<std::vector<std::string>> directory_files(const std::string& dir, const DirectoryOptions& options);

}  // namespace wavesync::render
