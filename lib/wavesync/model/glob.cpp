// Alternatives are expanded first; each brace-free pattern is then matched by dynamic
// programming over (pattern item, text position), so no pattern can backtrack exponentially.
#include "wavesync/model/glob.hpp"

#include <string>
#include <vector>

namespace wavesync {

namespace {

// More alternatives than this (`{a,b}{c,d}...` multiplies them) and the pattern matches nothing.
constexpr std::size_t k_max_alternatives = 4096;

struct Item {
  enum Kind { star, any, set, literal } kind = literal;
  char c = 0;           // literal
  std::string ranges;   // set: pairs lo,hi
  bool negate = false;  // set
};

// The items of a brace-free pattern; false for an unclosed `[`.
bool parse(std::string_view pattern, std::vector<Item>& items) {
  for (std::size_t p = 0; p < pattern.size(); ++p) {
    const char c = pattern[p];
    Item item;
    if (c == '*') {
      if (!items.empty() && items.back().kind == Item::star) continue;
      item.kind = Item::star;
    } else if (c == '?') {
      item.kind = Item::any;
    } else if (c == '[') {
      item.kind = Item::set;
      std::size_t i = p + 1;
      item.negate = i < pattern.size() && pattern[i] == '!';
      if (item.negate) ++i;
      const std::size_t first = i;
      for (; i < pattern.size() && (pattern[i] != ']' || i == first); ++i) {
        char lo = pattern[i];
        char hi = lo;
        if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
          hi = pattern[i + 2];
          i += 2;
        }
        item.ranges += lo;
        item.ranges += hi;
      }
      if (i >= pattern.size()) return false;
      p = i;
    } else {
      item.c = c == '\\' && p + 1 < pattern.size() ? pattern[++p] : c;
    }
    items.push_back(std::move(item));
  }
  return true;
}

bool one(const Item& item, char c, bool slash) {
  switch (item.kind) {
    case Item::any:
      return !(slash && c == '/');
    case Item::set: {
      bool in = false;
      for (std::size_t i = 0; i + 1 < item.ranges.size(); i += 2) {
        if (c >= item.ranges[i] && c <= item.ranges[i + 1]) in = true;
      }
      return in != item.negate;
    }
    default:
      return item.c == c;
  }
}

bool match_plain(std::string_view pattern, std::string_view text, bool slash) {
  std::vector<Item> items;
  if (!parse(pattern, items)) return false;
  const std::size_t m = text.size();
  // next[t]: items[i+1..] match text[t..]; row[t]: items[i..] match text[t..].
  std::vector<char> next(m + 1, 0);
  std::vector<char> row(m + 1, 0);
  next[m] = 1;
  for (std::size_t i = items.size(); i-- > 0;) {
    const Item& item = items[i];
    row[m] = item.kind == Item::star ? next[m] : 0;
    for (std::size_t t = m; t-- > 0;) {
      if (item.kind == Item::star) {
        row[t] = next[t] || (!(slash && text[t] == '/') && row[t + 1]);
      } else {
        row[t] = one(item, text[t], slash) && next[t + 1];
      }
    }
    std::swap(row, next);
  }
  return next[0] != 0;
}

// Appends the brace-free forms of `pattern` to `out`; false for an unclosed `{` or too many.
bool expand(const std::string& pattern, std::vector<std::string>& out) {
  std::size_t open = 0;
  for (; open < pattern.size(); ++open) {
    if (pattern[open] == '\\') {
      ++open;
    } else if (pattern[open] == '{') {
      break;
    }
  }
  if (open >= pattern.size()) {
    if (out.size() >= k_max_alternatives) return false;
    out.push_back(pattern);
    return true;
  }
  int level = 0;
  std::size_t close = open;
  std::vector<std::size_t> cuts{open};
  for (; close < pattern.size(); ++close) {
    const char c = pattern[close];
    if (c == '\\') {
      ++close;
    } else if (c == '{') {
      ++level;
    } else if (c == '}' && --level == 0) {
      break;
    } else if (c == ',' && level == 1) {
      cuts.push_back(close);
    }
  }
  if (close >= pattern.size()) return false;
  cuts.push_back(close);
  const std::string prefix = pattern.substr(0, open);
  const std::string rest = pattern.substr(close + 1);
  for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
    if (!expand(prefix + pattern.substr(cuts[i] + 1, cuts[i + 1] - cuts[i] - 1) + rest, out)) return false;
  }
  return true;
}

}  // namespace

bool glob_match(std::string_view pattern, std::string_view text, GlobSeparator separator) {
  std::vector<std::string> alternatives;
  if (!expand(std::string(pattern), alternatives)) return false;
  for (const std::string& alternative : alternatives) {
    if (match_plain(alternative, text, separator == GlobSeparator::slash)) return true;
  }
  return false;
}

}  // namespace wavesync
