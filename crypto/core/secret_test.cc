#include "crypto/core/secret.h"

#include <CppUTest/TestHarness.h>

#include <utility>
#include <vector>

namespace carnet::crypto {
namespace {

// What the free hook saw: for each freed buffer, whether every byte was zero.
std::vector<bool>* g_freed_all_zero = nullptr;

void RecordFree(const uint8_t* data, size_t size) {
  bool zero = true;
  for (size_t i = 0; i < size; ++i) zero = zero && data[i] == 0;
  if (g_freed_all_zero != nullptr) g_freed_all_zero->push_back(zero);
}

const Bytes kPin = {'1', '2', '3', '4'};

}  // namespace

TEST_GROUP(SecretBytes) {
  std::vector<bool> freed;
  void setup() override {
    g_freed_all_zero = &freed;
    internal::SetSecretFreeHookForTest(&RecordFree);
  }
  void teardown() override {
    internal::SetSecretFreeHookForTest(nullptr);
    g_freed_all_zero = nullptr;
  }
};

TEST(SecretBytes, HoldsACopyOfItsInput) {
  Bytes input = kPin;
  SecretBytes s(input);
  input[0] = 'X';
  LONGS_EQUAL(4, s.size());
  CHECK_TRUE(ConstantTimeEqual(s.view(), kPin));
  CHECK_TRUE(SecretBytes().empty());
  CHECK_TRUE(ConstantTimeEqual(SecretBytes(size_t{3}).view(), Bytes{0, 0, 0}));
}

TEST(SecretBytes, ClearWipesBeforeFreeing) {
  SecretBytes s(kPin);
  s.Clear();
  CHECK_TRUE(s.empty());
  CHECK_TRUE(s.view().data() == nullptr);
  LONGS_EQUAL(1, freed.size());
  CHECK_TRUE(freed[0]);
}

TEST(SecretBytes, DestructorWipes) {
  { SecretBytes s(kPin); }
  LONGS_EQUAL(1, freed.size());
  CHECK_TRUE(freed[0]);
}

TEST(SecretBytes, MoveTransfersAndEmptiesTheSource) {
  SecretBytes a(kPin);
  const uint8_t* buffer = a.view().data();
  SecretBytes b(std::move(a));
  CHECK_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): the contract under test
  CHECK_TRUE(b.view().data() == buffer);  // moved, not copied: no stray copy to wipe
  CHECK_TRUE(ConstantTimeEqual(b.view(), kPin));
  LONGS_EQUAL(0, freed.size());
}

TEST(SecretBytes, MoveAssignWipesTheOverwrittenSecret) {
  SecretBytes a(kPin);
  SecretBytes b(Bytes{9, 9, 9, 9, 9});
  b = std::move(a);
  LONGS_EQUAL(1, freed.size());  // b's old buffer
  CHECK_TRUE(freed[0]);
  CHECK_TRUE(a.empty());  // NOLINT(bugprone-use-after-move)
  CHECK_TRUE(ConstantTimeEqual(b.view(), kPin));
}

TEST(SecretBytes, CloneIsADistinctEqualBuffer) {
  SecretBytes a(kPin);
  SecretBytes b = a.Clone();
  CHECK_TRUE(a.view().data() != b.view().data());
  CHECK_TRUE(a.Equals(b));
}

TEST(SecretBytes, EqualsComparesContentAndLength) {
  CHECK_TRUE(SecretBytes(kPin).Equals(SecretBytes(kPin)));
  CHECK_FALSE(SecretBytes(kPin).Equals(SecretBytes(Bytes{'1', '2', '3', '5'})));
  CHECK_FALSE(SecretBytes(kPin).Equals(SecretBytes(Bytes{'1', '2', '3'})));
  CHECK_TRUE(SecretBytes().Equals(SecretBytes()));
}

TEST(SecretBytes, ConstantTimeEqual) {
  CHECK_TRUE(ConstantTimeEqual(Bytes{}, Bytes{}));
  CHECK_TRUE(ConstantTimeEqual(Bytes{1, 2, 3}, Bytes{1, 2, 3}));
  CHECK_FALSE(ConstantTimeEqual(Bytes{1, 2, 3}, Bytes{1, 2, 4}));  // last byte
  CHECK_FALSE(ConstantTimeEqual(Bytes{0, 2, 3}, Bytes{1, 2, 3}));  // first byte
  CHECK_FALSE(ConstantTimeEqual(Bytes{0x80}, Bytes{0x00}));        // high bit only
  CHECK_FALSE(ConstantTimeEqual(Bytes{1, 2}, Bytes{1, 2, 3}));     // prefix
}

TEST(SecretBytes, ZeroizeOverwrites) {
  Bytes b = {1, 2, 3, 4};
  Zeroize(b);
  CHECK_TRUE(b == Bytes(4, 0));
  Zeroize(MutableByteView());  // empty is fine
}

}  // namespace carnet::crypto
