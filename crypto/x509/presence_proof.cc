#include "crypto/x509/presence_proof.h"

#include <cstdint>
#include <string>

#include "crypto/x509/cvc.h"

namespace carnet::crypto {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The NIR key check of firmware/vitale/nir.h (97 - N mod 97, 2A -> 19, 2B -> 18), repeated
// here because crypto/ may not depend on firmware/.
Status NirKeyCheck(std::string_view nir) {
  if (nir.size() != 15) return InvalidArgument("NIR must be 15 characters (13 + 2-digit key)");
  uint64_t n = 0;
  for (size_t i = 0; i < 13; ++i) {
    const char c = nir[i];
    unsigned digit = 0;
    if (IsDigit(c)) {
      digit = static_cast<unsigned>(c - '0');
    } else if (i == 6 && nir[5] == '2' && (c == 'A' || c == 'B')) {
      n -= 1;  // the '2' already appended becomes the '1' of 19 / 18
      digit = (c == 'A') ? 9 : 8;
    } else {
      return InvalidArgument("NIR: character " + std::to_string(i + 1) + " must be a digit");
    }
    n = n * 10 + digit;
  }
  if (!IsDigit(nir[13]) || !IsDigit(nir[14]))
    return InvalidArgument("NIR: the key must be 2 digits");
  const uint64_t key =
      static_cast<uint64_t>(nir[13] - '0') * 10 + static_cast<uint64_t>(nir[14] - '0');
  if (key != 97 - (n % 97)) return InvalidArgument("NIR: wrong key");
  return Status();
}

}  // namespace

Result<std::string> VerifyPresenceProof(ByteView cvc,
                                        ByteView signature,
                                        ByteView request_id,
                                        const VitaleTrust& trust,
                                        UnixMillis now) {
  if (request_id.size() != kPresenceProofRequestIdSize) {
    return InvalidArgument("presence proof: the request id must be 16 bytes");
  }
  CARNET_ASSIGN_OR_RETURN(auto cert, DecodeCvc(cvc));
  // Issuer, CAR and validity first: a key from an uncertified card proves nothing.
  Status s = VerifyCvc(cert, trust.ca_public_key, trust.car, now);
  if (!s.ok()) return Status(s.code(), "presence proof: " + s.message());
  // The holder reference must be a well-formed NIR: a certificate naming something else was
  // not issued for a Vitale card, whatever its signature.
  CARNET_TRY(NirKeyCheck(cert.fields.chr).Annotate("presence proof: certificate holder"));
  CARNET_ASSIGN_OR_RETURN(auto key, CvcPublicKey(cert));
  s = key.Verify(SignatureScheme::kEs256, request_id, signature);
  if (!s.ok()) {
    return Unauthenticated(
        "presence proof: the signature over the request id does not verify "
        "with the card's certified key (" +
        s.message() + ")");
  }
  return cert.fields.chr;
}

}  // namespace carnet::crypto
