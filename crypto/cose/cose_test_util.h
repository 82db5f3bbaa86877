#pragma once
// Keys and message builders shared by the cose tests.

#include "crypto/cbor/encode.h"
#include "crypto/core/pk.h"
#include "crypto/core/random.h"
#include "crypto/cose/sign1.h"

namespace carnet::crypto::cose::testing {

using cbor::Value;

// Generated once per test binary: RSA generation is slow.
inline const PrivateKey& EcKey() {
  static PrivateKey key = *PrivateKey::GenerateEcP256(Drbg::ForThread());
  return key;
}
inline const PrivateKey& OtherEcKey() {
  static PrivateKey key = *PrivateKey::GenerateEcP256(Drbg::ForThread());
  return key;
}
inline const PrivateKey& RsaKey() {
  static PrivateKey key = *PrivateKey::GenerateRsa(Drbg::ForThread(), 2048);
  return key;
}

inline Value Protected(const Value& map) { return Value::ByteString(cbor::Encode(map)); }

inline Value AlgHeader(int64_t alg) {
  Value m = Value::Map({});
  m.Insert(Value::Int(kLabelAlg), Value::Int(alg));
  return m;
}

// A COSE_Sign1 from its four parts, tagged 18 unless `tag` says otherwise (0: untagged).
inline Bytes Build(Value protected_bstr,
                   Value unprotected,
                   Value payload,
                   Value signature,
                   uint64_t tag = kTagSign1) {
  Value body = Value::Array({std::move(protected_bstr), std::move(unprotected), std::move(payload),
                             std::move(signature)});
  return cbor::Encode(tag == 0 ? body : Value::Tag(tag, std::move(body)));
}

inline Value Sig64() { return Value::ByteString(Bytes(64, 0x11)); }
inline Value Payload() { return Value::ByteString(AsBytes("hello")); }

}  // namespace carnet::crypto::cose::testing
