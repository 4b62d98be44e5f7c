// The client contract run against the in-memory fake (the same cases run against the real
// API server in wavesync_kube_e2e).
#include "fakes/fake_client.hpp"
#include "kube/contract/client_contract.hpp"

#include <catch2/catch.hpp>

using namespace wavesync;
namespace contract = wavesync::test::contract;

namespace {
struct Fixture {
  fakes::FakeClock clock;
  fakes::FakeClient client{clock};
  Fixture() { contract::make_namespace(client, "contract"); }
};
}  // namespace

TEST_CASE("Contract (fake): apply, get, update and delete round-trip", "[kube][contract]") {
  Fixture f;
  contract::apply_get_update_delete_round_trip(f.client, "contract");
}
TEST_CASE("Contract (fake): get of a missing object is empty", "[kube][contract]") {
  Fixture f;
  contract::get_of_a_missing_object_is_empty(f.client, "contract");
}
TEST_CASE("Contract (fake): a dry-run apply does not persist", "[kube][contract]") {
  Fixture f;
  contract::dry_run_apply_does_not_persist(f.client, "contract");
}
TEST_CASE("Contract (fake): create with generateName picks a name", "[kube][contract]") {
  Fixture f;
  contract::create_with_generate_name_picks_a_name(f.client, "contract");
}
TEST_CASE("Contract (fake): list returns items and a resourceVersion", "[kube][contract]") {
  Fixture f;
  contract::list_returns_items_and_a_resource_version(f.client, "contract");
}
TEST_CASE("Contract (fake): a watch sees the current state, then changes", "[kube][contract]") {
  Fixture f;
  contract::watch_sees_current_state_then_changes(f.client, "contract");
}
TEST_CASE("Contract (fake): a merge patch sets and removes keys", "[kube][contract]") {
  Fixture f;
  contract::merge_patch_sets_and_removes_keys(f.client, "contract");
}
TEST_CASE("Contract (fake): an unknown kind is an error", "[kube][contract]") {
  Fixture f;
  contract::unknown_kind_is_an_error(f.client, "contract");
}
TEST_CASE("Contract (fake): a CRD and its custom resource work in one run", "[kube][contract]") {
  Fixture f;
  contract::crd_and_custom_resource_in_one_run(f.client, "contract", "contract.wavesync.dev");
}
