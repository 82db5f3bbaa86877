#pragma once
// The card-verifiable certificate (CVC) of this project's Vitale card.
//
// The real Vitale format is confidential (GIE SESAM-Vitale; cards.md §3). This is our own,
// documented choice in the ISO 7816-8 / BSI TR-03110 style, with an EC P-256 card key and an
// ECDSA P-256 SHA-256 signature by the Vitale CA (layout in crypto/x509/README.md):
//
//   7F21 CV certificate
//     7F4E certificate body            <- the signature covers this TLV, tag and length included
//       5F29 01  profile identifier (0x00)
//       42   ..  CAR, CA reference, ASCII (e.g. "FRVITALETESTCA01")
//       7F49 ..  public key
//         86 41  uncompressed P-256 point 04||X||Y
//       5F20 ..  CHR, holder reference, ASCII (the NIR with its key)
//       5F25 06  effective date YYMMDD, one digit per byte (0x00..0x09)
//       5F24 06  expiry date, same form
//     5F37 40  signature r||s (ECDSA P-256, SHA-256 over the 7F4E TLV)
//
// The decoder is strict: definite lengths in the shortest form only (at most 2 length bytes),
// no length past the end of its parent, no trailing bytes, no duplicate, unknown, missing or
// out-of-order tags, and fixed sizes for every field. Anything else is rejected with a reason.

#include <cstdint>
#include <string>

#include "crypto/core/pk.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::crypto {

struct CvDate {
  int year = 2000;  // 2000..2099
  int month = 1;
  int day = 1;
  friend bool operator==(const CvDate&, const CvDate&) = default;
};
// The UTC day containing `t`.
CvDate CvDateFromMillis(UnixMillis t);

struct CvcFields {
  uint8_t profile_id = 0;
  std::string car;     // 1..16 printable ASCII
  Bytes public_point;  // 65 bytes, 0x04 || X || Y
  std::string chr;     // 1..16 printable ASCII
  CvDate effective;
  CvDate expiry;
};

struct CvCertificate {
  CvcFields fields;
  Bytes body;       // the complete 7F4E TLV, exactly as received: what the signature covers
  Bytes signature;  // 64 bytes r||s
};

inline constexpr size_t kMaxCvcBytes = 512;

// Builds and signs a CVC with the Vitale CA key (EC P-256). Returns the 7F21 TLV.
Result<Bytes> EncodeCvc(const CvcFields& fields, const PrivateKey& ca_key, Random& rng);

Result<CvCertificate> DecodeCvc(ByteView encoded);

// The holder's public key (fails if the point is not on P-256).
Result<PublicKey> CvcPublicKey(const CvCertificate& cvc);

// Checks the signature under `ca_key`, that CAR names `expected_car` (so a certificate from
// another CA generation is not silently accepted under the wrong key), and that the UTC day of
// `now` lies within [effective, expiry].
Status VerifyCvc(const CvCertificate& cvc,
                 const PublicKey& ca_key,
                 std::string_view expected_car,
                 UnixMillis now);

}  // namespace carnet::crypto
