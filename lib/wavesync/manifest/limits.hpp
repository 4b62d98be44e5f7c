// The limits the manifest loader enforces, in one place. Each guards against a class of
// bad input (huge files, alias bombs, runaway nesting) with a clear error instead of a
// slow parse or memory exhaustion. Raise one only with a user's reason in the README.
#pragma once

#include <cstddef>

namespace wavesync::manifest {

// Bytes per input file (and for stdin).
inline constexpr std::size_t k_max_file_bytes = 10u * 1024 * 1024;
// YAML documents per file, empty ones included.
inline constexpr std::size_t k_max_documents_per_file = 20000;
// Nesting of mappings and sequences, after alias expansion (go-yaml v2 allows 10,000; real
// manifests need a few dozen).
inline constexpr std::size_t k_max_depth = 1000;
// Nodes per document after alias expansion: bounds a "billion laughs" document.
inline constexpr std::size_t k_max_nodes_per_document = 1000000;
// Nodes added by aliases, all documents of a file together: without it, thousands of small
// "billion laughs" documents, each under the per-document bound, would take minutes and
// gigabytes (found by testing a 3 MB file of them).
inline constexpr std::size_t k_max_alias_nodes_per_file = 1000000;
// JSON bytes per object: the API server's default request body limit (1.5 MiB).
inline constexpr std::size_t k_max_object_json_bytes = 3u * 512 * 1024;
// Objects in one load, all files together. 100,000 was too few for the 100,000-object
// benchmark workload w4 (plus its namespaces); `wavesync plan` of w4 peaks at 408 MB, so
// 250,000 small objects need about 1 GB.
inline constexpr std::size_t k_max_objects = 250000;

}  // namespace wavesync::manifest
