#include "signals.hpp"

#include "wavesync/model/result.hpp"

#include <fmt/core.h>

#include <csignal>
#include <cstdio>
#include <mutex>
#include <thread>
#include <unistd.h>

namespace wavesync::cli {
namespace {

// Process-wide signal state: a signal handler can reach nothing else. The flag and the pipe
// are written by the handler; the rest by the main thread through the functions below.
std::atomic<int> g_interrupt{0};
int g_wake[2] = {-1, -1};
std::atomic<long long> g_grace_ms{0};
std::mutex g_abort_mutex;
std::function<void()> g_abort_action;
bool g_aborted = false;

extern "C" void on_signal(int signal) {
  int expected = 0;
  if (!g_interrupt.compare_exchange_strong(expected, signal)) _exit(128 + signal);
  const char byte = 1;
  (void)!::write(g_wake[1], &byte, 1);
}

void watch_for_signals() {
  char byte = 0;
  while (::read(g_wake[0], &byte, 1) < 0) {
  }
  const int signal = g_interrupt.load();
  std::this_thread::sleep_for(std::chrono::milliseconds(g_grace_ms.load()));
  fmt::print(stderr, "wavesync: error: interrupted by {}\n", signal == SIGTERM ? "SIGTERM" : "SIGINT");
  std::fflush(stderr);
  run_abort_action();
  _exit(signal == SIGTERM ? exit_code::k_sigterm : exit_code::k_sigint);
}

}  // namespace

const std::atomic<int>* install_signal_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (::pipe(g_wake) != 0) return;  // the default actions stay: a signal still ends the process
    std::thread(watch_for_signals).detach();
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
  });
  return &g_interrupt;
}

void set_interrupt_grace(std::chrono::milliseconds grace) { g_grace_ms = grace.count(); }

void set_abort_action(std::function<void()> action) {
  std::lock_guard lock(g_abort_mutex);
  g_abort_action = std::move(action);
}

void run_abort_action() {
  std::lock_guard lock(g_abort_mutex);
  if (g_aborted || !g_abort_action) return;
  g_aborted = true;
  g_abort_action();
}

}  // namespace wavesync::cli
