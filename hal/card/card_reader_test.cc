#include "hal/card/card_reader.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "hal/card/fake_card_reader.h"
#include "hal/card/watchdog.h"

// clang-format off
// CppUTest's operator-new macros break standard headers included after it: keep it last.
#include <CppUTest/TestHarness.h>

#include <condition_variable>
// clang-format on

namespace carnet::hal {
namespace {
Bytes H(const char* hex) { return HexDecode(hex).value(); }
const char kReader[] = "Virtual PCD 00 00";
}  // namespace

TEST_GROUP(CardReader) {
  FakeCardReader reader;
  void setup() override {
    reader.InsertCard(kReader, H("3bac00402a001225006480000310009000"));
    CHECK(reader.Connect(kReader, ShareMode::kExclusive).ok());
  }
};

TEST(CardReader, T0Case4IsSentWithoutLeAndCollectedWithGetResponse) {
  reader.Expect(H("0088000002aabb"), H("6104"));
  reader.Expect(H("00c0000004"), H("010203049000"));
  auto r = reader.Transmit(CommandApdu::MakeDataLe(0, 0x88, 0, 0, H("aabb"), 256)).value();
  CHECK(r.ok());
  CHECK(H("01020304") == r.data);
  LONGS_EQUAL(2, reader.stats().apdus);
  LONGS_EQUAL(1, reader.stats().get_responses);
  CHECK(reader.ScriptDone());
}

TEST(CardReader, ChainedGetResponseConcatenatesUntil9000) {
  reader.Expect(H("002a9e9a00"), H("6100"));
  Bytes part1(256, 0x11);
  part1.push_back(0x61);
  part1.push_back(0x02);
  reader.Expect(H("00c0000000"), part1);
  reader.Expect(H("00c0000002"), H("22339000"));
  auto r = reader.Transmit(CommandApdu::MakeLe(0, 0x2A, 0x9E, 0x9A, 256)).value();
  LONGS_EQUAL(258, r.data.size());
  LONGS_EQUAL(0x22, r.data[256]);
  LONGS_EQUAL(0x9000, r.sw);
}

TEST(CardReader, WrongLeIsResentWithTheCardsLe) {
  reader.Expect(H("00b0000000"), H("6c0c"));
  reader.Expect(H("00b000000c"), H("5a0a8025000001992138450f9000"));
  auto r = reader.Transmit(CommandApdu::MakeLe(0, 0xB0, 0, 0, 256)).value();
  LONGS_EQUAL(12, r.data.size());
  LONGS_EQUAL(1, reader.stats().le_retries);
}

TEST(CardReader, ErrorStatusWordsAreNotTransportErrors) {
  reader.Expect(H("002000010431323334"), H("63c2"));
  auto r = reader.Transmit(CommandApdu::MakeData(0, 0x20, 0, 1, H("31323334"))).value();
  LONGS_EQUAL(0x63C2, r.sw);
}

TEST(CardReader, EndlessGetResponseIsCut) {
  reader.SetHandler([](ByteView) { return H("6101"); });
  auto r = reader.Transmit(CommandApdu::MakeLe(0, 0x84, 0, 0, 8));
  CHECK(r.status().code() == StatusCode::kDataLoss);
  LONGS_EQUAL(CardReader::kMaxGetResponseRounds + 1, reader.stats().apdus);
}

TEST(CardReader, MalformedAnswerIsAClearError) {
  reader.InjectFault(FakeCardReader::Fault::kMalformed);
  auto r = reader.Transmit(CommandApdu::MakeLe(0, 0x84, 0, 0, 8));
  CHECK(r.status().code() == StatusCode::kDataLoss);
  CHECK(r.status().message().find("not a response APDU") != std::string::npos);
}

TEST(CardReader, EmptyAnswerMidCommandIsARemoval) {
  // What pcscd hands back when the card is pulled while it computes: success, no byte.
  reader.InjectFault(FakeCardReader::Fault::kEmptyAnswer);
  auto r = reader.Transmit(CommandApdu::MakeLe(0, 0x2A, 0x9E, 0x9A, 256));
  CHECK_TEXT(IsCardRemoved(r.status()), r.status().ToString().c_str());
  CHECK(r.status().message().find("0 bytes to 00 2A 9E 9A") != std::string::npos);
}

TEST(CardReader, EmptyAnswerToAGetResponseIsARemoval) {
  reader.Expect(H("002a9e9a00"), H("6100"));
  reader.Expect(H("00c0000000"), Bytes{});
  auto r = reader.Transmit(CommandApdu::MakeLe(0, 0x2A, 0x9E, 0x9A, 256));
  CHECK_TEXT(IsCardRemoved(r.status()), r.status().ToString().c_str());
  CHECK(r.status().message().find("00 C0 00 00") != std::string::npos);
}

TEST(CardReader, RemovalAndResetHaveDistinctStatuses) {
  const uint64_t session = reader.card_session();
  reader.InjectFault(FakeCardReader::Fault::kReset);
  auto reset = reader.Transmit(CommandApdu::MakeLe(0, 0x84, 0, 0, 8));
  CHECK(IsCardStateLost(reset.status()));
  CHECK_FALSE(IsCardRemoved(reset.status()));
  CHECK(reader.card_session() > session);
  reader.InjectFault(FakeCardReader::Fault::kRemoved);
  auto removed = reader.Transmit(CommandApdu::MakeLe(0, 0x84, 0, 0, 8));
  CHECK(IsCardRemoved(removed.status()));
  CHECK_FALSE(IsCardStateLost(removed.status()));
}

TEST(CardReader, ConnectStartsANewCardSession) {
  const uint64_t before = reader.card_session();
  CHECK(reader.Connect(kReader, ShareMode::kShared).ok());
  LONGS_EQUAL(before + 1, reader.card_session());
}

TEST(CardReader, ResetCardStartsANewCardSession) {
  const uint64_t before = reader.card_session();
  CHECK(reader.ResetCard().ok());
  LONGS_EQUAL(before + 1, reader.card_session());
  LONGS_EQUAL(1, reader.resets());
}

TEST(CardReader, WaitForChangeSeesRemoveAndReinsert) {
  std::vector<ReaderState> known;
  CHECK(reader.WaitForChange(known, std::chrono::milliseconds(0)).value());
  LONGS_EQUAL(1, known.size());
  CHECK(known[0].card_present);
  CHECK_FALSE(reader.WaitForChange(known, std::chrono::milliseconds(0)).value());
  reader.RemoveCard(kReader);
  reader.InsertCard(kReader, H("3b00"));
  CHECK(reader.WaitForChange(known, std::chrono::milliseconds(0)).value());
  CHECK(known[0].card_present);
}

TEST(CardReader, ParsesPart10FeatureList) {
  auto f = ParseFeatureList(H("060442330006"
                              "0a0442330009"))
               .value();
  LONGS_EQUAL(2, f.size());
  LONGS_EQUAL(kFeatureVerifyPinDirect, f[0].tag);
  LONGS_EQUAL(0x42330006u, f[0].control_code);
}
TEST(CardReader, FeatureListRejectsBadLength) { CHECK_FALSE(ParseFeatureList(H("06024233")).ok()); }
TEST(CardReader, FeatureListRejectsTruncation) { CHECK_FALSE(ParseFeatureList(H("060442")).ok()); }

TEST_GROUP(Watchdog){};

TEST(Watchdog, ReturnsWhenWorkFinishes) {
  int x = 0;
  CHECK(RunWithDeadline([&x] { x = 1; }, std::chrono::milliseconds(5000)));
  LONGS_EQUAL(1, x);
}

TEST(Watchdog, GivesUpOnStalledWork) {
  // The work cannot end until the test releases it, so a watchdog that waited for it would
  // never return; returning false with the work still pending is the whole contract, and no
  // clock reading is needed to check it.
  struct Latch {
    std::mutex mu;
    std::condition_variable cv;
    bool released = false;
    bool work_done = false;
  };
  auto latch = std::make_shared<Latch>();
  bool finished = RunWithDeadline(
      [latch] {
        std::unique_lock<std::mutex> lock(latch->mu);
        latch->cv.wait(lock, [&] { return latch->released; });
        latch->work_done = true;
      },
      std::chrono::milliseconds(50));
  CHECK_FALSE(finished);
  std::lock_guard<std::mutex> lock(latch->mu);
  CHECK_FALSE(latch->work_done);
  latch->released = true;  // let the detached worker end
  latch->cv.notify_all();
}

}  // namespace carnet::hal
