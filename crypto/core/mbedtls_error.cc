#include <mbedtls/entropy.h>
#include <mbedtls/error.h>

#include <array>
#include <cstdio>
#include <string>

#include "crypto/core/mbedtls_util.h"

namespace carnet::crypto {

Status MbedtlsError(int ret, std::string_view what, StatusCode code) {
  std::array<char, 160> text{};
  mbedtls_strerror(ret, text.data(), text.size());
  std::array<char, 16> hex{};
  // mbedTLS codes are negative; print them as mbedTLS's own documentation does (-0x4380).
  unsigned magnitude = ret < 0 ? 0U - static_cast<unsigned>(ret) : static_cast<unsigned>(ret);
  std::snprintf(hex.data(), hex.size(), "%s0x%04X", ret < 0 ? "-" : "", magnitude);
  std::string message(what);
  message += ": mbedTLS ";
  message += hex.data();
  message += " (";
  message += text.data();
  message += ")";
  if (code == StatusCode::kOk) code = StatusCode::kInternal;  // an error is never "fine"
  return Status(code, std::move(message));
}

int MbedRandom(void* random, unsigned char* out, size_t len) {
  if (random == nullptr) return MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
  Status s = static_cast<Random*>(random)->Fill(MutableByteView(out, len));
  return s.ok() ? 0 : MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
}

}  // namespace carnet::crypto
