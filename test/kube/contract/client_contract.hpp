// Behaviour every kube::Client must show, written once and run against both the in-memory
// fake (test/kube/contract_fake_test.cpp, in wavesync_tests) and the real API server
// (test/kube/e2e, in wavesync_kube_e2e). Where they disagree, the fake is wrong.
// Each case works inside `namespace_name`, which the caller creates first.
#pragma once

#include "wavesync/kube/client.hpp"

#include <string>

namespace wavesync::test::contract {

// Applies a Namespace and waits until get() sees it.
void make_namespace(kube::Client& client, const std::string& namespace_name);

void apply_get_update_delete_round_trip(kube::Client& client, const std::string& namespace_name);
void get_of_a_missing_object_is_empty(kube::Client& client, const std::string& namespace_name);
// A JSON merge patch sets and removes keys (not stored under dry run); a missing object is a 404.
void merge_patch_sets_and_removes_keys(kube::Client& client, const std::string& namespace_name);
void dry_run_apply_does_not_persist(kube::Client& client, const std::string& namespace_name);
void create_with_generate_name_picks_a_name(kube::Client& client, const std::string& namespace_name);
void list_returns_items_and_a_resource_version(kube::Client& client, const std::string& namespace_name);
void watch_sees_current_state_then_changes(kube::Client& client, const std::string& namespace_name);
void unknown_kind_is_an_error(kube::Client& client, const std::string& namespace_name);
// Applies a CRD named `widgets.<group>`, waits for it, then applies and reads a Widget.
void crd_and_custom_resource_in_one_run(kube::Client& client, const std::string& namespace_name,
                                        const std::string& group);

}  // namespace wavesync::test::contract
