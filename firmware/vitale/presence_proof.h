#pragma once
// The presence-proof check moved to crypto/x509/presence_proof.h (the node verifies proofs
// too, and may not include firmware/). The names stay available here for the terminal code.

#include "crypto/x509/presence_proof.h"

namespace carnet::fw::vitale {

inline constexpr size_t kRequestIdSize = crypto::kPresenceProofRequestIdSize;
using crypto::VerifyPresenceProof;
using crypto::VitaleProof;
using crypto::VitaleTrust;

}  // namespace carnet::fw::vitale
