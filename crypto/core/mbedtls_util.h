#pragma once
// Internal to crypto/: the glue every mbedTLS caller in this module needs. Never include
// outside crypto/ (pk_internal.h includes it, so code that already uses that gets it too).

#include <cstddef>
#include <string_view>

#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::crypto {

// The one place that turns an MBEDTLS_ERR_* into a Status: keeps the code (as -0xNNNN) and
// mbedTLS's own text in the message: "<what>: mbedTLS -0x4380 (RSA - The PKCS#1 ...)".
Status MbedtlsError(int ret, std::string_view what, StatusCode code = StatusCode::kInternal);

// An mbedTLS f_rng over any carnet::Random: pass `&rng` (a Random*) as p_rng. Returns
// MBEDTLS_ERR_ENTROPY_SOURCE_FAILED when the Random fails, so mbedTLS aborts the operation
// rather than using a short or predictable output. (Drbg::MbedRng does the same for a Drbg*.)
int MbedRandom(void* random, unsigned char* out, size_t len);

}  // namespace carnet::crypto
