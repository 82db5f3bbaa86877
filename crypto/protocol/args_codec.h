#pragma once
// Internal to crypto/protocol: the "args" map of a request, per action (CDDL in README.md).

#include "crypto/cbor/value.h"
#include "crypto/protocol/request.h"
#include "crypto/protocol/wire.h"

namespace carnet::protocol::wire {

// The caller has checked that args.index() == ArgsIndexFor(action) and that it is not NoArgs.
cbor::Value EncodeArgs(const Arguments& args);
// `action` takes arguments (ArgsIndexFor(action) != 0).
Result<Arguments> DecodeArgs(const cbor::Value& v, Action action, const Limits& limits);

}  // namespace carnet::protocol::wire
