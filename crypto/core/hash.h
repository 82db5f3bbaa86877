#pragma once
// SHA-256, HMAC-SHA-256 and HKDF-SHA-256 (RFC 5869).

#include <array>
#include <cstdint>

#include "crypto/core/secret.h"
#include "hal/base/bytes.h"

namespace carnet::crypto {

using Sha256Digest = std::array<uint8_t, 32>;

Sha256Digest Sha256(ByteView data);

// Incremental SHA-256. The CPS card's PSO HASH takes a *partial* state (the intermediate
// hash value after whole 64-byte blocks, plus the number of bytes hashed): PartialState()
// exposes exactly that (cards.md §1.6).
class Sha256Hasher {
 public:
  Sha256Hasher();
  ~Sha256Hasher();
  Sha256Hasher(const Sha256Hasher&) = delete;
  Sha256Hasher& operator=(const Sha256Hasher&) = delete;
  void Update(ByteView data);
  // Returns the digest and starts over on a new, empty message.
  Sha256Digest Finish();

 private:
  struct Impl;
  Impl* impl_;
};

// Hashes all whole 64-byte blocks of `data` and returns the intermediate state (8 big-endian
// 32-bit words = 32 bytes), the number of bytes consumed (a multiple of 64) — the rest is the
// tail the card finishes.
struct Sha256Partial {
  std::array<uint8_t, 32> state;
  uint64_t bytes_hashed;
};
Sha256Partial Sha256PartialBlocks(ByteView data);
// Finishes a hash from a partial state and the remaining tail (what the card does).
// `partial.bytes_hashed` must be a multiple of 64 (the card's counter is in bits: ×8); any
// other value gives a meaningless digest, never undefined behaviour.
Sha256Digest Sha256FinishFromPartial(const Sha256Partial& partial, ByteView tail);

Sha256Digest HmacSha256(ByteView key, ByteView data);

// HKDF-SHA-256; fails (kInvalidArgument) if length is 0 or > 255*32. An empty salt means
// 32 zero bytes (RFC 5869 §2.2).
Result<SecretBytes> HkdfSha256(ByteView ikm, ByteView salt, ByteView info, size_t length);

// The DER DigestInfo for SHA-256 (RFC 8017 §9.2 note 1) followed by the digest: what an
// RSA PKCS#1 v1.5 signature over a hash actually signs, and what the CPS INTERNAL
// AUTHENTICATE takes as input.
Bytes Sha256DigestInfo(const Sha256Digest& digest);

}  // namespace carnet::crypto
