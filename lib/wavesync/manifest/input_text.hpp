// One input's text, read whole but never past the size limit (k_max_file_bytes): a regular file
// is refused by its size before it is read; stdin, a pipe or a device is read in chunks and
// refused as soon as it passes the limit, so a huge input costs 10 MiB of memory, not its size.
// Reads and nothing more: parsing is manifest_stream.hpp.
#pragma once

#include "wavesync/model/result.hpp"

#include <filesystem>
#include <istream>
#include <string>

namespace wavesync::manifest {

// The text of the file at `path`; `name` says which in messages (`name: cannot read: ...`,
// `name: 11534336 bytes is too large: ...`).
Result<std::string> read_file_text(const std::filesystem::path& path, const std::string& name);

// Everything `in` holds, up to the limit (`name: input is too large: ...` past it).
Result<std::string> read_stream_text(std::istream& in, const std::string& name);

}  // namespace wavesync::manifest
