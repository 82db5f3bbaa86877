#pragma once
// Internal to crypto/cose: the header checks shared by Decode and Verify.

#include "crypto/cbor/decode.h"
#include "crypto/cose/sign1.h"

namespace carnet::crypto::cose::internal {

// CBOR limits for the parts of a message (strict: canonical heads and key order).
cbor::DecodeLimits CborLimits(size_t max_input_size);

// Decodes a protected header bstr into its map. Rejects an empty bstr (alg would be missing).
Result<cbor::Value> DecodeProtected(ByteView protected_bytes, size_t max_size);

// The alg of a decoded protected header: present, an integer, and one Carnet knows.
Result<SignatureScheme> ProtectedAlg(const cbor::Value& protected_header);

// Checks both header maps together (labels, alg placement, crit, x5chain) and fills
// message.alg and message.x5chain.
Status CheckHeaders(Sign1& message, const DecodeLimits& limits);

}  // namespace carnet::crypto::cose::internal
