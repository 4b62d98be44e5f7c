// JSON <-> Lua. push_json runs inside lua_cpcall and may raise (longjmp): it keeps no C++
// object with a destructor alive across a Lua call. to_json runs outside and calls only Lua API
// functions that never raise.
#include "wavesync/lua/values.hpp"

#include <cmath>
#include <cstdio>
#include <unordered_set>

extern "C" {
#include <lauxlib.h>
}

namespace wavesync::lua::detail {

void push_json(lua_State* L, const nlohmann::json& value, int depth) {
  if (depth > k_max_depth) luaL_error(L, "object nested deeper than %d levels", k_max_depth);
  if (!lua_checkstack(L, 3)) luaL_error(L, "object nested too deeply for the Lua stack");
  switch (value.type()) {
    case nlohmann::json::value_t::boolean:
      lua_pushboolean(L, value.get<bool>() ? 1 : 0);
      return;
    case nlohmann::json::value_t::number_integer:
      lua_pushnumber(L, static_cast<lua_Number>(value.get<std::int64_t>()));
      return;
    case nlohmann::json::value_t::number_unsigned:
      lua_pushnumber(L, static_cast<lua_Number>(value.get<std::uint64_t>()));
      return;
    case nlohmann::json::value_t::number_float:
      lua_pushnumber(L, value.get<double>());
      return;
    case nlohmann::json::value_t::string: {
      const auto& s = value.get_ref<const std::string&>();
      lua_pushlstring(L, s.data(), s.size());
      return;
    }
    case nlohmann::json::value_t::array: {
      lua_createtable(L, static_cast<int>(value.size()), 0);
      int n = 0;
      // gopher-lua's LTable.Append ignores nil, so a null item shifts the ones after it.
      for (const auto& item : value) {
        if (item.is_null()) continue;
        push_json(L, item, depth + 1);
        lua_rawseti(L, -2, ++n);
      }
      return;
    }
    case nlohmann::json::value_t::object: {
      lua_createtable(L, 0, static_cast<int>(value.size()));
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (it->is_null()) continue;
        const std::string& key = it.key();
        lua_pushlstring(L, key.data(), key.size());
        push_json(L, *it, depth + 1);
        lua_rawset(L, -3);
      }
      return;
    }
    default:
      lua_pushnil(L);
      return;
  }
}

namespace {

// Lua's own rendering of a number key (`1`, `2.5`), as gopher-lua's LNumber.String gives it.
std::string number_text(lua_Number n) {
  char buffer[64];
  if (std::floor(n) == n && std::fabs(n) < 1e15) {
    std::snprintf(buffer, sizeof buffer, "%.0f", n);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.14g", n);
  }
  return buffer;
}

class Encoder {
 public:
  explicit Encoder(lua_State* L) : L_(L) {}

  bool encode(int index, int depth, nlohmann::json& out) {
    switch (lua_type(L_, index)) {
      case LUA_TNIL:
      case LUA_TNONE:
        out = nullptr;
        return true;
      case LUA_TBOOLEAN:
        out = lua_toboolean(L_, index) != 0;
        return true;
      case LUA_TNUMBER: {
        lua_Number n = lua_tonumber(L_, index);
        if (!std::isfinite(n)) return fail("cannot encode " + number_text(n) + " to JSON");
        if (std::floor(n) == n && std::fabs(n) < 9e15) {
          out = static_cast<std::int64_t>(n);
        } else {
          out = n;
        }
        return true;
      }
      case LUA_TSTRING: {
        std::size_t len = 0;
        const char* s = lua_tolstring(L_, index, &len);  // a string already: no conversion
        out = std::string(s, len);
        return true;
      }
      case LUA_TTABLE:
        return table(index, depth, out);
      default:
        return fail(std::string("cannot encode ") + lua_typename(L_, lua_type(L_, index)) + " to JSON");
    }
  }

  const std::string& error() const { return error_; }

 private:
  bool fail(std::string message) {
    error_ = std::move(message);
    return false;
  }

  bool table(int index, int depth, nlohmann::json& out) {
    if (depth >= k_max_depth) return fail("cannot encode tables nested deeper than 200 levels to JSON");
    if (!visited_.insert(lua_topointer(L_, index)).second) {
      return fail("cannot encode recursively nested tables to JSON");
    }
    if (index < 0) index = lua_gettop(L_) + index + 1;
    nlohmann::json array = nlohmann::json::array();
    nlohmann::json object;
    bool is_object = false;
    lua_pushnil(L_);
    while (lua_next(L_, index) != 0) {
      nlohmann::json item;
      if (!encode(-1, depth + 1, item)) {
        lua_pop(L_, 2);
        return false;
      }
      std::string key;
      bool number_key = lua_type(L_, -2) == LUA_TNUMBER;
      lua_Number n = number_key ? lua_tonumber(L_, -2) : 0;
      if (number_key && !is_object && n == static_cast<lua_Number>(array.size() + 1)) {
        array.push_back(std::move(item));
        lua_pop(L_, 1);
        continue;
      }
      if (!is_object) {
        is_object = true;
        object = nlohmann::json::object();
        for (std::size_t i = 0; i < array.size(); ++i) object[std::to_string(i + 1)] = std::move(array[i]);
      }
      switch (lua_type(L_, -2)) {
        case LUA_TNUMBER:
          key = number_text(n);
          break;
        case LUA_TSTRING: {
          std::size_t len = 0;
          const char* s = lua_tolstring(L_, -2, &len);
          key.assign(s, len);
          break;
        }
        case LUA_TBOOLEAN:
          key = lua_toboolean(L_, -2) ? "true" : "false";
          break;
        default:
          lua_pop(L_, 2);
          return fail("cannot encode mixed or invalid key types");
      }
      object[key] = std::move(item);
      lua_pop(L_, 1);
    }
    out = is_object ? std::move(object) : std::move(array);
    return true;
  }

  lua_State* L_;
  std::unordered_set<const void*> visited_;
  std::string error_;
};

}  // namespace

Encoded to_json(lua_State* L, int index) {
  Encoder encoder(L);
  Encoded out;
  if (!encoder.encode(index, 0, out.value)) out.error = encoder.error();
  return out;
}

}  // namespace wavesync::lua::detail
