#pragma once
// carnet-node command groups. main.cc dispatches `carnet-node <group> ...` to one of these;
// each group lives in its own <group>_cmd.cc and returns the process exit code.
// Exit codes shared by every group: 0 success, 2 usage or invalid input (message on stderr).

#include <span>
#include <string_view>

namespace carnet::node::app {

using Args = std::span<const std::string_view>;

// `carnet-node policy explain|matrix|rules ...` (policy_cmd.cc).
int RunPolicy(Args args);

// `carnet-node init DIR [--from-test-pki PKIDIR] [--force]` (init_cmd.cc).
int RunInit(Args args);

// `carnet-node config check FILE | defaults` (config_cmd.cc).
int RunConfig(Args args);

}  // namespace carnet::node::app
