// The kube client against the real API server: the shared contract, both kubeconfigs, an
// exec plugin, server-side dry run, a field-manager conflict and 200 concurrent applies.
#include "kube/contract/client_contract.hpp"
#include "kube/e2e/e2e_env.hpp"
#include "kube/kube_test_support.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <fstream>

using namespace wavesync;
using namespace wavesync::test;
using nlohmann::json;

namespace {

std::unique_ptr<kube::HttpClient> cert_client() { return e2e::client_for(e2e::access_from(e2e::cert_kubeconfig())); }

json config_map(const std::string& name, const std::string& value) {
  return json{{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata", {{"name", name}, {"namespace", e2e::run_namespace()}}},
              {"data", {{"key", value}}}};
}

}  // namespace

TEST_CASE("Contract (real): apply, get, update and delete round-trip", "[e2e][contract]") {
  contract::apply_get_update_delete_round_trip(*cert_client(), e2e::run_namespace());
}
TEST_CASE("Contract (real): get of a missing object is empty", "[e2e][contract]") {
  contract::get_of_a_missing_object_is_empty(*cert_client(), e2e::run_namespace());
}
TEST_CASE("Contract (real): a merge patch sets and removes keys", "[e2e][contract]") {
  contract::merge_patch_sets_and_removes_keys(*cert_client(), e2e::run_namespace());
}
TEST_CASE("Contract (real): a dry-run apply does not persist", "[e2e][contract]") {
  contract::dry_run_apply_does_not_persist(*cert_client(), e2e::run_namespace());
}
TEST_CASE("Contract (real): create with generateName picks a name", "[e2e][contract]") {
  contract::create_with_generate_name_picks_a_name(*cert_client(), e2e::run_namespace());
}
TEST_CASE("Contract (real): list returns items and a resourceVersion", "[e2e][contract]") {
  contract::list_returns_items_and_a_resource_version(*cert_client(), e2e::run_namespace());
}
TEST_CASE("Contract (real): a watch sees the current state, then changes", "[e2e][contract]") {
  contract::watch_sees_current_state_then_changes(*cert_client(), e2e::run_namespace());
}
TEST_CASE("Contract (real): an unknown kind is an error", "[e2e][contract]") {
  contract::unknown_kind_is_an_error(*cert_client(), e2e::run_namespace());
}
TEST_CASE("Contract (real): a CRD and its custom resource work in one run", "[e2e][contract]") {
  contract::crd_and_custom_resource_in_one_run(*cert_client(), e2e::run_namespace(),
                                               "e2e-" + e2e::run_suffix() + ".wavesync.dev");
}

TEST_CASE("Discovery maps built-in kinds to resources and scope", "[e2e]") {
  auto client = cert_client();
  auto deployments = client->resolve("apps/v1", "Deployment");
  REQUIRE(deployments.ok());
  CHECK(deployments->resource == "deployments");
  CHECK(deployments->namespaced);
  auto namespaces = client->resolve("v1", "Namespace");
  REQUIRE(namespaces.ok());
  CHECK(namespaces->resource == "namespaces");
  CHECK_FALSE(namespaces->namespaced);
  auto crds = client->resolve("apiextensions.k8s.io/v1", "CustomResourceDefinition");
  REQUIRE(crds.ok());
  CHECK_FALSE(crds->namespaced);
}

TEST_CASE("The token kubeconfig authenticates with a bearer token", "[e2e][auth]") {
  const auto access = e2e::access_from(e2e::token_kubeconfig());
  REQUIRE_FALSE(access.user.token.empty());
  REQUIRE(access.user.client_certificate_pem.empty());
  auto client = e2e::client_for(access);
  auto applied = client->apply({config_map("token-auth", "t")}, kube::ApplyOptions{});
  INFO((applied[0].ok() ? "" : applied[0].error().message));
  REQUIRE(applied[0].ok());
  auto got = client->get(kube::ObjectRef{"v1", "ConfigMap", e2e::run_namespace(), "token-auth"});
  REQUIRE(got.ok());
  CHECK(got->has_value());
}

TEST_CASE("A wrong token is refused with exit code 4", "[e2e][auth]") {
  auto access = e2e::access_from(e2e::token_kubeconfig());
  access.user.token = "not-a-valid-token";
  auto r = e2e::client_for(access)->get(kube::ObjectRef{"v1", "ConfigMap", "default", "x"});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().exit_code == 4);
  CHECK(r.error().http_status == 401);
  CHECK(r.error().message.find("401 Unauthorized") != std::string::npos);
}

TEST_CASE("An exec plugin that prints the token authenticates", "[e2e][auth]") {
  auto access = e2e::access_from(e2e::token_kubeconfig());
  TempDir dir;
  // The token stays in a private file; the plugin prints it only to wavesync through its stdout.
  dir.write("token", access.user.token, 0600);
  kube::ExecConfig exec;
  exec.command = dir.write("print-token", R"sh(#!/bin/sh
printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}\n' "$(cat "$(dirname "$0")/token")"
)sh", 0700);
  exec.api_version = "client.authentication.k8s.io/v1";
  exec.interactive_mode = "Never";
  exec.provide_cluster_info = true;
  access.user = kube::UserInfo{};
  access.user.name = "exec";
  access.user.exec = exec;
  auto client = e2e::client_for(access);
  auto applied = client->apply({config_map("exec-auth", "e")}, kube::ApplyOptions{});
  INFO((applied[0].ok() ? "" : applied[0].error().message));
  REQUIRE(applied[0].ok());
  CHECK(client->get(kube::ObjectRef{"v1", "ConfigMap", e2e::run_namespace(), "exec-auth"})->has_value());
  CHECK(client->credential_plugin_runs() == 1);
}

TEST_CASE("A field-manager conflict names the other manager", "[e2e][apply]") {
  auto client = cert_client();
  kube::ApplyOptions manager_a;
  manager_a.field_manager = "manager-a";
  REQUIRE(client->apply({config_map("contested", "from-a")}, manager_a)[0].ok());
  auto conflict = client->apply({config_map("contested", "from-wavesync")}, kube::ApplyOptions{});
  REQUIRE_FALSE(conflict[0].ok());
  CHECK(conflict[0].error().http_status == 409);
  CHECK(conflict[0].error().message ==
        "apply v1 ConfigMap " + e2e::run_namespace() +
            "/contested: 409 Conflict: 1 field conflict: .data.key (owned by \"manager-a\"); run "
            "without --no-force-conflicts to take ownership");
  kube::ApplyOptions force;
  force.force_conflicts = kube::ForceConflicts::yes;
  auto forced = client->apply({config_map("contested", "from-wavesync")}, force);
  REQUIRE(forced[0].ok());
  CHECK(forced[0]->object["data"]["key"] == "from-wavesync");
}

TEST_CASE("Invalid objects are reported from the server's Status", "[e2e][apply]") {
  auto client = cert_client();
  json bad = config_map("Not_A_Valid_Name", "x");
  auto r = client->apply({bad}, kube::ApplyOptions{});
  REQUIRE_FALSE(r[0].ok());
  CHECK(r[0].error().http_status == 422);
  CHECK(r[0].error().exit_code == 1);
  CHECK(r[0].error().message.rfind("apply v1 ConfigMap " + e2e::run_namespace() +
                                       "/Not_A_Valid_Name: 422 Unprocessable Entity: metadata.name: Invalid value: ",
                                   0) == 0);
  json unknown = config_map("strict", "x");
  unknown["spec"] = json{{"replicas", 1}};
  auto strict = client->apply({unknown}, kube::ApplyOptions{});
  REQUIRE_FALSE(strict[0].ok());
  // The API server answers 500 for undeclared fields in an apply patch; wavesync reports it
  // after a short retry instead of ten backoffs.
  CHECK(strict[0].error().message ==
        "apply v1 ConfigMap " + e2e::run_namespace() + "/strict: 500 Internal Server Error: failed to create typed patch object (" +
            e2e::run_namespace() + "/strict; /v1, Kind=ConfigMap): .spec: field not declared in schema");
}

TEST_CASE("Events about an object are found", "[e2e]") {
  auto client = cert_client();
  const std::string ns = e2e::run_namespace();
  const json event{{"apiVersion", "v1"},
                   {"kind", "Event"},
                   {"metadata", {{"name", "about-target"}, {"namespace", ns}}},
                   {"involvedObject", {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", "target"}, {"namespace", ns}}},
                   {"reason", "Testing"},
                   {"message", "hello from the e2e suite"},
                   {"type", "Normal"},
                   {"lastTimestamp", "2026-01-01T00:00:00Z"}};
  REQUIRE(client->apply({event}, kube::ApplyOptions{})[0].ok());
  auto events = client->events_for(kube::ObjectRef{"v1", "ConfigMap", ns, "target"});
  REQUIRE(events.ok());
  REQUIRE(events->size() == 1);
  CHECK((*events)[0]["message"] == "hello from the e2e suite");
}

TEST_CASE("200 concurrent applies share very few HTTP/2 connections", "[e2e][http2]") {
  auto client = cert_client();
  REQUIRE(client->refresh_discovery().ok());
  std::vector<json> objects;
  for (int i = 0; i < 200; ++i) objects.push_back(config_map("bulk-" + std::to_string(i), std::to_string(i)));
  const auto start = std::chrono::steady_clock::now();
  auto results = client->apply(objects, kube::ApplyOptions{});
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  int ok = 0;
  for (const auto& r : results) ok += r.ok() ? 1 : 0;
  CHECK(ok == 200);
  WARN("200 applies in " << elapsed.count() << " ms over " << client->connections_opened()
                         << " TCP connection(s) (discovery included)");
  // HTTP/1.1 would need one connection per request in flight (64).
  CHECK(client->connections_opened() <= 3);
}
