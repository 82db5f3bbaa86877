// Signing and verification. Which key may be used with which scheme is decided in exactly one
// place, CheckKeyForScheme(), for both directions.
#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <mbedtls/rsa.h>

#include <string>

#include "crypto/core/pk_internal.h"

namespace carnet::crypto {
namespace {

// Under 2048 bits RSA is within reach of factoring (ANSSI RGS B1 and NIST SP 800-131A both
// retired 1024); over 8192 bits a hostile certificate could make each verification cost
// seconds of CPU.
constexpr size_t kMinRsaBits = 2048;
constexpr size_t kMaxRsaBits = 8192;
constexpr size_t kEs256SignatureSize = 64;
constexpr int kPssSaltLength = 32;

std::string Name(SignatureScheme scheme) { return std::string(SchemeName(scheme)); }

Status CheckKeyForScheme(const mbedtls_pk_context& pk, SignatureScheme scheme) {
  const bool is_rsa = mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA;
  if (scheme == SignatureScheme::kEs256) {
    // Algorithm confusion: an RSA key must never be accepted for an ES256 signature.
    if (is_rsa) return InvalidArgument("ES256 needs an EC P-256 key, this is an RSA key");
    const mbedtls_ecp_group_id id = mbedtls_pk_ec(pk)->grp.id;
    if (id != MBEDTLS_ECP_DP_SECP256R1) {
      const mbedtls_ecp_curve_info* info = mbedtls_ecp_curve_info_from_grp_id(id);
      return Unauthenticated(std::string("ES256 needs a P-256 key, this EC key is on ") +
                             (info != nullptr ? info->name : "an unknown curve"));
    }
    return Status::Ok();
  }
  if (!is_rsa) return InvalidArgument(Name(scheme) + " needs an RSA key, this is an EC key");
  const size_t bits = mbedtls_pk_get_bitlen(&pk);
  if (bits < kMinRsaBits) {
    return Unauthenticated("RSA key of " + std::to_string(bits) +
                           " bits is under the 2048-bit minimum");
  }
  if (bits > kMaxRsaBits) {
    return Unauthenticated("RSA key of " + std::to_string(bits) +
                           " bits is over the 8192-bit maximum");
  }
  return Status::Ok();
}

int VerifyEs256(const mbedtls_pk_context& pk, const Sha256Digest& digest, ByteView sig) {
  mbedtls_ecp_keypair* ec = mbedtls_pk_ec(pk);
  mbedtls_mpi r, s;
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  // mbedtls_ecdsa_verify rejects r or s outside [1, n-1] itself.
  int ret = mbedtls_mpi_read_binary(&r, sig.data(), 32);
  if (ret == 0) ret = mbedtls_mpi_read_binary(&s, sig.data() + 32, 32);
  if (ret == 0) ret = mbedtls_ecdsa_verify(&ec->grp, digest.data(), digest.size(), &ec->Q, &r, &s);
  mbedtls_mpi_free(&r);
  mbedtls_mpi_free(&s);
  return ret;
}

int VerifyRsa(const mbedtls_pk_context& pk,
              SignatureScheme scheme,
              const Sha256Digest& digest,
              ByteView sig) {
  mbedtls_rsa_context* rsa = mbedtls_pk_rsa(pk);
  if (scheme == SignatureScheme::kRs256) {
    return mbedtls_rsa_rsassa_pkcs1_v15_verify(rsa, nullptr, nullptr, MBEDTLS_RSA_PUBLIC,
                                               MBEDTLS_MD_SHA256, 32, digest.data(), sig.data());
  }
  // PS256 per RFC 7518 §3.5: MGF1 with SHA-256 and a salt exactly as long as the hash.
  return mbedtls_rsa_rsassa_pss_verify_ext(rsa, nullptr, nullptr, MBEDTLS_RSA_PUBLIC,
                                           MBEDTLS_MD_SHA256, 32, digest.data(), MBEDTLS_MD_SHA256,
                                           kPssSaltLength, sig.data());
}

Result<Bytes> SignEs256(const mbedtls_pk_context& pk, const Sha256Digest& digest, Random& rng) {
  mbedtls_ecp_keypair* ec = mbedtls_pk_ec(pk);
  mbedtls_mpi r, s;
  mbedtls_mpi_init(&r);
  mbedtls_mpi_init(&s);
  // Deterministic nonce (RFC 6979): a weak or repeated RNG output cannot leak the key.
  int ret = mbedtls_ecdsa_sign_det_ext(&ec->grp, &r, &s, &ec->d, digest.data(), digest.size(),
                                       MBEDTLS_MD_SHA256, &MbedRandom, &rng);
  Bytes out(kEs256SignatureSize);
  if (ret == 0) ret = mbedtls_mpi_write_binary(&r, out.data(), 32);
  if (ret == 0) ret = mbedtls_mpi_write_binary(&s, out.data() + 32, 32);
  mbedtls_mpi_free(&r);
  mbedtls_mpi_free(&s);
  if (ret != 0) return MbedtlsError(ret, "ES256 signing");
  return out;
}

// mbedTLS 2.28 signs PSS only with a context whose padding is v2.1, and a key may be in use by
// several threads: work on a private copy instead of switching the shared key's padding.
int SignPss(const mbedtls_rsa_context& key, const Sha256Digest& digest, Random& rng, uint8_t* sig) {
  mbedtls_rsa_context copy;
  mbedtls_rsa_init(&copy, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
  int ret = mbedtls_rsa_copy(&copy, &key);
  if (ret == 0) {
    mbedtls_rsa_set_padding(&copy, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
    // Drop the copied blinding pair so that it is not used twice (here and in the original).
    mbedtls_mpi_free(&copy.Vi);
    mbedtls_mpi_free(&copy.Vf);
    ret = mbedtls_rsa_rsassa_pss_sign_ext(&copy, &MbedRandom, &rng, MBEDTLS_MD_SHA256, 32,
                                          digest.data(), kPssSaltLength, sig);
  }
  mbedtls_rsa_free(&copy);  // zeroizes the private key copy
  return ret;
}

Result<Bytes> SignRsa(const mbedtls_pk_context& pk,
                      SignatureScheme scheme,
                      const Sha256Digest& digest,
                      Random& rng) {
  mbedtls_rsa_context* rsa = mbedtls_pk_rsa(pk);
  Bytes sig(mbedtls_rsa_get_len(rsa));
  int ret;
  if (scheme == SignatureScheme::kRs256) {
    ret = mbedtls_rsa_rsassa_pkcs1_v15_sign(rsa, &MbedRandom, &rng, MBEDTLS_RSA_PRIVATE,
                                            MBEDTLS_MD_SHA256, 32, digest.data(), sig.data());
  } else {
    ret = SignPss(*rsa, digest, rng, sig.data());
  }
  if (ret != 0) return MbedtlsError(ret, Name(scheme) + " signing");
  return sig;
}

}  // namespace

Status PublicKey::Verify(SignatureScheme scheme, ByteView message, ByteView signature) const {
  return VerifyDigest(scheme, Sha256(message), signature);
}

Status PublicKey::VerifyDigest(SignatureScheme scheme,
                               const Sha256Digest& digest,
                               ByteView signature) const {
  CARNET_TRY(CheckKeyForScheme(impl_->pk, scheme));
  const size_t expected = scheme == SignatureScheme::kEs256
                              ? kEs256SignatureSize
                              : mbedtls_rsa_get_len(mbedtls_pk_rsa(impl_->pk));
  if (signature.size() != expected) {
    return Unauthenticated(Name(scheme) + " signature is " + std::to_string(signature.size()) +
                           " bytes, expected " + std::to_string(expected));
  }
  const int ret = scheme == SignatureScheme::kEs256
                      ? VerifyEs256(impl_->pk, digest, signature)
                      : VerifyRsa(impl_->pk, scheme, digest, signature);
  if (ret != 0) {
    return MbedtlsError(ret, Name(scheme) + " signature does not verify",
                        StatusCode::kUnauthenticated);
  }
  return Status::Ok();
}

Result<Bytes> PrivateKey::Sign(SignatureScheme scheme, ByteView message, Random& rng) const {
  return SignDigest(scheme, Sha256(message), rng);
}

Result<Bytes> PrivateKey::SignDigest(SignatureScheme scheme,
                                     const Sha256Digest& digest,
                                     Random& rng) const {
  Status usable = CheckKeyForScheme(impl_->pk, scheme);
  if (!usable.ok()) return InvalidArgument("cannot sign: " + usable.message());
  if (scheme == SignatureScheme::kEs256) return SignEs256(impl_->pk, digest, rng);
  return SignRsa(impl_->pk, scheme, digest, rng);
}

Result<Bytes> PrivateKey::RsaSignPkcs1Raw(ByteView digest_info, Random& rng) const {
  if (mbedtls_pk_get_type(&impl_->pk) != MBEDTLS_PK_RSA) {
    return InvalidArgument("RSA raw signature needs an RSA key, this is an EC key");
  }
  mbedtls_rsa_context* rsa = mbedtls_pk_rsa(impl_->pk);
  const size_t k = mbedtls_rsa_get_len(rsa);
  if (k < 11 || digest_info.size() > k - 11) {
    return InvalidArgument("DigestInfo of " + std::to_string(digest_info.size()) +
                           " bytes does not fit a " + std::to_string(k) + "-byte RSA block");
  }
  // EMSA-PKCS1-v1_5 (RFC 8017 §9.2 step 5): 00 01 FF..FF 00 || T, at least 8 bytes of FF.
  Bytes block(k, 0xFF);
  block[0] = 0x00;
  block[1] = 0x01;
  const size_t t_offset = k - digest_info.size();
  block[t_offset - 1] = 0x00;
  std::copy(digest_info.begin(), digest_info.end(), block.begin() + static_cast<long>(t_offset));
  Bytes sig(k);
  // `rng` blinds the private exponentiation against timing attacks.
  int ret = mbedtls_rsa_private(rsa, &MbedRandom, &rng, block.data(), sig.data());
  if (ret != 0) return MbedtlsError(ret, "RSA private operation");
  return sig;
}

}  // namespace carnet::crypto
