// wavesync's entry point: builds the command line and wires real implementations.
#include "commands.hpp"
#include "signals.hpp"
#include "version.hpp"

#include "wavesync/model/result.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <malloc.h>
#include <sys/resource.h>
#include <cstdlib>
#include <exception>
#include <new>
#include <unistd.h>

namespace {

// README "Exit codes": an exception or std::terminate reached main (a bug), reported in one line
// (sysexits.h EX_SOFTWARE).
constexpr int k_internal_error = 70;

// The last line of defence: an exception that escapes a worker thread (or any noexcept frame)
// ends here instead of in abort()'s core dump and stack of internals.
[[noreturn]] void on_terminate() {
  std::fputs("wavesync: error: internal error: unexpected termination (a bug in wavesync; please report it)\n",
             stderr);
  std::fflush(stderr);
  _exit(k_internal_error);
}

int internal_error(const char* what) {
  std::fflush(stdout);
  fmt::print(stderr, "wavesync: error: internal error: {} (a bug in wavesync; please report it)\n", what);
  return k_internal_error;
}

int run(int argc, char** argv) {
  CLI::App app{"wavesync: ordered, health-gated Kubernetes deploys by Argo CD sync waves"};
  app.set_version_flag("--version", std::string("wavesync ") + WAVESYNC_VERSION + " (" +
                                        WAVESYNC_GIT_REVISION + ")");
  app.require_subcommand(1);
  app.footer("Example:\n  wavesync apply ./manifests    # run `wavesync <command> --help` for each command");
  int exit_code = 0;
  wavesync::cli::setup_version(app, &exit_code);
  wavesync::cli::setup_plan(app, &exit_code);
  wavesync::cli::setup_apply(app, &exit_code);
  wavesync::cli::setup_health(app, &exit_code);
  wavesync::cli::setup_status(app, &exit_code);
  wavesync::cli::setup_diff(app, &exit_code);
  wavesync::cli::setup_delete(app, &exit_code);
  wavesync::cli::setup_completion(app, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "wavesync: error: {}\n", e.what());
    fmt::print(stderr, "run 'wavesync --help' for usage\n");
    return wavesync::exit_code::k_usage;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // A core file of this process may hold tokens, keys and Secret data: never write one.
  const rlimit no_core{0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
#ifdef __GLIBC__
  // glibc raises its mmap threshold each time a large block is freed (up to 32 MiB); after that,
  // list answers, request batches and step vectors come from the heap and leave resident holes.
  // A fixed threshold keeps blocks of 256 KiB and more mmapped, returned when freed. A re-apply of
  // 100,000 objects (issue 18's w4) peaked at 241 MB with it, 255-264 MB without.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
#endif
  wavesync::cli::install_signal_handlers();  // every command: Ctrl-C and SIGTERM end it cleanly
  std::set_terminate(on_terminate);
  // Errors are values inside wavesync; whatever still throws (a library, an allocation) becomes
  // one line and exit code 70 here, never std::terminate.
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc&) {
    return internal_error("out of memory");
  } catch (const std::exception& e) {
    return internal_error(e.what());
  } catch (...) {
    return internal_error("unknown exception");
  }
}
