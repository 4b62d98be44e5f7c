// XML/SVG text escaping shared by the JUnit and timeline writers. Pure.
#pragma once

#include <string>
#include <string_view>

namespace wavesync::output {

// Escapes & < > " ' and drops characters XML 1.0 forbids (other C0 controls).
std::string xml_escape(std::string_view text);

}  // namespace wavesync::output
