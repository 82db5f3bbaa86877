#include <CppUTest/TestHarness.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "crypto/core/pk.h"
#include "crypto/core/random.h"
#include "crypto/protocol/protocol_test_util.h"

namespace carnet::protocol {
namespace {

using namespace testing;

const crypto::PrivateKey& Key() {
  static crypto::PrivateKey key = *crypto::PrivateKey::GenerateEcP256(crypto::Drbg::ForThread());
  return key;
}

crypto::cose::ExternalSignFn Signer() {
  return [](ByteView tbs) {
    return Key().Sign(crypto::SignatureScheme::kEs256, tbs, crypto::Drbg::ForThread());
  };
}

const Bytes kFakeCert = {0x30, 0x03, 0x02, 0x01, 0x01};

TEST_GROUP(ProtocolSigned){};

TEST(ProtocolSigned, SignThenOpen) {
  Request in = SampleRequest(Action::kDeposit);
  auto cose = SignRequest(in, Signer(), crypto::SignatureScheme::kEs256, {kFakeCert});
  CHECK_TEXT(cose.ok(), cose.status().message().c_str());
  auto opened = OpenRequest(*cose);
  CHECK_TEXT(opened.ok(), opened.status().message().c_str());
  CHECK(opened->request.action == Action::kDeposit);
  CHECK(opened->sign1.payload == *EncodePayload(in));
  CHECK_EQUAL(1u, opened->sign1.x5chain.size());
  // OpenRequest does not verify; the signature is nevertheless the card's over the payload.
  CHECK(crypto::cose::Verify(opened->sign1, Key().public_key()).ok());
  CHECK(RequestContentHash(*cose) == crypto::Sha256(*cose));
}

TEST(ProtocolSigned, SignerAndEncoderFailuresPropagate) {
  crypto::cose::ExternalSignFn failing = [](ByteView) -> Result<Bytes> {
    return Unavailable("card removed");
  };
  auto r = SignRequest(SampleRequest(), failing, crypto::SignatureScheme::kEs256, {});
  STRCMP_CONTAINS("card removed", r.status().message().c_str());
  Request bad = SampleRequest();
  bad.request_id.clear();
  CHECK_FALSE(SignRequest(bad, Signer(), crypto::SignatureScheme::kEs256, {}).ok());
}

TEST(ProtocolSigned, OpenRejectsEnvelopeAndPayload) {
  auto r = OpenRequest(*HexDecode("d28440a0f6f6"));
  CHECK_FALSE(r.ok());
  STRCMP_CONTAINS("request envelope", r.status().message().c_str());
  auto not_a_request =
      crypto::cose::SignWith(Signer(), crypto::SignatureScheme::kEs256, ToBytes("hello"), {});
  r = OpenRequest(*not_a_request);
  STRCMP_CONTAINS("request payload", r.status().message().c_str());
  // Same request id, other content: the idempotency hash tells them apart.
  auto a = SignRequest(SampleRequest(Action::kRead), Signer(), crypto::SignatureScheme::kEs256, {});
  auto b = SignRequest(SampleRequest(Action::kList), Signer(), crypto::SignatureScheme::kEs256, {});
  CHECK(RequestContentHash(*a) != RequestContentHash(*b));
}

// An 8 MiB document (the default limit) goes through sign and open; one byte more does not.
TEST(ProtocolSigned, LargestDocument) {
  Request in = SampleRequest(Action::kDeposit);
  auto& d = std::get<DepositArgs>(in.args);
  d.content.assign(Limits{}.max_content_size, 0x42);
  d.content_sha256 = crypto::Sha256(d.content);
  const auto start = std::chrono::steady_clock::now();
  auto cose = SignRequest(in, Signer(), crypto::SignatureScheme::kEs256, {kFakeCert});
  CHECK_TEXT(cose.ok(), cose.status().message().c_str());
  auto opened = OpenRequest(*cose);
  CHECK_TEXT(opened.ok(), opened.status().message().c_str());
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  std::printf("\n  8 MiB deposit: sign+open %lld ms (debug build)\n", static_cast<long long>(ms));
  d.content.push_back(0x42);
  d.content_sha256 = crypto::Sha256(d.content);
  CHECK_FALSE(EncodePayload(in).ok());
}

// Writes the fuzz seed corpora when CARNET_PROTOCOL_CORPUS is set to the repository's
// tests/fuzz/corpus directory (see README.md); otherwise only checks the seeds can be made.
TEST(ProtocolSigned, SeedCorpus) {
  const char* dir = std::getenv("CARNET_PROTOCOL_CORPUS");
  auto write = [&](const std::string& name, ByteView bytes) {
    if (dir == nullptr) return;
    std::ofstream out(std::string(dir) + "/" + name, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()),
              static_cast<std::streamsize>(bytes.size()));
    CHECK(out.good());
  };
  for (Action a : {Action::kOpen, Action::kDeposit, Action::kReplace, Action::kRead, Action::kList,
                   Action::kRecordConsent, Action::kSetEmergencyPreferences, Action::kTraces,
                   Action::kStatus, Action::kSetDefaultMasking}) {
    auto cose =
        SignRequest(SampleRequest(a), Signer(), crypto::SignatureScheme::kEs256, {kFakeCert});
    CHECK(cose.ok());
    write("protocol_request_fuzz/" + std::string(ActionName(a)) + ".cose", *cose);
  }
  write("protocol_request_fuzz/deposit.payload", *EncodePayload(SampleRequest(Action::kDeposit)));
  int i = 0;
  for (const Response& r : SampleResponses()) {
    auto bytes = EncodeResponse(r);
    CHECK(bytes.ok());
    write("protocol_response_fuzz/response_" + std::to_string(i++) + ".cbor", *bytes);
  }
}

}  // namespace
}  // namespace carnet::protocol
