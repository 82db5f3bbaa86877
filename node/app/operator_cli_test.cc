#include "node/app/operator_cli.h"

#include <CppUTest/TestHarness.h>

#include <fstream>
#include <string>
#include <vector>

#include "node/app/trace_heads.h"
#include "node/store/store_test_util.h"

namespace carnet::node::app {
namespace {

trace::SignedTreeHead SampleHead() {
  trace::SignedTreeHead h;
  h.tree_size = 5;
  h.timestamp_ms = 1'796'551'977'246;
  for (size_t i = 0; i < h.root.size(); ++i) h.root[i] = static_cast<uint8_t>(i);
  h.signature = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x02};
  return h;
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t at = s.find(from);
  CHECK_TRUE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

void Refused(const std::string& json, const char* what) {
  auto head = HeadFromJson(json);
  CHECK_FALSE_TEXT(head.ok(), json.c_str());
  CHECK_TRUE_TEXT(head.status().message().find(what) != std::string::npos,
                  head.status().message().c_str());
}

}  // namespace

TEST_GROUP(HeadJson){};

TEST(HeadJson, RoundTripAndPublicKey) {
  std::string json = HeadToJson(SampleHead(), "PEM");
  CHECK_TRUE(json.find("\"log_public_key\":\"PEM\"") != std::string::npos);
  CHECK_TRUE(json.find("\"root_hash\":\"000102") != std::string::npos);
  auto back = HeadFromJson(json);
  CHECK_TRUE(back.ok());
  CHECK_TRUE(*back == SampleHead());
  CHECK_TRUE(HeadToJson(SampleHead(), "").find("log_public_key") == std::string::npos);
}

TEST(HeadJson, EachRefusal) {
  const std::string good = HeadToJson(SampleHead(), "");
  Refused("[]", "must be an object");
  Refused("{", "");
  Refused(Replace(good, "\"tree_size\":5", "\"tree_size\":-5"), "tree_size");
  Refused(Replace(good, "\"tree_size\":5", "\"tree_size\":\"5\""), "tree_size");
  Refused(Replace(good, "\"tree_size\":5,", ""), "tree_size");
  Refused(Replace(good, "\"timestamp\":1796551977246", "\"timestamp\":1.5"), "timestamp");
  Refused(Replace(good, "\"root_hash\":\"00", "\"root_hash\":\""), "root_hash");
  Refused(Replace(good, "\"root_hash\":\"00", "\"root_hash\":\"zz"), "root_hash");
  Refused(Replace(good, "\"signature\":\"", "\"signature\":\"*"), "signature");
  Refused(Replace(good, "\"signature\":\"", "\"signature\":1,\"x\":\""), "signature");
}

TEST_GROUP(HeadsFile) { store::testing::TempDir dir; };

TEST(HeadsFile, MissingIsEmptyAndLinesAreNamed) {
  auto none = ReadHeads(dir.File("absent.jsonl"));
  CHECK_TRUE(none.ok());
  LONGS_EQUAL(0, none->size());
  std::ofstream(dir.File("heads.jsonl")) << HeadToJson(SampleHead(), "") << "\n\n"
                                         << HeadToJson(SampleHead(), "") << "\n";
  auto two = ReadHeads(dir.File("heads.jsonl"));
  CHECK_TRUE(two.ok());
  LONGS_EQUAL(2, two->size());
  std::ofstream(dir.File("bad.jsonl")) << HeadToJson(SampleHead(), "") << "\n{\"tree_size\":1}\n";
  auto bad = ReadHeads(dir.File("bad.jsonl"));
  CHECK_FALSE(bad.ok());
  CHECK_TRUE_TEXT(bad.status().message().find("bad.jsonl:2: ") != std::string::npos,
                  bad.status().message().c_str());
}

TEST_GROUP(OperatorArgs){};

TEST(OperatorArgs, ValuesFlagsPositionalAndErrors) {
  std::vector<std::string_view> args = {"--config", "c", "--json", "x"};
  OperatorArgs a = ParseOperatorArgs(args, {"--config"}, {"--json"});
  STRCMP_EQUAL("", a.error.c_str());
  STRCMP_EQUAL("c", a.Value("--config")->c_str());
  CHECK_TRUE(a.Has("--json"));
  LONGS_EQUAL(1, a.positional.size());
  CHECK_TRUE(a.Value("--id") == nullptr);

  std::vector<std::string_view> missing = {"--config"};
  STRCMP_EQUAL("--config needs a value",
               ParseOperatorArgs(missing, {"--config"}, {}).error.c_str());
  std::vector<std::string_view> twice = {"--config", "a", "--config", "b"};
  STRCMP_EQUAL("--config given twice", ParseOperatorArgs(twice, {"--config"}, {}).error.c_str());
  std::vector<std::string_view> unknown = {"--frob"};
  STRCMP_EQUAL("unknown option --frob", ParseOperatorArgs(unknown, {}, {}).error.c_str());
  std::vector<std::string_view> help = {"sweep", "-h"};
  CHECK_TRUE(ParseOperatorArgs(help, {}, {}).help);
}

TEST(OperatorArgs, TimeArgument) {
  auto ms = ParseTimeArgument("2082758400000");
  CHECK_TRUE(ms.ok());
  CHECK_EQUAL(2'082'758'400'000, *ms);
  auto rfc = ParseTimeArgument("2036-01-01T00:00:00Z");
  CHECK_TRUE(rfc.ok());
  CHECK_EQUAL(2'082'758'400'000, *rfc);
  auto date = ParseTimeArgument("2036-01-01");
  CHECK_TRUE(date.ok());
  CHECK_EQUAL(*rfc, *date);
  CHECK_FALSE(ParseTimeArgument("").ok());
  CHECK_FALSE(ParseTimeArgument("tomorrow").ok());
  CHECK_FALSE(ParseTimeArgument("-5").ok());
  CHECK_FALSE(ParseTimeArgument("99999999999999999999").ok());
}

}  // namespace carnet::node::app
