// Holding a deletion the manifests ask to confirm (`argocd.argoproj.io/sync-options:
// Prune=confirm` on a live object that --prune would delete, `Delete=confirm` on an object
// `wavesync delete` would delete). Argo CD holds the sync or the app deletion until someone
// confirms in its UI or CLI; a CLI asks on a terminal, and otherwise refuses unless the
// confirming flag was given, with exit code 5 (README "Exit codes") and nothing deleted.
#pragma once

#include "wavesync/model/result.hpp"

#include <string>
#include <vector>

namespace wavesync::cli {

// The exit code of a prune or deletion held for confirmation: nothing was changed.
inline constexpr int k_exit_held = 5;

struct ConfirmRequest {
  std::string option;              // `Prune=confirm`
  std::string action;              // `prune`, `delete`
  std::string flag;                // `--confirm-prune`
  std::vector<std::string> objects;  // `v1 ConfigMap shop/precious`
  bool flag_given = false;
  bool stdin_is_input = false;     // manifests read from stdin: no one to ask
};

// Ok when there is nothing to confirm, the flag was given, or a person at the terminal
// answered yes. Otherwise an Error with exit code 5 naming every object and the flag.
Result<void> confirm_deletion(const ConfirmRequest& request);

}  // namespace wavesync::cli
