// A unified diff of two texts, line by line (longest common subsequence), as `diff -u` prints
// it: `---`/`+++` headers, `@@ -a,b +c,d @@` hunks with `context` lines around each change.
// Pure. Meant for Kubernetes objects (hundreds of lines), not for large files.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace wavesync::output {

std::vector<std::string> split_lines(std::string_view text);

// Empty when the texts are equal.
std::string unified_diff(const std::vector<std::string>& before, const std::vector<std::string>& after,
                         std::string_view before_label, std::string_view after_label, int context = 3);

}  // namespace wavesync::output
