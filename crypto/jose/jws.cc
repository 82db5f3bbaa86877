#include "crypto/jose/jws.h"

#include <algorithm>

#include "crypto/core/random.h"
#include "hal/base/json.h"

namespace carnet::crypto::jose {
namespace {

// Strict base64url: Base64UrlDecode refuses foreign characters, padding and non-zero unused
// bits; a length ≡ 1 (mod 4) carries 6 bits only and is never an encoding of anything.
Result<Bytes> DecodePart(std::string_view part, std::string_view name) {
  if (part.size() % 4 == 1)
    return InvalidArgument("JWS " + std::string(name) + ": bad base64url length");
  auto b = Base64UrlDecode(part);
  if (!b.ok()) return InvalidArgument("JWS " + std::string(name) + ": " + b.status().message());
  return b;
}

Status ReadHeader(std::string_view text, const JwsLimits& limits, Jws* out) {
  auto doc = json::Parse(text, json::ParseLimits{limits.max_header_size, 4});
  if (!doc.ok()) return InvalidArgument("JWS header: " + doc.status().message());
  CARNET_ASSIGN_OR_RETURN(json::ObjectReader r, json::ObjectReader::Open(*doc, "JWS header"));
  std::string alg;
  CARNET_TRY(r.String("alg", json::Presence::kRequired, &alg));
  std::string typ, kid;
  CARNET_TRY(r.String("typ", json::Presence::kOptional, &typ));
  CARNET_TRY(r.String("kid", json::Presence::kOptional, &kid));
  if (doc->Find("typ") != nullptr) out->typ = typ;
  if (doc->Find("kid") != nullptr) out->kid = kid;
  // Anything else — crit, jwk, jku, x5u, x5c, b64 — is refused, by Finish's "unknown field".
  CARNET_TRY(r.Finish());
  if (alg == "none") return Unauthenticated("JWS alg \"none\" refused (unsecured JWS)");
  auto scheme = ParseSchemeName(alg);
  if (!scheme.ok() || std::find(limits.allowed_algs.begin(), limits.allowed_algs.end(), *scheme) ==
                          limits.allowed_algs.end()) {
    return Unauthenticated("JWS alg \"" + alg.substr(0, 16) + "\" not allowed");
  }
  out->alg = *scheme;
  return Status::Ok();
}

}  // namespace

Result<Jws> ParseCompact(std::string_view compact, const JwsLimits& limits) {
  if (compact.size() > limits.max_compact_size) {
    return OutOfRange("JWS longer than " + std::to_string(limits.max_compact_size) + " bytes");
  }
  size_t dot1 = compact.find('.');
  size_t dot2 = dot1 == compact.npos ? compact.npos : compact.find('.', dot1 + 1);
  if (dot2 == compact.npos || compact.find('.', dot2 + 1) != compact.npos) {
    return InvalidArgument("JWS: not three dot-separated parts");
  }
  std::string_view h64 = compact.substr(0, dot1);
  std::string_view p64 = compact.substr(dot1 + 1, dot2 - dot1 - 1);
  std::string_view s64 = compact.substr(dot2 + 1);
  if (h64.empty() || s64.empty()) return InvalidArgument("JWS: empty header or signature");
  Jws jws;
  CARNET_ASSIGN_OR_RETURN(Bytes header, DecodePart(h64, "header"));
  if (header.size() > limits.max_header_size) return OutOfRange("JWS header too large");
  CARNET_TRY(ReadHeader(ToString(header), limits, &jws));
  CARNET_ASSIGN_OR_RETURN(jws.payload, DecodePart(p64, "payload"));
  if (jws.payload.size() > limits.max_payload_size) return OutOfRange("JWS payload too large");
  CARNET_ASSIGN_OR_RETURN(jws.signature, DecodePart(s64, "signature"));
  jws.signing_input = std::string(compact.substr(0, dot2));
  return jws;
}

Status Verify(const Jws& jws, const PublicKey& key) {
  Status s = key.Verify(jws.alg, AsBytes(jws.signing_input), jws.signature);
  if (s.ok()) return s;
  return Unauthenticated("JWS signature (" + std::string(SchemeName(jws.alg)) +
                         "): " + s.message());
}

Result<Bytes> VerifyCompact(std::string_view compact,
                            const std::vector<const PublicKey*>& keys,
                            const JwsLimits& limits) {
  CARNET_ASSIGN_OR_RETURN(Jws jws, ParseCompact(compact, limits));
  if (keys.empty()) return Unauthenticated("JWS: no verification key configured");
  for (const PublicKey* key : keys) {
    if (key != nullptr && Verify(jws, *key).ok()) return std::move(jws.payload);
  }
  return Unauthenticated("JWS signature does not verify under any pinned key");
}

Result<std::string> SignCompact(const PrivateKey& key,
                                SignatureScheme alg,
                                ByteView payload,
                                std::optional<std::string> kid,
                                std::optional<std::string> typ,
                                Random* rng) {
  if (alg == SignatureScheme::kPs256) return InvalidArgument("SignCompact: ES256 or RS256 only");
  json::Value header = json::Value::MakeObject();
  header.Set("alg", json::Value::String(std::string(SchemeName(alg))));
  if (typ) header.Set("typ", json::Value::String(*typ));
  if (kid) header.Set("kid", json::Value::String(*kid));
  std::string input =
      Base64UrlEncode(AsBytes(json::Write(header))) + "." + Base64UrlEncode(payload);
  Random& r = rng != nullptr ? *rng : static_cast<Random&>(Drbg::ForThread());
  CARNET_ASSIGN_OR_RETURN(Bytes sig, key.Sign(alg, AsBytes(input), r));
  return input + "." + Base64UrlEncode(sig);
}

}  // namespace carnet::crypto::jose
