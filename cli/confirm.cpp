#include "confirm.hpp"

#include <fmt/core.h>

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace wavesync::cli {

Result<void> confirm_deletion(const ConfirmRequest& request) {
  if (request.objects.empty() || request.flag_given) return {};
  std::string list;
  for (const std::string& object : request.objects) list += "\n  " + object;
  const bool terminal = !request.stdin_is_input && isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1;
  if (terminal) {
    fmt::print(stderr, "these objects are marked {} and would be deleted:{}\n{} them? [y/N] ", request.option, list,
               request.action == "prune" ? "Prune" : "Delete");
    std::fflush(stderr);
    std::string answer;
    std::getline(std::cin, answer);
    if (answer == "y" || answer == "Y" || answer == "yes") return {};
  }
  const bool one = request.objects.size() == 1;
  return make_error(fmt::format("{} held: {} object{} marked {} need{} confirmation, so nothing was changed; "
                                "pass {} to {} {}:{}",
                                request.action, request.objects.size(), one ? "" : "s", request.option,
                                one ? "s" : "", request.flag, request.action, one ? "it" : "them", list),
                    k_exit_held);
}

}  // namespace wavesync::cli
