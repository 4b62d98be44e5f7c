// The Lua sandbox under hostile and careless scripts: every run ends, with a value or one line of
// error, within its limits, and leaves nothing behind for the next run.
#include "wavesync/health/scripts.hpp"
#include "wavesync/lua/sandbox.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>

using namespace wavesync;
using nlohmann::json;

namespace {

const json k_obj = json::parse(R"({"kind":"Widget","metadata":{"name":"w"},"status":{"ready":true,"n":3}})");

lua::Sandbox& sandbox() {
  static lua::Sandbox s(lua::Limits{std::chrono::milliseconds(200), std::size_t{16} << 20});
  return s;
}

Result<json> run(const std::string& source, lua::Libraries libs = lua::Libraries::open) {
  return sandbox().run({"test", source}, k_obj, libs);
}

std::string error_of(const std::string& source, lua::Libraries libs = lua::Libraries::open) {
  auto out = run(source, libs);
  REQUIRE_FALSE(out.ok());
  return out.error().message;
}

}  // namespace

TEST_CASE("a script sees the live object as obj and its returned table comes back as JSON", "[lua]") {
  auto out = run(R"(return {status = obj.status.ready and "Healthy" or "Degraded", message = obj.metadata.name .. obj.status.n})");
  REQUIRE(out.ok());
  CHECK(*out == json{{"status", "Healthy"}, {"message", "w3"}});
}

TEST_CASE("the last returned value counts, nothing returned is null and an empty table is an array", "[lua]") {
  CHECK(*run("return 1, {status='Healthy'}") == json{{"status", "Healthy"}});
  CHECK(run("local x = 1").value().is_null());
  CHECK(*run("return {}") == json::array());
  CHECK(*run("return {1, 2, 3}") == json::array({1, 2, 3}));
}

TEST_CASE("an infinite loop ends at the time limit, also when it catches the error with pcall", "[lua][hostile]") {
  auto start = std::chrono::steady_clock::now();
  CHECK(error_of("while true do end") == "timed out after 200ms");
  CHECK(error_of("while true do pcall(function() while true do end end) end") == "timed out after 200ms");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("an xpcall error handler that recurses through xpcall ends at the time limit", "[lua][hostile]") {
  // Under LuaJIT with its compiler on, this ran in compiled code the count hook never sees.
  auto start = std::chrono::steady_clock::now();
  CHECK(error_of("local function f() return xpcall(f, f) end while true do f() end") == "timed out after 200ms");
  CHECK(error_of("local function h() while true do end end while true do xpcall(error, h) end") ==
        "timed out after 200ms");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  CHECK(*run("return {status='Healthy'}") == json{{"status", "Healthy"}});
}

TEST_CASE("library calls that re-enter Lua from C are capped in depth instead of overflowing the C stack",
          "[lua][hostile]") {
  auto start = std::chrono::steady_clock::now();
  // Each of these would otherwise nest thousands of C frames (gsub's alone hold an 8 KiB buffer)
  // and crash the process; sort calling itself runs no Lua instruction for the hook to stop.
  const char* k_too_deep = "calls nested too deeply";
  CHECK_THAT(error_of("local function f() return (string.gsub('a', '.', f)) end return f()"),
             Catch::Contains(k_too_deep));
  CHECK_THAT(error_of("local t = {table.sort} t[2] = t table.sort(t, table.sort)"), Catch::Contains(k_too_deep));
  CHECK_THAT(error_of("local mt = {} mt.__tostring = function(x) return string.format('%s', x) end "
                      "return string.format('%s', setmetatable({}, mt))"),
             Catch::Contains(k_too_deep));
  CHECK_THAT(error_of("local mt = {} mt.__index = function(t) return os.time(t) end "
                      "return os.time(setmetatable({}, mt))"),
             Catch::Contains(k_too_deep));
  CHECK_THAT(error_of("local t = {} t[1] = t local function f(k, v) table.foreach(v, f) end f(1, t)"),
             Catch::Contains(k_too_deep));
  // pcall catches the cap like any error; the nesting below it ran and unwound.
  CHECK(*run("local n = 0 local function f() n = n + 1 pcall(f) end f() return n") == 65);
  // xpcall nesting: the innermost level fails, its handler (f again) is refused too.
  CHECK(*run("local function f() return xpcall(f, f) end local r = {f()} return {r[#r - 1], r[#r]}") ==
        json::array({false, "error in error handling"}));
  // The environment's own __index cannot re-enter through require.
  CHECK(*run("setmetatable(_G, {__index = function() return require('os') end}) package = nil "
             "local ok = pcall(require, 'os') return ok") == false);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  CHECK(*run("return table.concat({string.format('%d', 1), (string.gsub('ab', 'a', 'x'))}, ',')") == "1,xb");
}

TEST_CASE("an error raised by a wrapped library function names it and the script's line", "[lua]") {
  CHECK(error_of("local x = 1\ntable.sort(1)") == "test:2: bad argument #1 to 'sort' (table expected, got number)");
  CHECK(error_of("local r = string.gsub()") == "test:1: bad argument #1 to 'gsub' (string expected, got no value)");
  CHECK(error_of("local r = string.find('x')") == "test:1: bad argument #2 to 'find' (string expected, got no value)");
  // After a tail call Lua knows no position; the name is still given.
  CHECK(error_of("return string.gsub()") == "bad argument #1 to 'gsub' (string expected, got no value)");
  // An error of the script's own function inside sort keeps its own position.
  CHECK(error_of("table.sort({1, 2}, function()\n error('boom')\nend)") == "test:2: boom");
  CHECK_THAT(error_of("local t = os.time({})"), Catch::StartsWith("test:1: "));
}

TEST_CASE("a huge allocation fails with not enough memory and the next run works", "[lua][hostile]") {
  CHECK(error_of("local t = {} for i = 1, 1e9 do t[i] = i end") == "not enough memory");
  CHECK(error_of("local s = 'x' while true do s = s .. s end") == "not enough memory");
  CHECK(*run("return {status='Healthy'}") == json{{"status", "Healthy"}});
}

TEST_CASE("string.rep bombs are refused at once", "[lua][hostile]") {
  auto start = std::chrono::steady_clock::now();
  CHECK(error_of("return string.rep('x', 1e12)") == "not enough memory");
  CHECK(*run("return string.rep('', 2^31)") == "");
  CHECK(*run("return ('ab'):rep(3)") == "ababab");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("deep recursion is a stack overflow error, not a crash", "[lua][hostile]") {
  CHECK_THAT(error_of("local function f(n) return 1 + f(n + 1) end return f(1)"),
             Catch::Contains("stack overflow"));
  CHECK_THAT(error_of("local t = setmetatable({}, {__index = function(t, k) return t[k] end}) return t.x"),
             Catch::Contains("overflow"));
}

TEST_CASE("error objects that are tables or numbers give one line", "[lua][hostile]") {
  CHECK(error_of("error({code = 1})") == "(error object is a table value)");
  CHECK(error_of("error(setmetatable({}, {__tostring = function() while true do end end}))") ==
        "(error object is a table value)");
  CHECK(error_of("error(42)") == "test:1: 42");
  CHECK(error_of("error('plain', 0)") == "plain");
}

TEST_CASE("precompiled bytecode is refused and no loader reaches files, processes or new code", "[lua][hostile]") {
  CHECK(error_of("\x1bLua\x51\x00 junk") == "test: precompiled Lua bytecode is not accepted");
  CHECK(error_of("\x1bLJ\x02 junk") == "test: precompiled Lua bytecode is not accepted");
  for (const char* name : {"io", "debug", "loadstring", "load", "dofile", "loadfile", "getfenv", "setfenv",
                           "collectgarbage", "module", "newproxy", "jit", "ffi", "bit", "coroutine"}) {
    INFO(name);
    CHECK(run(std::string("return ") + name).value().is_null());
  }
  CHECK(run("return os.execute").value().is_null());
  CHECK(run("return os.getenv").value().is_null());
  CHECK(run("return os.exit").value().is_null());
  CHECK(run("return string.dump").value().is_null());
  CHECK_THAT(error_of("return require('io')"), Catch::Contains("module 'io' not found"));
}

TEST_CASE("Argo CD's libraries: os.time and require('os') always, string and math only with useOpenLibs", "[lua]") {
  CHECK(run("return os.time() > 0").value() == true);
  CHECK(run("local o = require('os') return o.date('!%Y', 0)").value() == "1970");
  CHECK(run("return table.concat({'a', 'b'}, ',')", lua::Libraries::argo).value() == "a,b");
  CHECK(run("return string", lua::Libraries::argo).value().is_null());
  CHECK_THAT(error_of("return ('x'):upper()", lua::Libraries::argo), Catch::Contains("attempt to index"));
  CHECK(run("return ('x'):upper()").value() == "X");
  CHECK(run("return math.floor(2.5)").value() == 2);
}

TEST_CASE("a run cannot leave globals or library changes behind for the next one", "[lua][hostile]") {
  REQUIRE(run("leaked = 1; table.insert = nil; string.upper = nil; os.time = nil; return 1").ok());
  CHECK(run("return leaked").value().is_null());
  CHECK(run("local t = {} table.insert(t, 1) return #t").value() == 1);
  CHECK(run("return ('x'):upper()").value() == "X");
  CHECK(run("return type(os.time)").value() == "function");
  CHECK(run("return getmetatable('')").value() == false);
}

TEST_CASE("values JSON cannot hold are errors: functions, cycles, nesting too deep", "[lua][hostile]") {
  CHECK(error_of("return {status = print}") == "cannot encode function to JSON");
  CHECK(error_of("local t = {} t.self = t return t") == "cannot encode recursively nested tables to JSON");
  CHECK_THAT(error_of("local t = {} for i = 1, 1000 do t = {t} end return t"), Catch::Contains("nested deeper"));
  CHECK(error_of("return {status = 0/0}").find("cannot encode") == 0);
}

TEST_CASE("a syntax error names the script", "[lua]") {
  CHECK_THAT(error_of("return {"), Catch::StartsWith("test:1:"));
}

TEST_CASE("a script's result means what Argo CD's ExecuteHealthLua makes of it", "[lua][health]") {
  using health::Health;
  using health::Status;
  using health::verdict_of_script_result;
  CHECK(verdict_of_script_result(json{{"status", "Healthy"}, {"message", "ok"}}) == Health{Status::healthy, "ok"});
  CHECK(verdict_of_script_result(json{{"Status", "Degraded"}}) == Health{Status::degraded, ""});
  CHECK(verdict_of_script_result(json{{"status", "Fine"}}) ==
        Health{Status::unknown, "Lua returned an invalid health status"});
  CHECK(verdict_of_script_result(json::object()) == Health{Status::unknown, "Lua returned an invalid health status"});
  CHECK(verdict_of_script_result(json("Healthy")) ==
        Health{Status::unknown, "expect table output from Lua script, not string"});
  CHECK(verdict_of_script_result(json::array()) == Health{Status::progressing, "health script returned no status"});
  CHECK(verdict_of_script_result(nullptr) == Health{Status::progressing, "health script returned no status"});
  CHECK(verdict_of_script_result(json{{"status", "Healthy"}, {"message", 3}}) ==
        Health{Status::progressing, "health script returned no status"});
}

TEST_CASE("argocd-cm keys: exact group_Kind wins over a wildcard, all is */*, useOpenLibs applies", "[lua][health]") {
  health::Scripts scripts;
  json data = {
      {"resource.customizations.health.example.com_Widget", "return {status='Healthy', message=string and 'open' or 'argo'}"},
      {"resource.customizations.useOpenLibs.example.com_Widget", "true"},
      {"resource.customizations.health.*.com_*", "return {status='Suspended', message='wild'}"},
      {"resource.customizations.health.all", "return {status='Degraded', message='all'}"},
      {"resource.customizations.ignoreDifferences.all", "jsonPointers: [/status]"},
  };
  REQUIRE(scripts.add_argocd_cm(data, nullptr, "argocd-cm").ok());
  auto widget = json::parse(R"({"apiVersion":"example.com/v1","kind":"Widget"})");
  auto gadget = json::parse(R"({"apiVersion":"example.com/v1","kind":"Gadget"})");
  auto pod = json::parse(R"({"apiVersion":"v1","kind":"Pod"})");
  auto deployment = json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment"})");
  CHECK(scripts.judge(widget) == health::Health{health::Status::healthy, "open"});
  CHECK(scripts.judge(deployment) == health::Health{health::Status::degraded, "all"});
  // `all` is `*/*`, which needs a group: core kinds' keys have no slash, as in Argo CD.
  CHECK_FALSE(scripts.judge(pod).has_value());
  // Two patterns match a Gadget; the first in sorted order (`*.com/*` before `*/*`) wins.
  CHECK(scripts.judge(gadget) == health::Health{health::Status::suspended, "wild"});
  CHECK(scripts.add_argocd_cm(json{{"resource.customizations.health.a_b_c", "x"}}, nullptr, "cm").error().message ==
        "cm resource.customizations.health.a_b_c: group kind should be in format "
        "`resource.customizations.<type>.<group_kind>` or `resource.customizations.<type>.<kind>`, got group kind: 'a_b_c'");
  CHECK(scripts.add_argocd_cm(json{{"resource.customizations.colour.a_b", "x"}}, nullptr, "cm").error().message ==
        "cm resource.customizations.colour.a_b: resource customization type colour not supported");
}

TEST_CASE("a pattern whose backtracking could run for hours is refused before it starts", "[lua][hostile]") {
  auto start = std::chrono::steady_clock::now();
  CHECK(error_of("return string.find(string.rep('a', 1e6), '.-.-.-b')") ==
        "pattern too costly for the sandbox: 3 repetitions over a 1000000-byte string");
  CHECK(error_of("return (string.rep('1', 1e5)):match('%d+%d+x')") ==
        "pattern too costly for the sandbox: 2 repetitions over a 100000-byte string");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
  CHECK(run("return string.find(string.rep('a', 1e6), 'b', 1, true)").value().is_null());
  CHECK(run("return (('2024-04-17T14:51:28Z'):match('(%d+)-(%d+)-(%d+)T(%d+):(%d+):(%d+)Z'))").value() == "2024");
  CHECK(run("return (string.gsub('a-b-c', '-', '+'))").value() == "a+b+c");
}
