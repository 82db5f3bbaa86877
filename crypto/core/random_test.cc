#include "crypto/core/random.h"

#include <CppUTest/TestHarness.h>
#include <mbedtls/ctr_drbg.h>

#include <thread>

namespace carnet::crypto {
namespace {

class FailingRandom final : public Random {
 private:
  Status DoFill(MutableByteView) override { return Unavailable("no entropy"); }
};

}  // namespace

TEST_GROUP(Drbg){};

TEST(Drbg, SameSeedSameOutputDifferentPersonalizationDifferentOutput) {
  FakeRandom e1(7), e2(7), e3(7);
  auto a = Drbg::Create(e1, "carnet test");
  auto b = Drbg::Create(e2, "carnet test");
  auto c = Drbg::Create(e3, "carnet other");
  CHECK_TRUE(a.ok() && b.ok() && c.ok());
  Bytes x = (*a)->Generate(64).value();
  CHECK_TRUE(x == (*b)->Generate(64).value());
  CHECK_FALSE(x == (*c)->Generate(64).value());
  CHECK_FALSE(x == (*a)->Generate(64).value());  // the stream moves on
}

TEST(Drbg, FillsMoreThanOneMbedtlsRequest) {
  // mbedTLS serves 1024 bytes per call; DoFill must loop, not fail or leave a zero tail.
  Drbg& d = Drbg::ForThread();
  Bytes big = d.Generate(3 * MBEDTLS_CTR_DRBG_MAX_REQUEST + 5).value();
  Bytes tail(big.end() - 64, big.end());
  CHECK_FALSE(tail == Bytes(64, 0));
}

TEST(Drbg, FailsWithoutEntropy) {
  FailingRandom none;
  auto d = Drbg::Create(none, "x");
  CHECK_FALSE(d.ok());
  CHECK_TRUE(d.status().code() == StatusCode::kUnavailable);
  CHECK_TRUE(d.status().message().find("mbedTLS -0x") != std::string::npos);
}

TEST(Drbg, RejectsLongPersonalization) {
  FakeRandom e;
  CHECK_TRUE(Drbg::Create(e, std::string(129, 'p')).status().code() ==
             StatusCode::kInvalidArgument);
}

TEST(Drbg, ForThreadIsPerThread) {
  Drbg* main_drbg = &Drbg::ForThread();
  CHECK_TRUE(main_drbg == &Drbg::ForThread());
  Drbg* other = nullptr;
  Bytes other_bytes;
  std::thread t([&] {
    other = &Drbg::ForThread();
    other_bytes = other->Generate(32).value();
  });
  t.join();
  CHECK_TRUE(other != main_drbg);
  CHECK_FALSE(other_bytes == main_drbg->Generate(32).value());
}

TEST(Drbg, MbedRngTrampoline) {
  Drbg& d = Drbg::ForThread();
  unsigned char buf[48] = {};
  LONGS_EQUAL(0, Drbg::MbedRng(&d, buf, sizeof buf));
  CHECK_FALSE(Bytes(buf, buf + 48) == Bytes(48, 0));
  CHECK_TRUE(Drbg::MbedRng(nullptr, buf, sizeof buf) != 0);
}

}  // namespace carnet::crypto
