#include "hal/pin/pin_entry.h"

#include <unistd.h>

#include "hal/card/fake_card_reader.h"

// clang-format off
#include <CppUTest/TestHarness.h>
// clang-format on

namespace carnet::hal {
namespace {
Bytes H(const char* hex) { return HexDecode(hex).value(); }
const char kReader[] = "Reader 0";

// A pipe holding `text`, as --pin-stdin gets it.
int PipeWith(const std::string& text) {
  int fds[2];
  CHECK(pipe(fds) == 0);
  CHECK(write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  close(fds[1]);
  return fds[0];
}
}  // namespace

TEST_GROUP(PinEntry) {
  FakeCardReader reader;
  void setup() override {
    reader.InsertCard(kReader, H("3bac00402a001225006480000310009000"));
    CHECK(reader.Connect(kReader, ShareMode::kShared).ok());
  }
};

TEST(PinEntry, VerifyStructureMatchesOpenScForIasEcc) {
  // The block OpenSC sends for an IAS-ECC PIN (min 4, max 8, stored 4, pad FF), cards.md §5.1.
  PinProperties p;
  p.max_length = 8;
  CHECK(H("1e1e02000008040200000000000000090000000020000104ffffffff") ==
        BuildPinVerifyStructure(p));
}

TEST(PinEntry, VerifyStructureUsesTheCardsLengthsNotSixteen) {
  // Pinpads reject a maximum larger than the real PIN (OpenSC#424): CPS PIN is exactly 4.
  Bytes s = BuildPinVerifyStructure(PinProperties{});
  LONGS_EQUAL(0x04, s[5]);
  LONGS_EQUAL(0x04, s[6]);
}

TEST(PinEntry, ConsoleSendsVerifyWithThePin) {
  int fd = PipeWith("1234\n");
  reader.Expect(H("002000010431323334"), H("9000"));
  ConsolePinEntry entry(fd);
  LONGS_EQUAL(0x9000, entry.Verify(reader, PinProperties{}).value());
  CHECK(reader.ScriptDone());
  close(fd);
}

TEST(PinEntry, ConsoleReturnsTriesLeft) {
  int fd = PipeWith("0000\n");
  reader.Expect(H("002000010430303030"), H("63c2"));
  ConsolePinEntry entry(fd);
  LONGS_EQUAL(0x63C2, entry.Verify(reader, PinProperties{}).value());
  close(fd);
}

TEST(PinEntry, ConsoleRefusesBadFormatWithoutSpendingATry) {
  for (const char* text : {"12a4\n", "123\n", "12345\n", "\n"}) {
    int fd = PipeWith(text);
    ConsolePinEntry entry(fd);
    auto r = entry.Verify(reader, PinProperties{});
    CHECK(r.status().code() == StatusCode::kInvalidArgument);
    CHECK(r.status().message().find(text[0] == '\n' ? "digits" : "PIN") != std::string::npos);
    close(fd);
  }
  LONGS_EQUAL(0, reader.sent().size());
}

TEST(PinEntry, PinBlockIsPadded) {
  PinProperties p;
  p.stored_length = 8;
  p.max_length = 8;
  crypto::SecretBytes b = PinBlock(AsBytes("1234"), p);
  CHECK(H("31323334ffffffff") == Bytes(b.view().begin(), b.view().end()));
}

TEST(PinEntry, ChoosesSecureEntryWhenTheReaderOffersIt) {
  int fd = PipeWith("");
  auto console = ChoosePinEntry(reader, fd).value();
  CHECK(dynamic_cast<ConsolePinEntry*>(console.get()) != nullptr);
  reader.SetFeatures({{kFeatureVerifyPinDirect, 0x42330006}});
  Bytes seen;
  reader.SetControlHandler([&seen](uint32_t code, ByteView in) -> Result<Bytes> {
    if (code != 0x42330006) return InvalidArgument("wrong control code");
    seen.assign(in.begin(), in.end());
    return H("63c1");
  });
  auto secure = ChoosePinEntry(reader, fd).value();
  CHECK(dynamic_cast<SecurePinEntry*>(secure.get()) != nullptr);
  LONGS_EQUAL(0x63C1, secure->Verify(reader, PinProperties{}).value());
  CHECK(BuildPinVerifyStructure(PinProperties{}) == seen);
  LONGS_EQUAL(0, reader.sent().size());  // the PIN never went through our Transmit
  close(fd);
}

TEST(PinEntry, SecureEntryRejectsAMalformedReaderAnswer) {
  reader.SetControlHandler([](uint32_t, ByteView) -> Result<Bytes> { return H("90"); });
  SecurePinEntry entry(1);
  CHECK(entry.Verify(reader, PinProperties{}).status().code() == StatusCode::kDataLoss);
}

}  // namespace carnet::hal
