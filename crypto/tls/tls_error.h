#pragma once
// The one place that turns MBEDTLS_ERR_SSL_* (and the X.509 errors a handshake returns) into
// a Status, keeping mbedTLS's code and text (through crypto/core's MbedtlsError).
//
//   peer certificate missing / refused, bad signature  -> kUnauthenticated (with the X.509
//                                                         verification flags spelled out)
//   malformed records or handshake messages, bad MAC    -> kInvalidArgument
//   no common version / suite / curve                   -> kFailedPrecondition
//   a fatal alert from the peer                         -> kAborted
//   out of memory                                       -> kResourceExhausted
//   anything else                                       -> kInternal

#include <cstdint>
#include <string_view>

#include "hal/base/status.h"

namespace carnet::crypto::tls {

// `verify_flags` is mbedtls_ssl_get_verify_result() (0 when unknown or not applicable).
Status TlsError(int ret, std::string_view what, uint32_t verify_flags = 0);

}  // namespace carnet::crypto::tls
