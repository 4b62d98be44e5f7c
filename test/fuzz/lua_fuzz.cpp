// libFuzzer target: the Lua bridge. The input is a health script, optionally followed by a NUL
// byte and a JSON live object; the sandbox runs it and health reads the result as Argo CD would.
// Whatever the script does (loops, allocation, errors, odd return values) the run must end
// within its limits with a value or an error: no crash, no hang, no leak, no exception.
#include "wavesync/health/scripts.hpp"
#include "wavesync/lua/sandbox.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // One sandbox for the whole fuzzing session, as one wavesync run reuses its interpreters.
  static wavesync::lua::Sandbox sandbox(wavesync::lua::Limits{std::chrono::milliseconds(100), std::size_t{8} << 20});
  std::string input(reinterpret_cast<const char*>(data), size);
  std::string script = input;
  nlohmann::json obj = {{"apiVersion", "example.com/v1"}, {"kind", "Widget"}, {"status", {{"ready", true}}}};
  if (auto nul = input.find('\0'); nul != std::string::npos) {
    script = input.substr(0, nul);
    auto parsed = nlohmann::json::parse(input.substr(nul + 1), nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_discarded()) obj = std::move(parsed);
  }
  for (auto libs : {wavesync::lua::Libraries::argo, wavesync::lua::Libraries::open}) {
    auto returned = sandbox.run({"fuzz", script}, obj, libs);
    if (returned) (void)wavesync::health::verdict_of_script_result(*returned);
  }
  return 0;
}
