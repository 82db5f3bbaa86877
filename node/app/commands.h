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

// `carnet-node serve --config FILE` (serve_cmd.cc).
int RunServe(Args args);

// `carnet-node enroll-terminal --config FILE --csr CSR.pem --id ID` and
// `carnet-node revoke-terminal --config FILE --id ID` (terminal_cmd.cc).
int RunEnrollTerminal(Args args);
int RunRevokeTerminal(Args args);

// `carnet-node import-directory --config FILE EXTRACT` (directory_cmd.cc).
int RunImportDirectory(Args args);

// `carnet-node trace sth|export|prove|verify --config FILE ...` (trace_cmd.cc).
int RunTrace(Args args);

// `carnet-node retention sweep --config FILE [--now T]` (retention_cmd.cc).
int RunRetention(Args args);

// `carnet-node notifications list|deliver --config FILE ...` (notifications_cmd.cc).
int RunNotifications(Args args);

}  // namespace carnet::node::app
