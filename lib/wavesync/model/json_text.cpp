#include "wavesync/model/json_text.hpp"

#include <algorithm>

namespace wavesync {

std::string dump_compact(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void append_json_string(std::string& out, const std::string& s) {
  const bool plain =
      std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (!plain) {
    out.append(dump_compact(nlohmann::json(s)));
    return;
  }
  out.push_back('"');
  out.append(s);
  out.push_back('"');
}

}  // namespace wavesync
