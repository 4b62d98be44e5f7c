// Ctrl-C and SIGTERM for every subcommand. main installs the handlers first thing: the first
// signal sets the interrupt flag (the engine stops starting new work and ends the run as
// interrupted, 130 / 143) and wakes a watcher thread; when the command has not ended within
// its grace period (0 unless it sets one: a command that does not poll the flag ends at once;
// a request or wait that does not return in time), the watcher runs the abort action (apply:
// write --report/--junit/--timeline) and exits 130 (SIGINT) or 143 (SIGTERM). A second signal
// exits at once.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>

namespace wavesync::cli {

// Installs the handlers once (later calls only return the flag) and returns the flag they set
// (0 until a signal arrives), for RunOptions::interrupt.
const std::atomic<int>* install_signal_handlers();

// How long the running command may take to stop by itself after the first signal.
void set_interrupt_grace(std::chrono::milliseconds grace);

// What must happen before the process ends early, whatever ends it (a signal or the run
// deadline), e.g. writing report files. Runs at most once; thread-safe. Empty: nothing.
void set_abort_action(std::function<void()> action);
void run_abort_action();

}  // namespace wavesync::cli
