#include "hal/base/secure_wipe.h"

#include <CppUTest/TestHarness.h>

namespace carnet {
namespace {

bool AllZero(ByteView b) {
  for (uint8_t v : b) {
    if (v != 0) return false;
  }
  return true;
}

}  // namespace

TEST_GROUP(SecureWipe){};

TEST(SecureWipe, ZeroesEveryByteAndKeepsTheSize) {
  Bytes pin = ToBytes("1234\xff\xff\xff\xff");
  SecureWipe(pin);
  LONGS_EQUAL(8, pin.size());
  CHECK(AllZero(pin));
}

TEST(SecureWipe, WipesOnlyTheGivenRange) {
  Bytes b = {1, 2, 3, 4};
  SecureWipe(MutableByteView(b).subspan(1, 2));
  CHECK(Bytes({1, 0, 0, 4}) == b);
  SecureWipe(MutableByteView());  // an empty view is fine
}

TEST(SecureWipe, ScopedWipeWipesOnEveryExit) {
  Bytes kept = {9, 9, 9};
  auto early_return = [&kept](bool early) {
    ScopedWipe wipe(kept);
    if (early) return 1;
    kept.back() = 7;
    return 2;
  };
  LONGS_EQUAL(1, early_return(true));
  CHECK(AllZero(kept));
  kept = {9, 9, 9};
  LONGS_EQUAL(2, early_return(false));
  CHECK(AllZero(kept));
  LONGS_EQUAL(3, kept.size());
}

}  // namespace carnet
