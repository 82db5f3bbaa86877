// COSE_Sign1 signing and signature verification. Decoding is in sign1_decode.cc, chain
// verification in sign1_trust.cc (so that code that never uses X.509 does not link it).
#include "crypto/cose/sign1.h"

#include <string>

#include "crypto/cbor/encode.h"
#include "crypto/core/random.h"
#include "crypto/cose/sign1_internal.h"

namespace carnet::crypto::cose {
namespace {

using cbor::Value;

constexpr uint8_t kMajorBytes = 2;
constexpr uint8_t kMajorText = 3;
constexpr uint8_t kMajorArray = 4;
constexpr size_t kEs256SignatureSize = 64;

Status CheckExtraLabels(const std::vector<cbor::MapEntry>& extra) {
  for (size_t i = 0; i < extra.size(); ++i) {
    const Value& label = extra[i].first;
    if (label == Value::Int(kLabelAlg) || label == Value::Int(kLabelCrit) ||
        label == Value::Int(kLabelX5Chain)) {
      return InvalidArgument("extra protected header may not set alg, crit or x5chain");
    }
    if (!label.is(cbor::Type::kUnsigned) && !label.is(cbor::Type::kNegative) &&
        !label.is(cbor::Type::kTextString)) {
      return InvalidArgument("header labels must be integers or text strings");
    }
    for (size_t j = 0; j < i; ++j) {
      if (extra[j].first == label) return InvalidArgument("duplicate extra protected label");
    }
  }
  return Status::Ok();
}

Result<Bytes> ProtectedHeader(SignatureScheme scheme,
                              const std::vector<Bytes>& x5chain,
                              const std::vector<cbor::MapEntry>& extra) {
  CARNET_TRY(CheckExtraLabels(extra));
  Value header = Value::Map({});
  header.Insert(Value::Int(kLabelAlg), Value::Int(AlgorithmId(scheme)));
  for (const Bytes& der : x5chain) {
    if (der.empty()) return InvalidArgument("empty certificate in x5chain");
  }
  // RFC 9360 §2: COSE_X509 = bstr / [ 2*certs: bstr ] — one certificate is a bare bstr.
  if (x5chain.size() == 1) {
    header.Insert(Value::Int(kLabelX5Chain), Value::ByteString(x5chain[0]));
  } else if (x5chain.size() > 1) {
    Value certs = Value::Array({});
    for (const Bytes& der : x5chain) certs.Append(Value::ByteString(der));
    header.Insert(Value::Int(kLabelX5Chain), std::move(certs));
  }
  for (const auto& [label, v] : extra) header.Insert(label, v);
  return cbor::Encode(header);
}

}  // namespace

int64_t AlgorithmId(SignatureScheme scheme) {
  switch (scheme) {
    case SignatureScheme::kEs256:
      return kAlgEs256;
    case SignatureScheme::kRs256:
      return kAlgRs256;
    case SignatureScheme::kPs256:
      return kAlgPs256;
  }
  return 0;
}

Result<SignatureScheme> SchemeFromAlgorithmId(int64_t alg) {
  switch (alg) {
    case kAlgEs256:
      return SignatureScheme::kEs256;
    case kAlgRs256:
      return SignatureScheme::kRs256;
    case kAlgPs256:
      return SignatureScheme::kPs256;
    default:
      return InvalidArgument("unknown COSE alg " + std::to_string(alg) +
                             " (accepted: -7 ES256, -257 RS256, -37 PS256)");
  }
}

Bytes SigStructure(ByteView protected_bytes, ByteView external_aad, ByteView payload) {
  // Written head by head rather than through a Value, to avoid copying the payload twice.
  static constexpr std::string_view kContext = "Signature1";
  Bytes out;
  out.reserve(32 + protected_bytes.size() + external_aad.size() + payload.size());
  cbor::AppendHead(out, kMajorArray, 4);
  cbor::AppendHead(out, kMajorText, kContext.size());
  Append(out, AsBytes(kContext));
  for (ByteView part : {protected_bytes, external_aad, payload}) {
    cbor::AppendHead(out, kMajorBytes, part.size());
    Append(out, part);
  }
  return out;
}

namespace {

Bytes Assemble(ByteView protected_bytes, ByteView payload, ByteView signature) {
  Value message = Value::Tag(
      kTagSign1,
      Value::Array({Value::ByteString(Bytes(protected_bytes.begin(), protected_bytes.end())),
                    Value::Map({}), Value::ByteString(Bytes(payload.begin(), payload.end())),
                    Value::ByteString(Bytes(signature.begin(), signature.end()))}));
  return cbor::Encode(message);
}

}  // namespace

Result<Bytes> Sign(const PrivateKey& key,
                   SignatureScheme scheme,
                   ByteView payload,
                   const std::vector<Bytes>& x5chain,
                   const SignOptions& options) {
  Random& rng = options.rng != nullptr ? *options.rng : Drbg::ForThread();
  return SignWith([&](ByteView tbs) { return key.Sign(scheme, tbs, rng); }, scheme, payload,
                  x5chain, options);
}

Result<Bytes> SignWith(const ExternalSignFn& sign,
                       SignatureScheme scheme,
                       ByteView payload,
                       const std::vector<Bytes>& x5chain,
                       const SignOptions& options) {
  CARNET_ASSIGN_OR_RETURN(Bytes protected_bytes,
                          ProtectedHeader(scheme, x5chain, options.extra_protected));
  CARNET_ASSIGN_OR_RETURN(Bytes signature,
                          sign(SigStructure(protected_bytes, options.external_aad, payload)));
  if (scheme == SignatureScheme::kEs256 ? signature.size() != kEs256SignatureSize
                                        : signature.size() < 256 || signature.size() > 512) {
    return Internal("signer returned a " + std::to_string(signature.size()) + "-byte " +
                    std::string(SchemeName(scheme)) + " signature");
  }
  return Assemble(protected_bytes, payload, signature);
}

Status Verify(const Sign1& message, const PublicKey& key, ByteView external_aad) {
  // The alg is taken again from the bytes the signature covers, not from the struct on
  // faith: a Sign1 assembled by hand cannot make us verify under another algorithm.
  auto header = internal::DecodeProtected(message.protected_bytes, message.protected_bytes.size());
  if (!header.ok()) return Unauthenticated("protected header: " + header.status().message());
  auto alg = internal::ProtectedAlg(*header);
  if (!alg.ok()) return Unauthenticated(alg.status().message());
  if (*alg != message.alg) return Unauthenticated("alg does not match the protected header");
  const std::string name(SchemeName(*alg));
  // A key of the wrong type for the alg is refused here, before any signature math.
  const bool alg_is_rsa = *alg != SignatureScheme::kEs256;
  if (alg_is_rsa != (key.type() == KeyType::kRsa)) {
    return Unauthenticated("key type does not match alg " + name + ": " +
                           (alg_is_rsa ? "an RSA key is needed" : "an EC P-256 key is needed"));
  }
  const size_t expected = alg_is_rsa ? (key.bits() + 7) / 8 : kEs256SignatureSize;
  if (message.signature.size() != expected) {
    return Unauthenticated(name + " signature is " + std::to_string(message.signature.size()) +
                           " bytes, expected " + std::to_string(expected));
  }
  Status st = key.Verify(*alg, SigStructure(message.protected_bytes, external_aad, message.payload),
                         message.signature);
  if (!st.ok()) return Unauthenticated("signature does not verify: " + st.message());
  return Status::Ok();
}

}  // namespace carnet::crypto::cose
