// Argo CD's glob (argo-cd util/glob, Match over gobwas/glob), used where Argo CD matches names
// with it: a directory source's include and exclude, ignoreDifferences' group and kind, health
// override keys. Pure.
#pragma once

#include <string_view>

namespace wavesync {

// GlobSeparator::none: `*` matches any run of characters, `/` included (Argo CD's Match without
// separators). GlobSeparator::slash: `*` and `?` stop at `/` (health script directory wildcards).
enum class GlobSeparator { none, slash };

// `*` any run of characters, `?` one character, `[abc]`, `[a-z]`, `[!a]` a class, `{a,b}`
// alternatives (nested too), `\x` the character x. A pattern gobwas cannot compile (an unclosed
// `[` or `{`) matches nothing, as Argo CD's Match answers false for it; so does a pattern whose
// alternatives multiply to more than 4,096 forms (wavesync's limit). Time is at most
// proportional to the pattern's length times the text's, per form.
bool glob_match(std::string_view pattern, std::string_view text, GlobSeparator separator = GlobSeparator::none);

}  // namespace wavesync
