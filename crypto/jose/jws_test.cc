#include "crypto/jose/jws.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "crypto/core/random.h"

namespace carnet::crypto::jose {
namespace {

// RFC 7515 Appendix A.3 (ES256): the example's public key (x, y of A.3.1) and its compact
// serialization (A.3.1, line breaks removed). Payload: {"iss":"joe", "exp":1300819380,
// "http://example.com/is_root":true} with CRLF line breaks, as in the RFC.
constexpr char kA3X[] = "f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU";
constexpr char kA3Y[] = "x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0";
constexpr char kA3Header[] = "eyJhbGciOiJFUzI1NiJ9";
constexpr char kA3Payload[] =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlf"
    "Q";
constexpr char kA3Signature[] =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

std::string A3Token() { return std::string(kA3Header) + "." + kA3Payload + "." + kA3Signature; }

PublicKey A3Key() {
  // SubjectPublicKeyInfo for id-ecPublicKey / prime256v1 with an uncompressed point.
  Bytes spki = *HexDecode("3059301306072a8648ce3d020106082a8648ce3d030107034200");
  spki.push_back(0x04);
  Append(spki, *Base64UrlDecode(kA3X));
  Append(spki, *Base64UrlDecode(kA3Y));
  return *PublicKey::FromDer(spki);
}

std::string B64(std::string_view s) { return Base64UrlEncode(AsBytes(s)); }

std::string WithHeader(std::string_view header_json) {
  return B64(header_json) + "." + kA3Payload + "." + kA3Signature;
}

void CheckParseFails(const std::string& token, StatusCode code, const std::string& needle) {
  auto r = ParseCompact(token);
  CHECK_TEXT(!r.ok(), token.c_str());
  CHECK_TEXT(r.status().code() == code, r.status().ToString().c_str());
  CHECK_TEXT(r.status().message().find(needle) != std::string::npos, r.status().ToString().c_str());
}

}  // namespace

TEST_GROUP(Jws){};

TEST(Jws, VerifiesRfc7515A3) {
  PublicKey key = A3Key();
  auto payload = VerifyCompact(A3Token(), {&key});
  CHECK_TEXT(payload.ok(), payload.status().ToString().c_str());
  std::string text = ToString(*payload);
  CHECK(text.rfind("{\"iss\":\"joe\",\r\n \"exp\":1300819380", 0) == 0);
  auto jws = ParseCompact(A3Token());
  CHECK(jws->alg == SignatureScheme::kEs256);
  CHECK(!jws->typ.has_value());
  STRCMP_EQUAL((std::string(kA3Header) + "." + kA3Payload).c_str(), jws->signing_input.c_str());
}

TEST(Jws, RejectsTamperedSignatureAndPayload) {
  PublicKey key = A3Key();
  std::string bad_sig = A3Token();
  bad_sig[bad_sig.size() - 2] = bad_sig[bad_sig.size() - 2] == 'U' ? 'V' : 'U';
  auto r = VerifyCompact(bad_sig, {&key});
  LONGS_EQUAL(static_cast<int>(StatusCode::kUnauthenticated), static_cast<int>(r.status().code()));
  std::string other_payload =
      std::string(kA3Header) + "." + B64("{\"iss\":\"eve\"}") + "." + kA3Signature;
  CHECK(!VerifyCompact(other_payload, {&key}).ok());
  CHECK(!VerifyCompact(A3Token(), {}).ok());  // no pinned key
}

TEST(Jws, RejectsStructure) {
  CheckParseFails("abc", StatusCode::kInvalidArgument, "three");
  CheckParseFails(A3Token() + ".x", StatusCode::kInvalidArgument, "three");
  CheckParseFails(std::string(".") + kA3Payload + "." + kA3Signature, StatusCode::kInvalidArgument,
                  "empty");
  CheckParseFails(std::string(kA3Header) + "." + kA3Payload + ".", StatusCode::kInvalidArgument,
                  "empty");
  CheckParseFails(std::string(kA3Header) + "=." + kA3Payload + "." + kA3Signature,
                  StatusCode::kInvalidArgument, "header");
  CheckParseFails(std::string(kA3Header) + "." + kA3Payload + " ." + kA3Signature,
                  StatusCode::kInvalidArgument, "payload");
  CheckParseFails(std::string(kA3Header) + "." + kA3Payload + "." + kA3Signature + "AAA",
                  StatusCode::kInvalidArgument, "length");
  // "eyJhbGciOiJFUzI1NiJ9" with a non-zero unused bit in the last character.
  CheckParseFails(std::string("eyJhbGciOiJFUzI1NiJ-") + "." + kA3Payload + "." + kA3Signature,
                  StatusCode::kInvalidArgument, "header");
}

TEST(Jws, RejectsHeaders) {
  CheckParseFails(WithHeader("{\"alg\":\"none\"}"), StatusCode::kUnauthenticated, "none");
  CheckParseFails(WithHeader("{\"alg\":\"HS256\"}"), StatusCode::kUnauthenticated, "not allowed");
  CheckParseFails(WithHeader("{\"alg\":\"PS256\"}"), StatusCode::kUnauthenticated, "not allowed");
  CheckParseFails(WithHeader("{\"alg\":\"es256\"}"), StatusCode::kUnauthenticated, "not allowed");
  CheckParseFails(WithHeader("{\"typ\":\"JWT\"}"), StatusCode::kInvalidArgument, "alg");
  CheckParseFails(WithHeader("{\"alg\":7}"), StatusCode::kInvalidArgument, "alg");
  CheckParseFails(WithHeader("{\"alg\":\"ES256\",\"crit\":[\"exp\"]}"),
                  StatusCode::kInvalidArgument, "crit");
  CheckParseFails(WithHeader("{\"alg\":\"ES256\",\"jwk\":{}}"), StatusCode::kInvalidArgument,
                  "jwk");
  CheckParseFails(WithHeader("{\"alg\":\"ES256\",\"jku\":\"https://evil\"}"),
                  StatusCode::kInvalidArgument, "jku");
  CheckParseFails(WithHeader("{\"alg\":\"ES256\",\"alg\":\"ES256\"}"), StatusCode::kInvalidArgument,
                  "header");
  CheckParseFails(WithHeader("[\"ES256\"]"), StatusCode::kInvalidArgument, "object");
  CheckParseFails(WithHeader("{\"alg\":\"ES256\",\"pad\":\"" + std::string(1100, 'x') + "\"}"),
                  StatusCode::kOutOfRange, "header");
}

TEST(Jws, RejectsSizes) {
  CheckParseFails(std::string(16 * 1024 + 1, 'A'), StatusCode::kOutOfRange, "longer");
  std::string big = std::string(kA3Header) + "." + B64(std::string(9000, 'x')) + "." + kA3Signature;
  CheckParseFails(big, StatusCode::kOutOfRange, "payload");
}

TEST(Jws, AlgMustFitTheKey) {
  // An ES256 token checked against an RSA key, and the reverse: refused, never "converted".
  auto rsa = PrivateKey::GenerateRsa(Drbg::ForThread(), 2048);
  CHECK(rsa.ok());
  PublicKey rsa_pub = rsa->public_key();
  CHECK(!VerifyCompact(A3Token(), {&rsa_pub}).ok());
  auto rs = SignCompact(*rsa, SignatureScheme::kRs256, AsBytes("{\"sub\":\"x\"}"), "k1");
  CHECK(rs.ok());
  PublicKey ec = A3Key();
  CHECK(!VerifyCompact(*rs, {&ec}).ok());
  auto ok = VerifyCompact(*rs, {&ec, &rsa_pub});  // a rotation: the second pinned key verifies
  CHECK_TEXT(ok.ok(), ok.status().ToString().c_str());
  STRCMP_EQUAL("{\"sub\":\"x\"}", ToString(*ok).c_str());
  auto parsed = ParseCompact(*rs);
  STRCMP_EQUAL("k1", parsed->kid->c_str());
  STRCMP_EQUAL("JWT", parsed->typ->c_str());
}

TEST(Jws, Es256RoundTripAndWhitelist) {
  auto ec = PrivateKey::GenerateEcP256(Drbg::ForThread());
  auto token = SignCompact(*ec, SignatureScheme::kEs256, AsBytes("{}"));
  CHECK(token.ok());
  PublicKey pub = ec->public_key();
  CHECK(VerifyCompact(*token, {&pub}).ok());
  JwsLimits rsa_only;
  rsa_only.allowed_algs = {SignatureScheme::kRs256};
  CHECK(!VerifyCompact(*token, {&pub}, rsa_only).ok());
  CHECK(!SignCompact(*ec, SignatureScheme::kPs256, AsBytes("{}")).ok());
}

}  // namespace carnet::crypto::jose
