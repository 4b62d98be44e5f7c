// The JSON plan never carries a Secret's values (found by test/e2e/test_secrets.py).
#include "plan/plan_test_util.hpp"
#include "wavesync/plan/plan_json.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
using namespace wavesync::testing;

namespace {
const char* k_secrets = R"(apiVersion: v1
kind: Secret
metadata: {name: db, namespace: app}
data: {password: c2VjcmV0LXZhbHVl}
stringData: {token: plain-secret-value}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: app}
data: {mode: visible-value}
)";
}  // namespace

TEST_CASE("the JSON plan shows a Secret's keys but replaces every data and stringData value", "[plan]") {
  Plan plan = plan_of(resources_from(k_secrets));
  for (const std::string& text : {plan_to_json(plan).dump(), plan_to_json_text(plan)}) {
    CHECK(text.find("c2VjcmV0LXZhbHVl") == std::string::npos);
    CHECK(text.find("plain-secret-value") == std::string::npos);
    CHECK(text.find(R"("data":{"password":"***"})") != std::string::npos);
    CHECK(text.find(R"("stringData":{"token":"***"})") != std::string::npos);
    CHECK(text.find("visible-value") != std::string::npos);
  }
}

TEST_CASE("the JSON plan replaces kubectl's last-applied annotation of a Secret", "[plan]") {
  Plan plan = plan_of(resources_from(R"(apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: app
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"password":"bGFzdC1hcHBsaWVkLXZhbHVl"}}'
    team: visible-annotation
data: {password: bGFzdC1hcHBsaWVkLXZhbHVl}
)"));
  for (const std::string& text : {plan_to_json(plan).dump(), plan_to_json_text(plan)}) {
    CHECK(text.find("bGFzdC1hcHBsaWVkLXZhbHVl") == std::string::npos);
    CHECK(text.find(R"("kubectl.kubernetes.io/last-applied-configuration":"***")") != std::string::npos);
    CHECK(text.find("visible-annotation") != std::string::npos);
  }
}
