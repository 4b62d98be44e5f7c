// Loads Kubernetes manifests from files, directories (recursive, sorted) and stdin (`-`)
// into Resources carrying the exact JSON `kubectl apply` would send. Reads the file
// system and nothing else; every failure is one `file:line:column: ...` error.
#pragma once

#include "wavesync/manifest/identity.hpp"
#include "wavesync/model/resource.hpp"
#include "wavesync/model/result.hpp"

#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace wavesync::manifest {

enum class SymlinkPolicy {
  stay_inside,  // a symlink found in a directory is followed only if it stays inside that directory
  follow,       // follow every symlink (--follow-symlinks)
};

struct LoadOptions {
  std::string default_namespace = "default";
  // Globs (fnmatch) matched against the path relative to the argument and the basename.
  std::vector<std::string> excludes;
  SymlinkPolicy symlinks = SymlinkPolicy::stay_inside;
  NamespacePolicy namespaces = NamespacePolicy::default_missing;
  DuplicatePolicy duplicates = DuplicatePolicy::keep_last;
};

struct LoadResult {
  std::vector<Resource> resources;    // files in walk order, documents in file order
  std::vector<std::string> warnings;  // e.g. skipped symlinks; each starts with a path
};

// The name inputs read from stdin get in messages.
inline constexpr const char* k_stdin_name = "<stdin>";

// Loads every path in order; `-` reads `stdin_stream`. In a directory only `.yaml`,
// `.yml` and `.json` files count; a file named explicitly is read whatever its name.
Result<LoadResult> load_manifests(const std::vector<std::string>& paths, const LoadOptions& options,
                                  std::istream& stdin_stream);

// Loads one manifest text as if read from a file called `file` (tests, stdin).
Result<LoadResult> load_manifest_text(std::string_view text, const std::string& file, const LoadOptions& options);

}  // namespace wavesync::manifest
