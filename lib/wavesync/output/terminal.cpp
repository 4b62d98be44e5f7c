#include "wavesync/output/terminal.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace wavesync::output {

void FileTerminal::write(std::string_view text) {
  std::fwrite(text.data(), 1, text.size(), file_);
  std::fflush(file_);
}

int FileTerminal::width() {
  winsize ws{};
  if (ioctl(fileno(file_), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  if (const char* columns = std::getenv("COLUMNS")) {
    const int n = std::atoi(columns);
    if (n > 0) return n;
  }
  return 80;
}

bool FileTerminal::is_tty() const { return isatty(fileno(file_)) == 1; }

bool use_color(ColorMode mode, bool is_tty, const char* no_color_env, const char* term_env) {
  switch (mode) {
    case ColorMode::always: return true;
    case ColorMode::never: return false;
    case ColorMode::auto_detect: break;
  }
  // https://no-color.org: a NO_COLOR that is present and not empty disables colour.
  if (no_color_env != nullptr && *no_color_env != '\0') return false;
  if (term_env != nullptr && std::strcmp(term_env, "dumb") == 0) return false;
  return is_tty;
}

}  // namespace wavesync::output
