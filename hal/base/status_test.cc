#include "hal/base/status.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace carnet {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) return InvalidArgument("odd");
  return v / 2;
}

Result<int> Quarter(int v) {
  CARNET_ASSIGN_OR_RETURN(int h, Half(v));
  CARNET_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int v) {
  CARNET_TRY(Half(v));
  return Status::Ok();
}

}  // namespace

TEST_GROUP(Status){};

TEST(Status, DefaultIsOk) {
  Status s;
  CHECK_TRUE(s.ok());
  STRCMP_EQUAL("ok", s.ToString().c_str());
}

TEST(Status, CarriesCodeAndMessage) {
  Status s = NotFound("no such file");
  CHECK_FALSE(s.ok());
  CHECK(s.code() == StatusCode::kNotFound);
  STRCMP_EQUAL("not found: no such file", s.ToString().c_str());
  STRCMP_EQUAL("reading EF.SN.ICC: no such file",
               s.Annotate("reading EF.SN.ICC").message().c_str());
}

TEST(Status, ResultHoldsValueOrError) {
  Result<int> ok = Quarter(8);
  CHECK_TRUE(ok.ok());
  LONGS_EQUAL(2, *ok);
  Result<int> bad = Quarter(6);  // 6 -> 3 -> odd
  CHECK_FALSE(bad.ok());
  STRCMP_EQUAL("odd", bad.status().message().c_str());
  LONGS_EQUAL(7, bad.value_or(7));
}

TEST(Status, ResultFromOkStatusBecomesInternalError) {
  Result<std::string> r{Status::Ok()};
  CHECK_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInternal);
}

TEST(Status, TryReturnsEarly) {
  CHECK_TRUE(CheckEven(4).ok());
  CHECK(CheckEven(3).code() == StatusCode::kInvalidArgument);
}

}  // namespace carnet
