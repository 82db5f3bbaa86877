#include "hal/base/log.h"

#include <CppUTest/TestHarness.h>

#include <string>
#include <vector>

#include "hal/base/random.h"

namespace carnet {

TEST_GROUP(Log) {
  std::vector<std::string> lines;
  void setup() override {
    log::SetSink([this](std::string_view l) { lines.emplace_back(l); });
    log::SetLevel(log::Level::kInfo);
  }
  void teardown() override { log::SetSink(nullptr); }
};

TEST(Log, OneLinePerEventWithFields) {
  log::Info("card inserted", {{"reader", "Virtual PCD 00 00"}, {"slot", 0}, {"cps", true}});
  LONGS_EQUAL(1, lines.size());
  STRCMP_EQUAL("level=info msg=\"card inserted\" reader=\"Virtual PCD 00 00\" slot=0 cps=true",
               lines[0].c_str());
}

TEST(Log, FiltersBelowLevel) {
  log::Debug("noise");
  log::Warn("kept");
  LONGS_EQUAL(1, lines.size());
}

TEST(Log, EscapesControlCharacters) {
  log::Error("bad", {{"from_card", std::string("a\nb\"c")}});
  STRCMP_EQUAL("level=error msg=bad from_card=\"a\\x0ab\\\"c\"", lines[0].c_str());
}

TEST(Log, ParsesLevels) {
  log::Level l;
  CHECK_TRUE(log::ParseLevel("warn", &l));
  CHECK(l == log::Level::kWarn);
  CHECK_FALSE(log::ParseLevel("loud", &l));
}

TEST_GROUP(Random){};

TEST(Random, SystemFillsAndDiffers) {
  Result<Bytes> a = SystemRandom::Instance().Generate(32);
  Result<Bytes> b = SystemRandom::Instance().Generate(32);
  CHECK_TRUE(a.ok() && b.ok());
  CHECK(*a != *b);
}

TEST(Random, FakeIsReproducible) {
  FakeRandom a(42), b(42), c(43);
  CHECK(*a.Generate(16) == *b.Generate(16));
  CHECK(*FakeRandom(42).Generate(16) != *c.Generate(16));
}

}  // namespace carnet
