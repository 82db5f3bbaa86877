// Fuzz target: the JWS compact parser never crashes on any bytes; what it accepts has an
// allowed alg and a signing input that is a prefix of the token.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "crypto/jose/jws.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carnet::crypto;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto jws = jose::ParseCompact(text);
  if (!jws.ok()) return 0;
  if (jws->alg == SignatureScheme::kPs256) std::abort();
  if (text.substr(0, jws->signing_input.size()) != jws->signing_input) std::abort();
  return 0;
}
