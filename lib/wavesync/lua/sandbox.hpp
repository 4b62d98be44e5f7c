// An embedded Lua 5.1 interpreter for running untrusted scripts the way Argo CD runs its health
// scripts (argo-cd util/lua/lua.go, runLua): the live object as the global `obj`, only the
// libraries Argo CD opens, one value back. Not a general Lua host: no file, process or network
// access, no loading of precompiled bytecode or of code at run time, a time and a memory limit
// per run. Knows nothing about health; the health module turns the returned value into a verdict.
#pragma once

#include "wavesync/model/result.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace wavesync::lua {

struct Limits {
  // Wall-clock time per run, checked every 1,000 Lua instructions (Argo CD: 1 s per script).
  std::chrono::milliseconds time{1000};
  // Memory one interpreter may hold, compiled scripts included; an allocation past it fails
  // the run with "not enough memory".
  std::size_t memory_bytes = std::size_t{64} << 20;
};

// `argo`: base, table, package (`require`) and a safe `os` with only `time` and `date`, what
// Argo CD opens for an argocd-cm script. `open`: also `string` and `math`, for Argo CD's
// `useOpenLibs` (its bundled scripts and `resource.customizations.useOpenLibs`). Argo CD's open
// libraries also include io, debug and coroutine; the sandbox never opens those.
enum class Libraries { argo, open };

// A script's source and the name its error messages start with (`NAME:3: ...`).
struct Script {
  std::string name;
  std::string source;
};

struct RunContext;  // internal to sandbox.cpp

// Runs scripts in a small pool of interpreters, each compiling a script once and reusing it
// for every later run. Thread-safe: concurrent runs take different interpreters.
class Sandbox {
 public:
  explicit Sandbox(Limits limits = {});
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  // Runs `script` with `obj` bound to the global `obj` (JSON null becomes nil, as in Argo CD)
  // and returns the last value it returned, converted to JSON as Argo CD's gopher-json encodes
  // it: nil -> null, a table with array items -> array, other tables -> object (an empty table
  // is `[]`). Fails with one line for a syntax error, a run-time error, a precompiled chunk, the
  // time or memory limit, or a value that cannot be encoded (function, cycle, mixed keys).
  Result<nlohmann::json> run(const Script& script, const nlohmann::json& obj, Libraries libs);

  // Only compiles `script`: its syntax error, or nothing.
  Result<void> check(const Script& script);

  const Limits& limits() const { return limits_; }

 private:
  struct Pool;
  Result<nlohmann::json> execute(RunContext& ctx);
  Limits limits_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace wavesync::lua
