// Result<T> and Error: how fallible functions report failure inside wavesync.
// Shaped like C++23 std::expected; exceptions never cross a module boundary.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace wavesync {

// What went wrong, as one line a person can read: lower-case start, no trailing period,
// outer context first (`manifests/web.yaml:12:5: invalid sync-wave "abc": expected an integer`).
struct Error {
  std::string message;
  // Exit code the CLI should end with when this error reaches it (see README "Exit codes").
  int exit_code = 2;
  // HTTP status when the error came from an API server response, else 0.
  int http_status = 0;

  // Returns a copy with `context: ` put in front of the message.
  [[nodiscard]] Error wrap(const std::string& context) const {
    return Error{context + ": " + message, exit_code, http_status};
  }
};

namespace exit_code {
inline constexpr int k_ok = 0;
inline constexpr int k_sync_failed = 1;
inline constexpr int k_usage = 2;
inline constexpr int k_timeout = 3;
inline constexpr int k_cluster = 4;
inline constexpr int k_sigint = 130;
inline constexpr int k_sigterm = 143;
}  // namespace exit_code

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

inline Error make_error(std::string message, int code = exit_code::k_usage) {
  return Error{std::move(message), code};
}

}  // namespace wavesync
