// The PIN block of a VERIFY command must not be left in freed memory by the copies
// CardReader::Transmit makes (its resend copy on 6Cxx, the serialized bytes).
//
// CppUTest's operator delete (new/delete overloads off, tests/support/test_main.cc) frees
// through its PlatformSpecificFree hook; while a test watches, the hook scans every block freed
// for the PIN block before it goes back to malloc. Its own executable, so that no other test
// runs with the hook.
#include <malloc.h>

#include <cstring>

#include "hal/card/card_reader.h"
#include "hal/card/fake_card_reader.h"

// clang-format off
#include <CppUTest/TestHarness.h>
#include <CppUTest/PlatformSpecificFunctions_c.h>
// clang-format on

namespace {
// An 8-byte ASCII PIN block padded with FF, as the CPS VERIFY sends it.
constexpr unsigned char kPinBlock[] = {'8', '2', '6', '4', 0xFF, 0xFF, 0xFF, 0xFF};
int g_freed_with_pin = 0;
void (*g_real_free)(void*) = nullptr;

void ScanningFree(void* p) {
  if (p != nullptr && memmem(p, malloc_usable_size(p), kPinBlock, sizeof kPinBlock) != nullptr) {
    ++g_freed_with_pin;
  }
  g_real_free(p);
}

// Scans what is freed on this thread between construction and destruction.
class Watch {
 public:
  Watch() {
    g_freed_with_pin = 0;
    g_real_free = PlatformSpecificFree;
    PlatformSpecificFree = ScanningFree;
  }
  ~Watch() { PlatformSpecificFree = g_real_free; }
  Watch(const Watch&) = delete;
  Watch& operator=(const Watch&) = delete;
};
}  // namespace

namespace carnet::hal {
namespace {
Bytes H(const char* hex) { return HexDecode(hex).value(); }
const char kReader[] = "Virtual PCD 00 00";
}  // namespace

TEST_GROUP(CardReaderWipe) {
  FakeCardReader reader;
  void setup() override {
    reader.InsertCard(kReader, H("3bac00402a001225006480000310009000"));
    CHECK(reader.Connect(kReader, ShareMode::kExclusive).ok());
  }
};

TEST(CardReaderWipe, VerifyWithLeRetryLeavesNoPinInFreedMemory) {
  int calls = 0;
  // The first answer asks for a resend with another Le: the command is copied, re-serialized
  // and sent twice, and every copy is freed before Transmit returns.
  reader.SetHandler([&calls](ByteView) { return ++calls == 1 ? H("6c00") : H("9000"); });
  const Bytes pin(std::begin(kPinBlock), std::end(kPinBlock));
  const CommandApdu verify = CommandApdu::MakeDataLe(0x00, 0x20, 0x00, 0x01, pin, 8);
  bool ok = false;
  int freed_with_pin = 0;
  {
    Watch watch;
    ok = reader.Transmit(verify).ok();
    freed_with_pin = g_freed_with_pin;
  }
  CHECK(ok);
  LONGS_EQUAL(2, calls);
  LONGS_EQUAL(0, freed_with_pin);
}

TEST(CardReaderWipe, TheWatchCanSeeAnUnwipedCopy) {
  // The check above can fail: a plain copy freed while watching is found.
  const Bytes pin(std::begin(kPinBlock), std::end(kPinBlock));
  int freed_with_pin = 0;
  {
    Watch watch;
    { Bytes copy = pin; }
    freed_with_pin = g_freed_with_pin;
  }
  LONGS_EQUAL(1, freed_with_pin);
}

}  // namespace carnet::hal
