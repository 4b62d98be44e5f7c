// Moving values between nlohmann::json and a Lua stack, as Argo CD moves them between Go and
// gopher-lua (util/lua/lua.go decodeValue; gopher-json Encode). Internal to the lua module.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

extern "C" {
#include <lua.h>
}

namespace wavesync::lua::detail {

// Deepest nesting either direction accepts; deeper input is an error, never a stack overflow.
inline constexpr int k_max_depth = 200;
// Stack slots to_json needs for k_max_depth levels; the caller reserves them beforehand.
inline constexpr int k_stack_slots = 2 * k_max_depth + 8;

// Pushes `value` as Argo CD does: null -> nil, numbers -> number, arrays -> tables 1..n with
// nulls left out, objects -> tables without their null members. Raises a Lua error (so call it
// only in protected mode) when the stack or memory runs out or nesting passes k_max_depth.
void push_json(lua_State* L, const nlohmann::json& value, int depth = 0);

struct Encoded {
  nlohmann::json value;
  std::string error;  // empty on success
};

// The value at `index` as JSON, as gopher-json encodes it: nil -> null, a table whose keys are
// 1..n in order -> array, any other table -> object with string keys (an empty table -> []).
// Functions, threads, userdata, NaN, infinities, a table reached twice and nesting past
// k_max_depth are errors. Never raises a Lua error: k_stack_slots must be free on the stack.
Encoded to_json(lua_State* L, int index);

}  // namespace wavesync::lua::detail
