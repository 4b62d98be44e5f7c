// Terminal: where reporters write human-readable text. Reporters never touch stdout/stderr
// directly, so tests hand in a StringTerminal and read back exactly what was written.
// FileTerminal is the real one over a stdio stream. Not a line discipline, not a pager.
#pragma once

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace wavesync::output {

class Terminal {
 public:
  virtual ~Terminal() = default;
  // Writes and flushes `text` (may contain escape sequences when the reporter chose them).
  virtual void write(std::string_view text) = 0;
  // Columns available; 80 when unknown.
  virtual int width() = 0;
};

// Collects everything written; width is fixed.
class StringTerminal final : public Terminal {
 public:
  explicit StringTerminal(int width = 80) : width_(width) {}
  void write(std::string_view text) override {
    std::lock_guard lock(mutex_);
    text_ += text;
  }
  int width() override { return width_; }
  std::string text() const {
    std::lock_guard lock(mutex_);
    return text_;
  }

 private:
  mutable std::mutex mutex_;
  std::string text_;
  int width_;
};

// A stdio stream (stderr for progress). width() asks the kernel (TIOCGWINSZ), then $COLUMNS.
class FileTerminal final : public Terminal {
 public:
  explicit FileTerminal(std::FILE* file) : file_(file) {}
  void write(std::string_view text) override;
  int width() override;
  // Whether the stream is a terminal (isatty).
  [[nodiscard]] bool is_tty() const;

 private:
  std::FILE* file_;
};

enum class ColorMode { auto_detect, always, never };

// --color auto: colour only on a terminal, unless NO_COLOR is set (any value) or TERM=dumb.
bool use_color(ColorMode mode, bool is_tty, const char* no_color_env, const char* term_env);

}  // namespace wavesync::output
