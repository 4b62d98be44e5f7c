// Judging 10,000 custom resources with Lua health scripts: the CPU cost of wavesync's Lua bridge
// (one sandbox, scripts compiled once, interpreters reused), beside the built-in C++ rules for
// the same objects. `make bench` runs it; prints one JSON line. Usage: wavesync_health_bench [N]
#include "wavesync/health/health.hpp"
#include "wavesync/health/scripts.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

// A script shaped like Argo CD's typical condition scripts (our own text).
constexpr const char* k_script = R"(
local hs = {status = "Progressing", message = "Waiting for the controller"}
if obj.status ~= nil and obj.status.conditions ~= nil then
  for _, c in ipairs(obj.status.conditions) do
    if c.type == "Ready" and c.status == "False" then
      return {status = "Degraded", message = c.message}
    end
    if c.type == "Ready" and c.status == "True" then
      hs.status = "Healthy"
      hs.message = c.message
    end
  end
end
return hs
)";

nlohmann::json make_object(int i) {
  const char* status = i % 3 == 0 ? "True" : i % 3 == 1 ? "False" : "Unknown";
  return {{"apiVersion", "external-secrets.io/v1"},
          {"kind", "ExternalSecret"},
          {"metadata", {{"name", "es-" + std::to_string(i)}, {"namespace", "bench"}, {"generation", 1},
                        {"labels", {{"app", "bench"}, {"tier", "backend"}}}}},
          {"spec", {{"refreshInterval", "1h"}, {"secretStoreRef", {{"name", "vault"}, {"kind", "ClusterSecretStore"}}},
                    {"data", nlohmann::json::array({{{"secretKey", "password"}, {"remoteRef", {{"key", "db/pw"}}}}})}}},
          {"status", {{"refreshTime", "2026-01-01T00:00:00Z"},
                      {"conditions", nlohmann::json::array({{{"type", "Ready"}, {"status", status},
                                                             {"reason", "SecretSynced"},
                                                             {"message", "Secret was synced"},
                                                             {"lastTransitionTime", "2026-01-01T00:00:00Z"}}})}}}};
}

double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  std::vector<nlohmann::json> objects;
  objects.reserve(n);
  for (int i = 0; i < n; ++i) objects.push_back(make_object(i));

  wavesync::health::Scripts scripts;
  auto ok = scripts.add_argocd_cm({{"resource.customizations.health.external-secrets.io_ExternalSecret", k_script}},
                                  nullptr, "bench");
  if (!ok) {
    std::fprintf(stderr, "%s\n", ok.error().message.c_str());
    return 2;
  }
  wavesync::health::Options with_lua;
  with_lua.scripts = &scripts;
  wavesync::health::Options built_in;

  auto judge = [&](const wavesync::health::Options& options, int& healthy) {
    double cpu = cpu_seconds();
    auto wall = std::chrono::steady_clock::now();
    for (const auto& object : objects) {
      auto h = wavesync::health::assess(object, options);
      if (h && h->status == wavesync::health::Status::healthy) ++healthy;
    }
    return std::pair{cpu_seconds() - cpu,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count()};
  };
  int healthy_lua = 0;
  int healthy_cpp = 0;
  auto [first_cpu, first_wall] = judge(with_lua, healthy_lua);  // compiles the script
  healthy_lua = 0;
  auto [lua_cpu, lua_wall] = judge(with_lua, healthy_lua);
  auto [cpp_cpu, cpp_wall] = judge(built_in, healthy_cpp);
  if (healthy_lua != healthy_cpp) {
    std::fprintf(stderr, "lua and built-in rules disagree: %d vs %d healthy\n", healthy_lua, healthy_cpp);
    return 1;
  }
  std::printf(
      "{\"objects\":%d,\"luaFirstRunCpuSeconds\":%.3f,\"luaCpuSeconds\":%.3f,\"luaWallSeconds\":%.3f,"
      "\"builtInCpuSeconds\":%.3f,\"builtInWallSeconds\":%.3f,\"healthy\":%d}\n",
      n, first_cpu, lua_cpu, lua_wall, cpp_cpu, cpp_wall, healthy_lua);
  (void)first_wall;
  return 0;
}
