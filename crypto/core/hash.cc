#include "crypto/core/hash.h"

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/sha256.h>

#include <cstdlib>

#include "crypto/core/mbedtls_util.h"

namespace carnet::crypto {
namespace {

// Software SHA-256 cannot fail on valid arguments; a failure here is a broken build or memory
// corruption, and a wrong digest would be worse than stopping.
void Check(int ret) {
  if (ret != 0) std::abort();
}

const mbedtls_md_info_t* Sha256Info() { return mbedtls_md_info_from_type(MBEDTLS_MD_SHA256); }

}  // namespace

Sha256Digest Sha256(ByteView data) {
  Sha256Digest out;
  Check(mbedtls_sha256_ret(data.data(), data.size(), out.data(), /*is224=*/0));
  return out;
}

struct Sha256Hasher::Impl {
  Impl() {
    mbedtls_sha256_init(&ctx);
    Check(mbedtls_sha256_starts_ret(&ctx, /*is224=*/0));
  }
  ~Impl() { mbedtls_sha256_free(&ctx); }  // zeroizes the context
  mbedtls_sha256_context ctx;
};

Sha256Hasher::Sha256Hasher() : impl_(new Impl) {}
Sha256Hasher::~Sha256Hasher() { delete impl_; }

void Sha256Hasher::Update(ByteView data) {
  Check(mbedtls_sha256_update_ret(&impl_->ctx, data.data(), data.size()));
}

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out;
  Check(mbedtls_sha256_finish_ret(&impl_->ctx, out.data()));
  // Ready for a new message, so a second Finish() never returns a stale digest.
  Check(mbedtls_sha256_starts_ret(&impl_->ctx, /*is224=*/0));
  return out;
}

Sha256Partial Sha256PartialBlocks(ByteView data) {
  const size_t whole = data.size() - data.size() % 64;
  mbedtls_sha256_context ctx;
  mbedtls_sha256_init(&ctx);
  Check(mbedtls_sha256_starts_ret(&ctx, 0));
  Check(mbedtls_sha256_update_ret(&ctx, data.data(), whole));
  Sha256Partial partial{};
  // FIPS 180-4 writes the intermediate hash value H0..H7 as big-endian words; so do the cards.
  for (size_t i = 0; i < 8; ++i) {
    const uint32_t w = ctx.state[i];
    partial.state[4 * i] = static_cast<uint8_t>(w >> 24);
    partial.state[4 * i + 1] = static_cast<uint8_t>(w >> 16);
    partial.state[4 * i + 2] = static_cast<uint8_t>(w >> 8);
    partial.state[4 * i + 3] = static_cast<uint8_t>(w);
  }
  partial.bytes_hashed = whole;
  mbedtls_sha256_free(&ctx);
  return partial;
}

Sha256Digest Sha256FinishFromPartial(const Sha256Partial& partial, ByteView tail) {
  mbedtls_sha256_context ctx;
  mbedtls_sha256_init(&ctx);
  Check(mbedtls_sha256_starts_ret(&ctx, 0));
  for (size_t i = 0; i < 8; ++i) ctx.state[i] = ReadU32Be(ByteView(partial.state).subspan(4 * i));
  // mbedTLS keeps the byte count as two 32-bit halves; with a multiple of 64 the block buffer
  // is empty, so state + count is the whole context.
  ctx.total[0] = static_cast<uint32_t>(partial.bytes_hashed);
  ctx.total[1] = static_cast<uint32_t>(partial.bytes_hashed >> 32);
  Check(mbedtls_sha256_update_ret(&ctx, tail.data(), tail.size()));
  Sha256Digest out;
  Check(mbedtls_sha256_finish_ret(&ctx, out.data()));
  mbedtls_sha256_free(&ctx);
  return out;
}

Sha256Digest HmacSha256(ByteView key, ByteView data) {
  Sha256Digest out;
  Check(
      mbedtls_md_hmac(Sha256Info(), key.data(), key.size(), data.data(), data.size(), out.data()));
  return out;
}

Result<SecretBytes> HkdfSha256(ByteView ikm, ByteView salt, ByteView info, size_t length) {
  if (length == 0 || length > 255 * 32) {
    return InvalidArgument("HKDF-SHA-256 output must be 1.." + std::to_string(255 * 32) +
                           " bytes, asked for " + std::to_string(length));
  }
  SecretBytes okm(length);
  // An empty salt means "HashLen zeros" (RFC 5869 §2.2); mbedTLS does that for a NULL salt.
  int ret =
      mbedtls_hkdf(Sha256Info(), salt.empty() ? nullptr : salt.data(), salt.size(), ikm.data(),
                   ikm.size(), info.data(), info.size(), okm.mutable_view().data(), length);
  if (ret != 0) return MbedtlsError(ret, "HKDF-SHA-256");
  return okm;
}

Bytes Sha256DigestInfo(const Sha256Digest& digest) {
  // DigestInfo ::= SEQUENCE { SEQUENCE { OID 2.16.840.1.101.3.4.2.1, NULL }, OCTET STRING }.
  static constexpr uint8_t kPrefix[] = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01,
                                        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
  Bytes out(std::begin(kPrefix), std::end(kPrefix));
  out.insert(out.end(), digest.begin(), digest.end());
  return out;
}

}  // namespace carnet::crypto
