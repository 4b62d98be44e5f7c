#include "wavesync/output/unified_diff.hpp"

#include <fmt/core.h>

#include <algorithm>

namespace wavesync::output {

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    out.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

namespace {

enum class Op { keep, remove, add };
struct Edit {
  Op op;
  std::size_t a;  // index in before (keep, remove)
  std::size_t b;  // index in after (keep, add)
};

// The edit script from a longest-common-subsequence table over the lines between the common
// prefix and suffix (which is where objects usually differ: a few fields).
std::vector<Edit> edit_script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  std::size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;
  const std::size_t n = a.size() - prefix - suffix;
  const std::size_t m = b.size() - prefix - suffix;
  // lcs[i][j]: LCS length of a[prefix+i..] and b[prefix+j..] within the middle part.
  std::vector<std::vector<unsigned>> lcs(n + 1, std::vector<unsigned>(m + 1, 0));
  for (std::size_t i = n; i-- > 0;)
    for (std::size_t j = m; j-- > 0;)
      lcs[i][j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::vector<Edit> out;
  for (std::size_t k = 0; k < prefix; ++k) out.push_back({Op::keep, k, k});
  std::size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[prefix + i] == b[prefix + j]) {
      out.push_back({Op::keep, prefix + i, prefix + j});
      ++i, ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      // Removals first, as diff -u prints them.
      out.push_back({Op::remove, prefix + i, prefix + j});
      ++i;
    } else {
      out.push_back({Op::add, prefix + i, prefix + j});
      ++j;
    }
  }
  for (std::size_t k = 0; k < suffix; ++k) out.push_back({Op::keep, a.size() - suffix + k, b.size() - suffix + k});
  return out;
}

std::string range(std::size_t start, std::size_t count) {
  // diff -u: a hunk with no lines on one side names the line before it.
  if (count == 0) return fmt::format("{},0", start);
  if (count == 1) return fmt::format("{}", start + 1);
  return fmt::format("{},{}", start + 1, count);
}

}  // namespace

std::string unified_diff(const std::vector<std::string>& before, const std::vector<std::string>& after,
                         std::string_view before_label, std::string_view after_label, int context) {
  const std::vector<Edit> edits = edit_script(before, after);
  const auto ctx = static_cast<std::size_t>(context < 0 ? 0 : context);
  std::string out;
  std::size_t k = 0;
  while (k < edits.size()) {
    // Next change.
    while (k < edits.size() && edits[k].op == Op::keep) ++k;
    if (k == edits.size()) break;
    std::size_t start = k >= ctx ? k - ctx : 0;
    // Extend the hunk while changes are within 2*ctx keeps of each other.
    std::size_t end = k;
    while (end < edits.size()) {
      if (edits[end].op != Op::keep) {
        ++end;
        continue;
      }
      std::size_t run = end;
      while (run < edits.size() && edits[run].op == Op::keep) ++run;
      if (run == edits.size() || run - end > 2 * ctx) {
        end = std::min(end + ctx, edits.size());
        break;
      }
      end = run;
    }
    std::size_t a_start = edits[start].a, b_start = edits[start].b, a_count = 0, b_count = 0;
    std::string lines;
    for (std::size_t e = start; e < end; ++e) {
      const Edit& ed = edits[e];
      switch (ed.op) {
        case Op::keep: lines += " " + before[ed.a] + "\n"; ++a_count; ++b_count; break;
        case Op::remove: lines += "-" + before[ed.a] + "\n"; ++a_count; break;
        case Op::add: lines += "+" + after[ed.b] + "\n"; ++b_count; break;
      }
    }
    out += fmt::format("@@ -{} +{} @@\n", range(a_start, a_count), range(b_start, b_count)) + lines;
    k = end;
  }
  if (out.empty()) return out;
  return fmt::format("--- {}\n+++ {}\n", before_label, after_label) + out;
}

}  // namespace wavesync::output
