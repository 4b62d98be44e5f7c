#include "wavesync/kube/cluster_text.hpp"

#include <cstdio>

namespace wavesync::kube {
namespace {

// Length of the UTF-8 sequence starting at `i`, or 0 when it is not valid UTF-8.
std::size_t utf8_length(std::string_view s, std::size_t i, char32_t* code) {
  const auto b = static_cast<unsigned char>(s[i]);
  std::size_t n = 0;
  char32_t c = 0;
  if (b < 0x80) {
    *code = b;
    return 1;
  }
  if ((b & 0xE0) == 0xC0) {
    n = 2;
    c = b & 0x1F;
  } else if ((b & 0xF0) == 0xE0) {
    n = 3;
    c = b & 0x0F;
  } else if ((b & 0xF8) == 0xF0) {
    n = 4;
    c = b & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto cont = static_cast<unsigned char>(s[i + k]);
    if ((cont & 0xC0) != 0x80) return 0;
    c = (c << 6) | (cont & 0x3F);
  }
  const bool overlong = (n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000);
  if (overlong || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  *code = c;
  return n;
}

bool is_control(char32_t c) {
  return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F);
}

// Offset of the first non-blank character of the line starting at `i`.
std::size_t skip_blanks(std::string_view s, std::size_t i) {
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  return i;
}

bool command_at(std::string_view s, std::size_t line_start) {
  const std::size_t i = skip_blanks(s, line_start);
  return s.substr(i, 2) == "::";
}

}  // namespace

bool needs_neutralizing(std::string_view text) {
  if (command_at(text, 0)) return true;
  for (std::size_t i = 0; i < text.size();) {
    char32_t c = 0;
    const std::size_t n = utf8_length(text, i, &c);
    if (n == 0 || is_control(c)) return true;
    if (c == '\n' && command_at(text, i + 1)) return true;
    i += n;
  }
  return false;
}

std::string neutralize_text(std::string_view text) {
  if (!needs_neutralizing(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 16);
  bool line_start = true;
  for (std::size_t i = 0; i < text.size();) {
    if (line_start) {
      line_start = false;
      const std::size_t j = skip_blanks(text, i);
      if (text.substr(j, 2) == "::") {
        out.append(text.substr(i, j - i));
        out += ": :";
        i = j + 2;
        continue;
      }
    }
    char32_t c = 0;
    const std::size_t n = utf8_length(text, i, &c);
    char buffer[16];
    if (n == 0) {
      std::snprintf(buffer, sizeof buffer, "\\x%02X", static_cast<unsigned char>(text[i]));
      out += buffer;
      i += 1;
      continue;
    }
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      i += 1;  // CRLF line ends read as LF
      continue;
    }
    if (is_control(c)) {
      std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(c));
      out += buffer;
    } else {
      out.append(text.substr(i, n));
    }
    if (c == '\n') line_start = true;
    i += n;
  }
  return out;
}

void neutralize_strings(nlohmann::json& value) {
  if (value.is_string()) {
    auto& s = value.get_ref<std::string&>();
    if (needs_neutralizing(s)) s = neutralize_text(s);
  } else if (value.is_structured()) {
    for (auto& child : value) neutralize_strings(child);
  }
}

}  // namespace wavesync::kube
