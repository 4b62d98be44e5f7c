#include "wavesync/kube/discovery.hpp"
#include "wavesync/kube/requests.hpp"
#include "wavesync/kube/status_error.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::kube;

namespace {
const ResourceType k_configmaps{"", "v1", "ConfigMap", "configmaps", true};
const ResourceType k_deployments{"apps", "v1", "Deployment", "deployments", true};
const ResourceType k_namespaces{"", "v1", "Namespace", "namespaces", false};
}  // namespace

TEST_CASE("Resource paths follow the core and named group layouts", "[kube][requests]") {
  CHECK(resource_path(k_configmaps, "shop", "web") == "/api/v1/namespaces/shop/configmaps/web");
  CHECK(resource_path(k_deployments, "shop", "") == "/apis/apps/v1/namespaces/shop/deployments");
  CHECK(resource_path(k_deployments, "", "") == "/apis/apps/v1/deployments");
  CHECK(resource_path(k_namespaces, "ignored", "shop") == "/api/v1/namespaces/shop");
}

TEST_CASE("Apply queries name the field manager and only force when asked", "[kube][requests]") {
  CHECK(apply_query(ApplyOptions{}) == "?fieldManager=wavesync&fieldValidation=Strict");
  CHECK(apply_query(ApplyOptions{DryRun::all, ForceConflicts::yes, "wavesync"}) ==
        "?fieldManager=wavesync&fieldValidation=Strict&dryRun=All&force=true");
  CHECK(apply_query(ApplyOptions{DryRun::none, ForceConflicts::no, "wavesync", FieldValidation::ignore}) ==
        "?fieldManager=wavesync&fieldValidation=Ignore");
}

TEST_CASE("Apply bodies drop server-owned fields and settle the namespace", "[kube][requests]") {
  const auto object = nlohmann::json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
    "metadata":{"name":"web","uid":"u","resourceVersion":"5","managedFields":[],"creationTimestamp":"x"},
    "data":{"url":"http://a/b","text":"é"},"status":{"x":1}})");
  const auto body = apply_body(object, k_configmaps, "shop");
  CHECK(body == nlohmann::json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
    "metadata":{"name":"web","namespace":"shop"},"data":{"url":"http://a/b","text":"é"}})"));
  // Raw UTF-8, no `\/`: the API server's YAML decoder rejects those escapes.
  CHECK(wire_json(body).find(R"("url":"http://a/b")") != std::string::npos);
  CHECK(wire_json(body).find("\"text\":\"é\"") != std::string::npos);
  const auto ns = apply_body(nlohmann::json::parse(R"({"metadata":{"name":"shop","namespace":"x"}})"),
                             k_namespaces, "default");
  CHECK(ns == nlohmann::json::parse(R"({"metadata":{"name":"shop"}})"));
}

TEST_CASE("Delete bodies always carry a propagation policy", "[kube][requests]") {
  CHECK(wire_json(delete_body(Propagation::foreground)) ==
        R"({"apiVersion":"v1","kind":"DeleteOptions","propagationPolicy":"Foreground"})");
  CHECK(delete_body(Propagation::background)["propagationPolicy"] == "Background");
  CHECK(delete_body(Propagation::orphan)["propagationPolicy"] == "Orphan");
}

TEST_CASE("Watch queries resume from a resourceVersion with bookmarks", "[kube][requests]") {
  WatchRequest r{"v1", "Pod", "shop", "app=web", "metadata.name=a"};
  CHECK(list_query(r) == "?labelSelector=app%3Dweb&fieldSelector=metadata.name%3Da");
  CHECK(watch_query(r, "42", 300) ==
        "?labelSelector=app%3Dweb&fieldSelector=metadata.name%3Da&watch=1&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=42");
  CHECK(watch_query(WatchRequest{}, "", 60) == "?watch=1&allowWatchBookmarks=true&timeoutSeconds=60");
}

TEST_CASE("Status bodies become one readable error line", "[kube][requests]") {
  HttpResponse invalid;
  invalid.status = 422;
  invalid.body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"Deployment.apps \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0","reason":"Invalid",
    "details":{"causes":[{"reason":"FieldValueInvalid","message":"Invalid value: -1: must be greater than or equal to 0","field":"spec.replicas"}]},"code":422})";
  const Error e = response_error("apply apps/v1 Deployment shop/web", invalid);
  CHECK(e.message == "apply apps/v1 Deployment shop/web: 422 Unprocessable Entity: spec.replicas: Invalid value: -1: must be greater than or equal to 0");
  CHECK(e.exit_code == 1);
  CHECK(e.http_status == 422);

  HttpResponse conflict;
  conflict.status = 409;
  conflict.body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"Apply failed with 2 conflicts: ...","reason":"Conflict","code":409,
    "details":{"causes":[{"reason":"FieldManagerConflict","message":"conflict with \"helm\" using apps/v1","field":".spec.replicas"},
                         {"reason":"FieldManagerConflict","message":"conflict with \"kubectl-edit\" using apps/v1","field":".spec.template.spec.containers[name=\"web\"].image"}]}})";
  CHECK(response_error("apply apps/v1 Deployment shop/web", conflict).message ==
        "apply apps/v1 Deployment shop/web: 409 Conflict: 2 field conflicts: .spec.replicas (owned by \"helm\" using apps/v1), "
        ".spec.template.spec.containers[name=\"web\"].image (owned by \"kubectl-edit\" using apps/v1); run without --no-force-conflicts to take ownership");

  // Server-side apply's answer to `replicas: "three"`: the object is rejected, the server is fine.
  HttpResponse typed;
  typed.status = 500;
  typed.body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"failed to create typed patch object (shop/web; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string","code":500})";
  const Error t = response_error("apply apps/v1 Deployment shop/web", typed);
  CHECK(t.message == "apply apps/v1 Deployment shop/web: 500 Internal Server Error: failed to create typed patch object (shop/web; apps/v1, Kind=Deployment): .spec.replicas: expected numeric (int or float), got string");
  CHECK(t.exit_code == 1);
  HttpResponse internal;
  internal.status = 500;
  internal.body = R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcdserver: request timed out","code":500})";
  CHECK(response_error("apply v1 ConfigMap a/b", internal).exit_code == 4);

  HttpResponse plain;
  plain.status = 429;
  plain.body = "Too many requests, please try again later.\n";
  CHECK(response_error("get v1 Pod a/b", plain).message == "get v1 Pod a/b: 429 Too Many Requests: Too many requests, please try again later.");

  HttpResponse html;
  html.status = 502;
  html.body = "<html><body>Bad gateway</body></html>";
  CHECK(response_error("get v1 Pod a/b", html).message == "get v1 Pod a/b: 502 Bad Gateway");
  CHECK(response_error("get v1 Pod a/b", html).exit_code == 4);

  HttpResponse down;
  down.transport_error = "Couldn't connect to server";
  CHECK(response_error("get v1 Pod a/b", down).message == "get v1 Pod a/b: cannot reach the API server: Couldn't connect to server (check that the cluster is running "
        "and that the kubeconfig's server address is right)");
  CHECK(response_error("get v1 Pod a/b", down).exit_code == 4);
}

TEST_CASE("Aggregated discovery maps kinds to resources and skips subresources", "[kube][discovery]") {
  CHECK(is_aggregated_discovery("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"));
  CHECK_FALSE(is_aggregated_discovery("application/json"));
  const auto doc = nlohmann::json::parse(R"({"kind":"APIGroupDiscoveryList","items":[
    {"metadata":{"name":"apps"},"versions":[{"version":"v1","freshness":"Current","resources":[
      {"resource":"deployments","responseKind":{"group":"apps","version":"v1","kind":"Deployment"},"scope":"Namespaced",
       "subresources":[{"subresource":"scale","responseKind":{"kind":"Scale"}}]}]}]},
    {"metadata":{"name":"example.com"},"versions":[{"version":"v1","freshness":"Stale","resources":[
      {"resource":"widgets","responseKind":{"kind":"Widget"},"scope":"Cluster"}]}]}]})");
  DiscoveryMap map;
  map.add(parse_aggregated_discovery(doc));
  CHECK(map.size() == 2);
  REQUIRE(map.find("apps/v1", "Deployment"));
  CHECK(map.find("apps/v1", "Deployment")->resource == "deployments");
  CHECK(map.find("example.com/v1", "Widget")->namespaced == false);
  CHECK_FALSE(map.find("apps/v1", "Scale"));
  DiscoveryMap legacy;
  legacy.add(parse_resource_list(nlohmann::json::parse(R"({"groupVersion":"batch/v1","resources":[
    {"name":"jobs","namespaced":true,"kind":"Job"},{"name":"jobs/status","namespaced":true,"kind":"Job"}]})")));
  CHECK(legacy.size() == 1);
  CHECK(legacy.find("batch/v1", "Job")->group == "batch");
}

TEST_CASE("refused credentials and missing RBAC permissions say what to do, with exit code 4", "[kube]") {
  HttpResponse unauthorized;
  unauthorized.status = 401;
  Error e401 = response_error("get v1 Pod a/b", unauthorized);
  CHECK(e401.message == "get v1 Pod a/b: 401 Unauthorized (the credentials in the kubeconfig were refused; they may "
                        "have expired: log in again or refresh them)");
  CHECK(e401.exit_code == 4);
  HttpResponse forbidden;
  forbidden.status = 403;
  forbidden.body = R"({"kind":"Status","message":"pods \"b\" is forbidden: User \"x\" cannot get resource \"pods\"","reason":"Forbidden"})";
  Error e403 = response_error("get v1 Pod a/b", forbidden);
  CHECK(e403.message == "get v1 Pod a/b: 403 Forbidden: pods \"b\" is forbidden: User \"x\" cannot get resource "
                        "\"pods\" (the kubeconfig user lacks this RBAC permission: ask a cluster admin to grant it, "
                        "or use another --context)");
  CHECK(e403.exit_code == 4);
}
