// Fuzz target for COSE_Sign1 decoding: any input must decode or fail cleanly; what decodes is
// then verified with a fixed key (it must fail cleanly too, short of a forged signature).
#include <cstdint>
#include <cstdlib>

#include "crypto/core/pk.h"
#include "crypto/cose/sign1.h"
#include "hal/base/bytes.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {
// RFC 9052 Appendix C.2.1's P-256 public key, so that the seed corpus's copy of that example
// exercises the whole successful path.
const carnet::crypto::PublicKey& FixedKey() {
  static carnet::crypto::PublicKey key = [] {
    carnet::Bytes spki = *carnet::HexDecode("3059301306072a8648ce3d020106082a8648ce3d030107034200");
    spki.push_back(0x04);
    carnet::Append(spki, *carnet::Base64UrlDecode("usWxHK2PmfnHKwXPS54m0kTcGJ90UiglWiGahtagnv8"));
    carnet::Append(spki, *carnet::Base64UrlDecode("IBOL-C3BttVivg-lSreASjpkttcsz-1rb7btKLv8EX4"));
    auto k = carnet::crypto::PublicKey::FromDer(spki);
    if (!k.ok()) std::abort();
    return std::move(*k);
  }();
  return key;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carnet::crypto;
  auto message = cose::Decode(carnet::ByteView(data, size));
  if (!message.ok()) return 0;
  cose::Verify(*message, FixedKey()).IgnoreError();
  return 0;
}
