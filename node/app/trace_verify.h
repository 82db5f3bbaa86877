#pragma once
// `carnet-node trace verify`: the whole-log audit (trace_cmd.cc has the usage).

#include "node/app/operator_cli.h"
#include "node/config/config.h"

namespace carnet::node::app {

// Exit 0 intact, 1 tampering found or the audit could not run (message on stdout/stderr).
int RunTraceVerify(const config::NodeConfig& config, const OperatorArgs& args);

}  // namespace carnet::node::app
