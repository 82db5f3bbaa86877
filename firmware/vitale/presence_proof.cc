#include "firmware/vitale/presence_proof.h"

#include "crypto/x509/cvc.h"
#include "firmware/vitale/nir.h"

namespace carnet::fw::vitale {

Result<std::string> VerifyPresenceProof(ByteView cvc,
                                        ByteView signature,
                                        ByteView request_id,
                                        const VitaleTrust& trust,
                                        UnixMillis now) {
  if (request_id.size() != kRequestIdSize) {
    return InvalidArgument("presence proof: the request id must be 16 bytes");
  }
  CARNET_ASSIGN_OR_RETURN(auto cert, crypto::DecodeCvc(cvc));
  // Issuer, CAR and validity first: a key from an uncertified card proves nothing.
  Status s = crypto::VerifyCvc(cert, trust.ca_public_key, trust.car, now);
  if (!s.ok()) return Status(s.code(), "presence proof: " + s.message());
  // The holder reference must be a well-formed NIR: a certificate naming something else was
  // not issued for a Vitale card, whatever its signature.
  CARNET_TRY(NirKeyCheck(cert.fields.chr).Annotate("presence proof: certificate holder"));
  CARNET_ASSIGN_OR_RETURN(auto key, crypto::CvcPublicKey(cert));
  s = key.Verify(crypto::SignatureScheme::kEs256, request_id, signature);
  if (!s.ok()) {
    return Unauthenticated(
        "presence proof: the signature over the request id does not verify "
        "with the card's certified key (" +
        s.message() + ")");
  }
  return cert.fields.chr;
}

}  // namespace carnet::fw::vitale
