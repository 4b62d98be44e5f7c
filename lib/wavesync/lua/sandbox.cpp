// The sandbox: one lua_State per interpreter, its allocator capped, a count hook that enforces
// the deadline, and a fresh environment table per run so one script can never see or change
// what another left behind. Argo CD gets the same isolation by creating a new gopher-lua state
// per script (util/lua/lua.go runLuaWithResourceActionParameters); reusing states and compiled
// chunks is what makes judging 10,000 objects cheap here.
#include "wavesync/lua/sandbox.hpp"

#include "wavesync/lua/values.hpp"

#include <cstdlib>
#include <cstring>
#include <string>
#include <mutex>
#include <vector>

extern "C" {
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#ifdef WAVESYNC_LUAJIT
#include <luajit.h>
#endif
}

namespace wavesync::lua {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int k_hook_every = 1000;  // instructions between deadline checks

// Registry keys: only their addresses are used, as unique light userdata.
const char k_interp_key = 0;
const char k_compiled_key = 0;
const char k_base_key = 0;
const char k_lib_table_key = 0;
const char k_lib_os_key = 0;
const char k_lib_string_key = 0;
const char k_lib_math_key = 0;
const char k_env_key = 0;

void push_key(lua_State* L, const char& key) { lua_pushlightuserdata(L, const_cast<char*>(&key)); }

struct Interp {
  lua_State* L = nullptr;
  std::size_t used = 0;
  std::size_t limit = 0;
  bool capped = false;  // false when the Lua build refuses a custom allocator (LuaJIT on x86-64)
  Clock::time_point deadline;
  bool expired = false;
  std::chrono::milliseconds time{0};
  int nested = 0;  // library calls from C back into Lua now open (pcall, sort, gsub, ...)
};

void* capped_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
  auto* interp = static_cast<Interp*>(ud);
  if (ptr == nullptr) osize = 0;
  if (nsize == 0) {
    std::free(ptr);
    interp->used -= osize;
    return nullptr;
  }
  if (nsize > osize && interp->used + (nsize - osize) > interp->limit) return nullptr;
  void* out = std::realloc(ptr, nsize);
  if (out != nullptr) interp->used = interp->used - osize + nsize;
  return out;
}

Interp* interp_of(lua_State* L) {
  push_key(L, k_interp_key);
  lua_rawget(L, LUA_REGISTRYINDEX);
  auto* interp = static_cast<Interp*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return interp;
}

void deadline_hook(lua_State* L, lua_Debug*) {
  Interp* interp = interp_of(L);
  if (interp->expired || Clock::now() >= interp->deadline) {
    interp->expired = true;
    // Fire on every instruction from now on, so a script that catches this error with pcall
    // cannot keep running; safe_pcall re-raises it as well.
    lua_sethook(L, deadline_hook, LUA_MASKCOUNT, 1);
    luaL_error(L, "timed out after %dms", static_cast<int>(interp->time.count()));
  }
}

// Library functions written in C that call back into Lua (pcall, xpcall, table.sort and
// foreach, string.gsub and format, os.time through __index) put a C frame on the machine stack
// for every level, and LuaJIT bounds only its own Lua stack: `gsub(s, '.', f)` with f calling
// gsub again, or `table.sort(t, table.sort)` with t = {table.sort, t}, would overflow the C stack
// (a crash) long before, and may run no Lua instruction for the count hook to stop. Each such call
// goes through nested_call: at most k_max_nested levels at once, none once the deadline has
// passed (an xpcall error handler that calls xpcall again is stopped here too), and the level is
// always released because the call is protected; the caller decides whether to re-raise.
constexpr int k_max_nested = 64;

// Calls the function below the `nargs` arguments on the top, like lua_pcall, as one level.
int nested_call(lua_State* L, int nargs, int errfunc) {
  Interp* interp = interp_of(L);
  if (interp->expired || Clock::now() >= interp->deadline) {
    interp->expired = true;
    return luaL_error(L, "timed out after %dms", static_cast<int>(interp->time.count()));
  }
  if (interp->nested >= k_max_nested) {
    return luaL_error(L, "calls nested too deeply (more than %d levels of pcall, xpcall, sort, gsub, format or os.time)",
                      k_max_nested);
  }
  ++interp->nested;
  int status = lua_pcall(L, nargs, LUA_MULTRET, errfunc);
  --interp->nested;
  return status;
}

// pcall and xpcall that do not swallow the deadline: once a run has timed out, every error
// propagates to the top.
int safe_pcall(lua_State* L) {
  luaL_checkany(L, 1);
  int status = nested_call(L, lua_gettop(L) - 1, 0);
  if (status != 0 && interp_of(L)->expired) return lua_error(L);
  lua_pushboolean(L, status == 0 ? 1 : 0);
  lua_insert(L, 1);
  return lua_gettop(L);
}

int safe_xpcall(lua_State* L) {
  luaL_checkany(L, 2);
  lua_settop(L, 2);
  lua_insert(L, 1);  // handler, function
  int status = nested_call(L, 0, 1);
  if (status != 0 && interp_of(L)->expired) return lua_error(L);
  lua_pushboolean(L, status == 0 ? 1 : 0);
  lua_replace(L, 1);
  return lua_gettop(L);
}

// Calls the library function in upvalue 1 with the arguments through nested_call; its errors
// propagate. An error the library function raised itself carries no position and names the
// function `?` (it was called from C); it gets the script's position and `name`, as a direct
// call would have reported it. Errors from Lua code deeper down already start with the
// script's name and are left alone, as are memory errors and the time limit.
int call_original_named(lua_State* L, const char* name) {
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  int status = nested_call(L, lua_gettop(L) - 1, 0);
  if (status == 0) return lua_gettop(L);
  if (status != LUA_ERRRUN || lua_type(L, -1) != LUA_TSTRING || interp_of(L)->expired) return lua_error(L);
  std::string message = lua_tostring(L, -1);
  // The caller's position; none after a tail call (`return f()`), as Lua gives none there either.
  lua_Debug caller;
  std::string chunk;
  int line = 0;
  if (lua_getstack(L, 1, &caller) != 0 && lua_getinfo(L, "Sl", &caller) != 0 && caller.currentline > 0) {
    chunk = std::string(caller.short_src) + ":";
    line = caller.currentline;
  }
  if (!chunk.empty() && message.compare(0, chunk.size(), chunk) == 0) return lua_error(L);  // from the script
  if (auto unnamed = message.find(" to '?'"); unnamed != std::string::npos && message.rfind("bad argument", 0) == 0) {
    message.replace(unnamed, 7, std::string(" to '") + name + "'");
  }
  if (line > 0) message = chunk + std::to_string(line) + ": " + message;
  lua_pop(L, 1);
  lua_pushlstring(L, message.data(), message.size());
  return lua_error(L);
}

// The library function in upvalue 1, named by upvalue 2, through call_original_named.
int call_original(lua_State* L) {
  const char* name = lua_tostring(L, lua_upvalueindex(2));
  return call_original_named(L, name != nullptr ? name : "?");
}

// Argo CD's print writes to the controller's log; here it would corrupt `-o json` output.
int discard_print(lua_State*) { return 0; }

// string.rep refuses a result larger than the memory limit up front, and answers an empty
// string or a non-positive count at once, instead of looping billions of times in C where the
// deadline hook cannot interrupt it.
int safe_rep(lua_State* L) {
  std::size_t len = 0;
  luaL_checklstring(L, 1, &len);
  lua_Number n = luaL_checknumber(L, 2);
  if (len == 0 || n < 1) {
    lua_pushliteral(L, "");
    return 1;
  }
  Interp* interp = interp_of(L);
  if (n * static_cast<lua_Number>(len) > static_cast<lua_Number>(interp->limit)) {
    return luaL_error(L, "not enough memory");
  }
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, 1);
  return 1;
}

// Lua's pattern matcher runs in C, where the deadline hook cannot stop it, and backtracks: each
// repetition item (`*`, `+`, `-`, `?`) can multiply the work by the subject's length. A call
// whose worst case passes k_max_match_steps is refused before it starts; patterns without
// repetitions, plain finds and the short subjects health scripts match (messages, timestamps)
// are never affected.
constexpr double k_max_match_steps = 1e10;

// The repetition items (`x*`, `%d+`, `[ab]-`, `.?`) of a Lua pattern: a `*`, `+`, `-` or `?`
// counts only after a single-character class, as Lua's matcher reads it.
int repetitions_in(const char* p, std::size_t len) {
  int count = 0;
  std::size_t i = len > 0 && p[0] == '^' ? 1 : 0;
  while (i < len) {
    char c = p[i];
    if (c == '(' || c == ')') {
      ++i;
      continue;
    }
    if (c == '%' && i + 1 < len && p[i + 1] == 'b') {
      i += 4;  // %bxy: balanced match, no repetition
      continue;
    }
    if (c == '%' && i + 1 < len && p[i + 1] == 'f') {
      i += 2;  // %f[set]: a frontier, then its set below without a quantifier
      c = i < len ? p[i] : '\0';
      if (c != '[') continue;
    }
    if (c == '[') {
      std::size_t j = i + 1;
      if (j < len && p[j] == '^') ++j;
      if (j < len) ++j;  // a `]` first in the set is literal
      while (j < len && p[j] != ']') j += p[j] == '%' ? 2 : 1;
      i = j + 1;
    } else {
      i += c == '%' ? 2 : 1;
    }
    if (i < len && (p[i] == '*' || p[i] == '+' || p[i] == '-' || p[i] == '?')) {
      ++count;
      ++i;
    }
  }
  return count;
}

int guarded_match(lua_State* L) {
  std::size_t n = 0;
  std::size_t plen = 0;
  const char* subject = lua_tolstring(L, 1, &n);
  const char* pattern = lua_tolstring(L, 2, &plen);
  bool plain = lua_toboolean(L, 4) != 0 && lua_tonumber(L, lua_upvalueindex(2)) == 1;  // find's 4th argument
  if (subject != nullptr && pattern != nullptr && !plain) {
    int repetitions = repetitions_in(pattern, plen);
    if (repetitions > 0) {
      double positions = plen > 0 && pattern[0] == '^' ? 1 : static_cast<double>(n) + 1;
      double steps = positions;
      for (int r = 0; r < repetitions && steps <= k_max_match_steps; ++r) steps *= static_cast<double>(n) + 1;
      if (steps > k_max_match_steps) {
        return luaL_error(L, "pattern too costly for the sandbox: %d repetitions over a %d-byte string", repetitions,
                          static_cast<int>(n));
      }
    }
  }
  const char* name = lua_tostring(L, lua_upvalueindex(3));
  return call_original_named(L, name != nullptr ? name : "?");  // gsub calls back into Lua
}

// require only knows the libraries of the current run (Argo CD preloads its safe `os` so that
// `local os = require("os")` works); nothing is ever read from disk.
int safe_require(lua_State* L) {
  const char* name = luaL_checkstring(L, 1);
  // Raw reads: a script may give its environment or package tables an __index function.
  push_key(L, k_env_key);
  lua_rawget(L, LUA_REGISTRYINDEX);
  if (lua_istable(L, -1)) {
    lua_pushliteral(L, "package");
    lua_rawget(L, -2);
    if (lua_istable(L, -1)) {
      lua_pushliteral(L, "loaded");
      lua_rawget(L, -2);
      if (lua_istable(L, -1)) {
        lua_pushvalue(L, 1);
        lua_rawget(L, -2);
        if (!lua_isnil(L, -1)) return 1;
      }
    }
  }
  return luaL_error(L, "module '%s' not found: the sandbox has no module search path", name);
}

void open_library(lua_State* L, lua_CFunction open, const char* name) {
  lua_pushcfunction(L, open);
  lua_pushstring(L, name);
  lua_call(L, 1, 0);
}

// registry[key] = a new table holding globals[lib][name] for each name (all of lib when
// `names` is null), without `skip`.
void save_library(lua_State* L, const char* lib, const char& key, const char* const* names, const char* skip) {
  push_key(L, key);
  lua_newtable(L);
  lua_getglobal(L, lib);
  if (names == nullptr) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      if (skip != nullptr && lua_type(L, -2) == LUA_TSTRING && std::strcmp(lua_tostring(L, -2), skip) == 0) {
        lua_pop(L, 1);
        continue;
      }
      lua_pushvalue(L, -2);
      lua_insert(L, -2);
      lua_rawset(L, -5);
    }
  } else {
    for (const char* const* n = names; *n != nullptr; ++n) {
      lua_getfield(L, -1, *n);
      lua_setfield(L, -3, *n);
    }
  }
  lua_pop(L, 1);
  lua_rawset(L, LUA_REGISTRYINDEX);
}

// table[name] (the table on the stack top), when present, through nested_call.
void wrap_reentrant(lua_State* L, const char* name) {
  lua_getfield(L, -1, name);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return;
  }
  lua_pushstring(L, name);
  lua_pushcclosure(L, call_original, 2);
  lua_setfield(L, -2, name);
}

// Builds the registry's prototypes, then empties the real globals: scripts run with their own
// environment and no function they can reach hands out the globals table.
int setup_state(lua_State* L) {
  open_library(L, luaopen_base, "");
  open_library(L, luaopen_table, LUA_TABLIBNAME);
  open_library(L, luaopen_string, LUA_STRLIBNAME);
  open_library(L, luaopen_math, LUA_MATHLIBNAME);
  open_library(L, luaopen_os, LUA_OSLIBNAME);

  static const char* const k_base[] = {"assert", "error", "ipairs", "next", "pairs", "rawequal", "rawget",
                                       "rawset", "select", "setmetatable", "getmetatable", "tonumber",
                                       "tostring", "type", "unpack", "_VERSION", nullptr};
  push_key(L, k_base_key);
  lua_newtable(L);
  for (const char* const* n = k_base; *n != nullptr; ++n) {
    lua_getglobal(L, *n);
    lua_setfield(L, -2, *n);
  }
  lua_pushcfunction(L, safe_pcall);
  lua_setfield(L, -2, "pcall");
  lua_pushcfunction(L, safe_xpcall);
  lua_setfield(L, -2, "xpcall");
  lua_pushcfunction(L, discard_print);
  lua_setfield(L, -2, "print");
  lua_pushcfunction(L, safe_require);
  lua_setfield(L, -2, "require");
  lua_rawset(L, LUA_REGISTRYINDEX);

  save_library(L, LUA_TABLIBNAME, k_lib_table_key, nullptr, nullptr);
  static const char* const k_os[] = {"time", "date", nullptr};
  save_library(L, LUA_OSLIBNAME, k_lib_os_key, k_os, nullptr);
  save_library(L, LUA_STRLIBNAME, k_lib_string_key, nullptr, "dump");
  save_library(L, LUA_MATHLIBNAME, k_lib_math_key, nullptr, nullptr);
  // The string library's rep goes through safe_rep.
  push_key(L, k_lib_string_key);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_getfield(L, -1, "rep");
  lua_pushcclosure(L, safe_rep, 1);
  lua_setfield(L, -2, "rep");
  for (const char* name : {"find", "match", "gmatch", "gsub"}) {
    lua_getfield(L, -1, name);
    lua_pushnumber(L, std::strcmp(name, "find") == 0 ? 1 : 0);
    lua_pushstring(L, name);
    lua_pushcclosure(L, guarded_match, 3);
    lua_setfield(L, -2, name);
  }
  wrap_reentrant(L, "format");
  lua_pop(L, 1);
  push_key(L, k_lib_table_key);
  lua_rawget(L, LUA_REGISTRYINDEX);
  for (const char* name : {"sort", "foreach", "foreachi"}) wrap_reentrant(L, name);
  lua_pop(L, 1);
  push_key(L, k_lib_os_key);
  lua_rawget(L, LUA_REGISTRYINDEX);
  wrap_reentrant(L, "time");
  lua_pop(L, 1);

  // Strings share one metatable; hide it from getmetatable so no run can change it for the next.
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  lua_pushboolean(L, 0);
  lua_setfield(L, -2, "__metatable");
  lua_pop(L, 2);

  push_key(L, k_compiled_key);
  lua_newtable(L);
  lua_rawset(L, LUA_REGISTRYINDEX);

  // Empty package.loaded (the full libraries) and the globals.
  lua_getfield(L, LUA_REGISTRYINDEX, "_LOADED");
  if (lua_istable(L, -1)) {
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      lua_pushnil(L);
      lua_rawset(L, -4);
    }
  }
  lua_pop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, LUA_GLOBALSINDEX) != 0) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_pushnil(L);
    lua_rawset(L, LUA_GLOBALSINDEX);
  }
  return 0;
}

// A shallow copy of registry[key] into env[name]; also returns it on the stack top.
void copy_library(lua_State* L, int env, const char& key, const char* name) {
  push_key(L, key);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_newtable(L);
  lua_pushnil(L);
  while (lua_next(L, -3) != 0) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -4);
  }
  lua_remove(L, -2);
  lua_pushvalue(L, -1);
  lua_setfield(L, env, name);
}

}  // namespace

struct RunContext {
  const Script* script = nullptr;
  const nlohmann::json* obj = nullptr;
  Libraries libs = Libraries::argo;
  bool compile_only = false;
  detail::Encoded returned;  // the last value the script returned, as JSON
};

namespace {

// Leaves the compiled chunk for ctx->script on the stack; raises on a syntax error.
void push_compiled(lua_State* L, RunContext* ctx) {
  const std::string& source = ctx->script->source;
  push_key(L, k_compiled_key);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_pushlstring(L, source.data(), source.size());
  lua_rawget(L, -2);
  if (lua_isfunction(L, -1)) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  // A precompiled chunk could break the VM's invariants; only source text is loaded.
  if (!source.empty() && source[0] == '\033') {
    luaL_error(L, "%s: precompiled Lua bytecode is not accepted", ctx->script->name.c_str());
  }
  // `=name`: error messages start with the script's name as it is, not `[string "..."]`.
  lua_pushfstring(L, "=%s", ctx->script->name.c_str());
  const char* chunk_name = lua_tostring(L, -1);
  if (luaL_loadbuffer(L, source.data(), source.size(), chunk_name) != 0) lua_error(L);
  lua_remove(L, -2);
  lua_pushlstring(L, source.data(), source.size());
  lua_pushvalue(L, -2);
  lua_rawset(L, -4);
  lua_remove(L, -2);
}

int protected_run(lua_State* L) {
  auto* ctx = static_cast<RunContext*>(lua_touserdata(L, 1));
  lua_settop(L, 0);
  push_compiled(L, ctx);  // 1: the chunk
  if (ctx->compile_only) return 0;

  lua_newtable(L);  // 2: env
  int env = 2;
  push_key(L, k_base_key);
  lua_rawget(L, LUA_REGISTRYINDEX);
  lua_pushnil(L);
  while (lua_next(L, -2) != 0) {
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, env);
  }
  lua_pop(L, 1);
  lua_pushvalue(L, env);
  lua_setfield(L, env, "_G");

  lua_newtable(L);  // package.loaded
  int loaded = lua_gettop(L);
  copy_library(L, env, k_lib_table_key, "table");
  lua_setfield(L, loaded, "table");
  copy_library(L, env, k_lib_os_key, "os");
  lua_setfield(L, loaded, "os");
  bool open = ctx->libs == Libraries::open;
  if (open) {
    copy_library(L, env, k_lib_string_key, "string");
    lua_setfield(L, loaded, "string");
    copy_library(L, env, k_lib_math_key, "math");
    lua_setfield(L, loaded, "math");
  }
  lua_pushvalue(L, env);
  lua_setfield(L, loaded, "_G");
  lua_newtable(L);
  lua_pushvalue(L, loaded);
  lua_setfield(L, -2, "loaded");
  lua_setfield(L, env, "package");
  lua_pop(L, 1);  // loaded

  // String methods ("x"):lower() exist only where the string library is open, as in gopher-lua.
  lua_pushliteral(L, "");
  lua_getmetatable(L, -1);
  if (open) {
    lua_getfield(L, env, "string");
  } else {
    lua_pushnil(L);
  }
  lua_setfield(L, -2, "__index");
  lua_pop(L, 2);

  lua_newtable(L);
  lua_setfield(L, env, "actionParams");
  detail::push_json(L, *ctx->obj);
  lua_setfield(L, env, "obj");

  push_key(L, k_env_key);
  lua_pushvalue(L, env);
  lua_rawset(L, LUA_REGISTRYINDEX);

  lua_pushvalue(L, 1);
  lua_pushvalue(L, env);
  lua_setfenv(L, -2);
  int base = lua_gettop(L) - 1;
  lua_call(L, 0, LUA_MULTRET);
  // lua_cpcall drops what this function returns, so the result is encoded here. to_json raises
  // no Lua error; the stack room it needs is reserved first, where running out may raise.
  if (lua_gettop(L) > base) {
    luaL_checkstack(L, detail::k_stack_slots, "result nested too deeply");
    ctx->returned = detail::to_json(L, -1);
  }
  return 0;
}

// The error object as one line: tables and other non-strings have no message of their own.
std::string error_text(lua_State* L, int status) {
  if (status == LUA_ERRMEM) return "not enough memory";
  if (lua_type(L, -1) == LUA_TSTRING) return lua_tostring(L, -1);
  if (lua_type(L, -1) == LUA_TNUMBER) {
    lua_Number n = lua_tonumber(L, -1);
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.14g", n);
    return buffer;
  }
  return std::string("(error object is a ") + lua_typename(L, lua_type(L, -1)) + " value)";
}

}  // namespace

struct Sandbox::Pool {
  std::mutex mutex;
  std::vector<std::unique_ptr<Interp>> idle;

  std::unique_ptr<Interp> take() {
    std::lock_guard lock(mutex);
    if (idle.empty()) return nullptr;
    auto interp = std::move(idle.back());
    idle.pop_back();
    return interp;
  }
  void give_back(std::unique_ptr<Interp> interp) {
    std::lock_guard lock(mutex);
    idle.push_back(std::move(interp));
  }
};

Sandbox::Sandbox(Limits limits) : limits_(limits), pool_(std::make_unique<Pool>()) {}

Sandbox::~Sandbox() {
  for (auto& interp : pool_->idle) lua_close(interp->L);
}

namespace {

std::unique_ptr<Interp> make_interp(const Limits& limits) {
  auto interp = std::make_unique<Interp>();
  interp->limit = limits.memory_bytes;
  interp->time = limits.time;
  interp->L = lua_newstate(capped_alloc, interp.get());
  interp->capped = interp->L != nullptr;
  if (interp->L == nullptr) interp->L = luaL_newstate();
  if (interp->L == nullptr) return nullptr;
  lua_State* L = interp->L;
#ifdef WAVESYNC_LUAJIT
  // The count hook that enforces the deadline does not run inside JIT-compiled traces: with the
  // compiler on, `local function f() return xpcall(f, f) end while true do f() end` never times
  // out. The interpreter alone is also the faster one for short health scripts.
  luaJIT_setmode(L, 0, LUAJIT_MODE_ENGINE | LUAJIT_MODE_OFF);
#endif
  push_key(L, k_interp_key);
  lua_pushlightuserdata(L, interp.get());
  lua_rawset(L, LUA_REGISTRYINDEX);
  if (lua_cpcall(L, setup_state, nullptr) != 0) {
    lua_close(L);
    return nullptr;
  }
  return interp;
}

}  // namespace

namespace {

Result<nlohmann::json> run_in(Interp& interp, RunContext& ctx) {
  lua_State* L = interp.L;
  interp.expired = false;
  interp.nested = 0;
  interp.deadline = Clock::now() + interp.time;
  lua_sethook(L, deadline_hook, LUA_MASKCOUNT, k_hook_every);
  lua_settop(L, 0);
  int status = lua_cpcall(L, protected_run, &ctx);
  Result<nlohmann::json> out = nlohmann::json();
  if (status != 0) {
    std::string message = interp.expired ? "timed out after " + std::to_string(interp.time.count()) + "ms"
                                         : error_text(L, status);
    out = make_error(message);
  } else if (!ctx.compile_only) {
    // Argo CD reads the top of the stack: the last value returned, nil when none.
    if (ctx.returned.error.empty()) {
      out = std::move(ctx.returned.value);
    } else {
      out = make_error(ctx.returned.error);
    }
  }
  lua_settop(L, 0);
  push_key(L, k_env_key);
  lua_pushnil(L);
  lua_rawset(L, LUA_REGISTRYINDEX);
  // Keep headroom for the next run: a run that filled the heap leaves garbage behind.
  if (interp.used > interp.limit / 2) lua_gc(L, LUA_GCCOLLECT, 0);
  return out;
}

}  // namespace

Result<nlohmann::json> Sandbox::execute(RunContext& ctx) {
  std::unique_ptr<Interp> interp = pool_->take();
  if (!interp) interp = make_interp(limits_);
  if (!interp) return make_error("cannot start a Lua interpreter: not enough memory");
  Result<nlohmann::json> out = run_in(*interp, ctx);
  pool_->give_back(std::move(interp));
  return out;
}

Result<nlohmann::json> Sandbox::run(const Script& script, const nlohmann::json& obj, Libraries libs) {
  RunContext ctx;
  ctx.script = &script;
  ctx.obj = &obj;
  ctx.libs = libs;
  return execute(ctx);
}

Result<void> Sandbox::check(const Script& script) {
  nlohmann::json none;
  RunContext ctx;
  ctx.script = &script;
  ctx.obj = &none;
  ctx.compile_only = true;
  auto out = execute(ctx);
  if (!out) return out.error();
  return {};
}

}  // namespace wavesync::lua
