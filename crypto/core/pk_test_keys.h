#pragma once
// Keys shared by the crypto/core tests. RSA key generation takes seconds, so each key is
// made once per test binary (function-local statics in inline functions: one per program).

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>

#include <cstdlib>
#include <string>

#include "crypto/core/pk.h"
#include "crypto/core/random.h"

namespace carnet::crypto::testing {

inline const PrivateKey& Rsa2048() {
  static PrivateKey key = PrivateKey::GenerateRsa(Drbg::ForThread(), 2048).value();
  return key;
}

// Only to show that verification refuses it.
inline const PrivateKey& Rsa1024() {
  static PrivateKey key = PrivateKey::GenerateRsa(Drbg::ForThread(), 1024).value();
  return key;
}

inline const PrivateKey& EcP256() {
  static PrivateKey key = PrivateKey::GenerateEcP256(Drbg::ForThread()).value();
  return key;
}

// Builds an EC key on `curve` from a hex private scalar (or a random one when empty) with
// mbedTLS directly, and brings it in through PEM as any outside key would come.
inline PrivateKey EcKeyFromScalar(mbedtls_ecp_group_id curve, const char* d_hex) {
  mbedtls_pk_context pk;
  mbedtls_pk_init(&pk);
  int ret = mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
  mbedtls_ecp_keypair* ec = mbedtls_pk_ec(pk);
  if (ret == 0 && d_hex[0] == '\0') {
    ret = mbedtls_ecp_gen_key(curve, ec, &Drbg::MbedRng, &Drbg::ForThread());
  } else if (ret == 0) {
    ret = mbedtls_ecp_group_load(&ec->grp, curve);
    if (ret == 0) ret = mbedtls_mpi_read_string(&ec->d, 16, d_hex);
    if (ret == 0) {
      ret =
          mbedtls_ecp_mul(&ec->grp, &ec->Q, &ec->d, &ec->grp.G, &Drbg::MbedRng, &Drbg::ForThread());
    }
  }
  std::string pem(4096, '\0');
  if (ret == 0) {
    ret = mbedtls_pk_write_key_pem(&pk, reinterpret_cast<unsigned char*>(pem.data()), pem.size());
  }
  mbedtls_pk_free(&pk);
  if (ret != 0) std::abort();
  pem.resize(pem.find('\0'));
  return PrivateKey::FromPem(SecretBytes(AsBytes(pem))).value();
}

}  // namespace carnet::crypto::testing
