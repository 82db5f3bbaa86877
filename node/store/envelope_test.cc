#include "node/store/envelope.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "crypto/core/random.h"

namespace carnet::node::store {
namespace {

crypto::SecretBytes Kek(uint8_t fill) { return crypto::SecretBytes(Bytes(32, fill)); }

Bytes Text(std::string_view s) { return Bytes(s.begin(), s.end()); }

}  // namespace

TEST_GROUP(Envelope) {
  Random& rng = crypto::Drbg::ForThread();
  crypto::SecretBytes kek = Kek(0x11);
};

TEST(Envelope, AadIsLengthPrefixed) {
  // Field boundaries are part of the encoding: ("12", "3") and ("1", "23") must differ.
  Bytes a = DocumentAad({"12", "3", 1});
  Bytes b = DocumentAad({"1", "23", 1});
  CHECK_FALSE(a == b);
  Bytes expected = Text("carnet-doc-v1");
  Bytes tail = {0, 0, 0, 2, '1', '2', 0, 0, 0, 1, '3', 0, 0, 0, 0, 0, 0, 0, 1};
  expected.insert(expected.end(), tail.begin(), tail.end());
  CHECK_TRUE(a == expected);
}

TEST(Envelope, PatientKeyWrapsAndUnwraps) {
  auto wrapped = NewWrappedPatientKey(kek, rng);
  CHECK_TRUE(wrapped.ok());
  LONGS_EQUAL(kPatientKeySize + 8, wrapped->size());  // RFC 3394 adds one 64-bit block
  auto key = UnwrapPatientKey(kek, *wrapped);
  CHECK_TRUE(key.ok());
  LONGS_EQUAL(kPatientKeySize, key->size());
}

TEST(Envelope, WrongKekFailsWithDataLoss) {
  auto wrapped = NewWrappedPatientKey(kek, rng);
  CHECK_TRUE(wrapped.ok());
  CHECK_TRUE(UnwrapPatientKey(Kek(0x22), *wrapped).status().code() == StatusCode::kDataLoss);
  Bytes altered = *wrapped;
  altered[10] ^= 1;
  CHECK_TRUE(UnwrapPatientKey(kek, altered).status().code() == StatusCode::kDataLoss);
}

TEST(Envelope, DocumentRoundTrip) {
  auto key = UnwrapPatientKey(kek, *NewWrappedPatientKey(kek, rng));
  CHECK_TRUE(key.ok());
  Bytes plaintext = Text("<ClinicalDocument/>");
  DocumentBinding binding{"1234567890123", "doc-1", 3};
  auto sealed = SealDocument(*key, binding, plaintext, rng);
  CHECK_TRUE(sealed.ok());
  auto opened = OpenDocument(*key, binding, *sealed);
  CHECK_TRUE(opened.ok());
  CHECK_TRUE(Bytes(opened->view().begin(), opened->view().end()) == plaintext);
  // Two seals of the same document use fresh nonces.
  auto again = SealDocument(*key, binding, plaintext, rng);
  CHECK_FALSE(*again == *sealed);
}

TEST(Envelope, BlobMovedToAnotherBindingFailsWithDataLoss) {
  auto key = UnwrapPatientKey(kek, *NewWrappedPatientKey(kek, rng));
  DocumentBinding binding{"1234567890123", "doc-1", 3};
  auto sealed = SealDocument(*key, binding, Text("x"), rng);
  CHECK_TRUE(sealed.ok());
  for (const DocumentBinding& other :
       {DocumentBinding{"1234567890124", "doc-1", 3}, DocumentBinding{"1234567890123", "doc-2", 3},
        DocumentBinding{"1234567890123", "doc-1", 4}}) {
    CHECK_TRUE(OpenDocument(*key, other, *sealed).status().code() == StatusCode::kDataLoss);
  }
}

TEST(Envelope, OtherPatientKeyOrDamagedBlobFailsWithDataLoss) {
  auto key = UnwrapPatientKey(kek, *NewWrappedPatientKey(kek, rng));
  auto other = UnwrapPatientKey(kek, *NewWrappedPatientKey(kek, rng));
  DocumentBinding binding{"1234567890123", "doc-1", 1};
  auto sealed = SealDocument(*key, binding, Text("payload"), rng);
  CHECK_TRUE(OpenDocument(*other, binding, *sealed).status().code() == StatusCode::kDataLoss);
  Bytes damaged = *sealed;
  damaged.back() ^= 0x80;
  CHECK_TRUE(OpenDocument(*key, binding, damaged).status().code() == StatusCode::kDataLoss);
  Bytes truncated(sealed->begin(), sealed->begin() + 5);
  CHECK_TRUE(OpenDocument(*key, binding, truncated).status().code() == StatusCode::kDataLoss);
  CHECK_TRUE(OpenDocument(*key, binding, {}).status().code() == StatusCode::kDataLoss);
}

}  // namespace carnet::node::store
