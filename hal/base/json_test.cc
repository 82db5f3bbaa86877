#include "hal/base/json.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace carnet::json {
namespace {

// Returns the error message of Parse(text), or "OK".
std::string ParseError(std::string_view text, const ParseLimits& limits = {}) {
  Result<Value> v = Parse(text, limits);
  return v.ok() ? "OK" : v.status().message();
}

}  // namespace

TEST_GROUP(Json){};

TEST(Json, ParsesEveryKind) {
  Result<Value> v = Parse(R"( {"a": [1, -2.5, "x", true, false, null], "b": {}} )");
  CHECK_TRUE(v.ok());
  const Value::Array& a = v->Find("a")->as_array();
  LONGS_EQUAL(6, a.size());
  CHECK(a[0].is(Kind::kInt) && a[0].as_int() == 1);
  CHECK(a[1].is(Kind::kDouble) && a[1].as_double() == -2.5);
  STRCMP_EQUAL("x", a[2].as_string().c_str());
  CHECK(a[3].as_bool() && !a[4].as_bool() && a[5].is_null());
  CHECK(v->Find("b")->is(Kind::kObject));
  CHECK(v->Find("zz") == nullptr);
}

TEST(Json, IntegralNumbersAreInt64OthersDouble) {
  CHECK(Parse("9223372036854775807")->as_int() == INT64_MAX);
  CHECK(Parse("-9223372036854775808")->as_int() == INT64_MIN);
  CHECK(Parse("9223372036854775808")->is(Kind::kDouble));  // too big for int64
  CHECK(Parse("1e2")->is(Kind::kDouble));
  CHECK(Parse("1.0")->is(Kind::kDouble));
  CHECK(Parse("-0")->is(Kind::kInt));
  CHECK(Parse("0.5E-3")->as_double() == 0.0005);
}

TEST(Json, DecodesEscapesAndSurrogatePairs) {
  // RFC 8259 §7: U+1D11E (G clef) is "\ud834\udd1e".
  STRCMP_EQUAL("\xF0\x9D\x84\x9E", Parse(R"("\ud834\udd1e")")->as_string().c_str());
  STRCMP_EQUAL("\xC3\xA9", Parse(R"("\u00e9")")->as_string().c_str());
  STRCMP_EQUAL("\"\\/\b\f\n\r\t", Parse(R"("\"\\\/\b\f\n\r\t")")->as_string().c_str());
  CHECK(Parse(R"("\u0000")")->as_string() == std::string(1, '\0'));
}

TEST(Json, RejectsMalformedTextWithLineAndColumn) {
  STRCMP_EQUAL("2:9: expected ',' or '}'", ParseError("{\"a\": 1,\n \"b\": 2 \"c\": 3}").c_str());
  STRCMP_EQUAL("1:1: unexpected end of text, expected a value", ParseError("").c_str());
  STRCMP_EQUAL("1:3: unexpected text after the value", ParseError("1 2").c_str());
  STRCMP_EQUAL("1:9: expected a string key", ParseError("{\"a\": 1,}").c_str());
  STRCMP_EQUAL("1:4: expected a value", ParseError("[1,]").c_str());
  STRCMP_EQUAL("1:1: expected a value", ParseError("NaN").c_str());
  STRCMP_EQUAL("1:1: expected a value", ParseError("'a'").c_str());
  STRCMP_EQUAL("1:1: expected a value", ParseError("/* c */ 1").c_str());
  STRCMP_EQUAL("1:6: expected ':'", ParseError("{\"a\" 1}").c_str());
  STRCMP_EQUAL("1:3: unexpected end of text, expected ',' or ']'", ParseError("[1").c_str());
  STRCMP_EQUAL("1:1: unterminated string", ParseError("\"abc").c_str());
}

TEST(Json, RejectsBadNumbers) {
  STRCMP_EQUAL("1:1: bad number", ParseError("-").c_str());
  STRCMP_EQUAL("1:2: unexpected text after the value", ParseError("01").c_str());
  STRCMP_EQUAL("1:1: bad number: digits expected after '.'", ParseError("1.").c_str());
  STRCMP_EQUAL("1:1: bad number: digits expected in exponent", ParseError("1e+").c_str());
  STRCMP_EQUAL("1:1: number out of range", ParseError("1e999").c_str());
  STRCMP_EQUAL("1:1: expected a value", ParseError("+1").c_str());
  STRCMP_EQUAL("1:1: expected a value", ParseError(".5").c_str());
}

TEST(Json, RejectsBadStrings) {
  STRCMP_EQUAL("1:3: control character in string", ParseError("\"a\nb\"").c_str());
  STRCMP_EQUAL("1:2: invalid escape", ParseError(R"("\x41")").c_str());
  STRCMP_EQUAL("1:4: bad hex digit in \\u escape", ParseError(R"("\u00g0")").c_str());
  STRCMP_EQUAL("1:4: truncated \\u escape", ParseError(R"("\u00)").c_str());
  STRCMP_EQUAL("1:2: lone low surrogate in \\u escape", ParseError(R"("\udd1e")").c_str());
  STRCMP_EQUAL("1:2: high surrogate without a low one", ParseError(R"("\ud834x")").c_str());
  STRCMP_EQUAL("1:2: high surrogate without a low one", ParseError(R"("\ud834\u0041")").c_str());
}

TEST(Json, RejectsInvalidUtf8) {
  STRCMP_EQUAL("1:2: invalid UTF-8", ParseError("\"\xC0\xAF\"").c_str());          // overlong '/'
  STRCMP_EQUAL("1:2: invalid UTF-8", ParseError("\"\xE0\x80\xAF\"").c_str());      // overlong
  STRCMP_EQUAL("1:2: invalid UTF-8", ParseError("\"\xED\xA0\x80\"").c_str());      // surrogate
  STRCMP_EQUAL("1:2: invalid UTF-8", ParseError("\"\xF4\x90\x80\x80\"").c_str());  // > 10FFFF
  STRCMP_EQUAL("1:2: invalid UTF-8", ParseError("\"\xFF\"").c_str());
  STRCMP_EQUAL("1:2: invalid UTF-8", ParseError("\"\xC3\x28\"").c_str());  // bad continuation
  STRCMP_EQUAL("1:2: truncated UTF-8", ParseError("\"\xE2\x82").c_str());
  STRCMP_EQUAL("1:1: expected a value", ParseError("\xEF\xBB\xBF{}").c_str());  // no BOM
  CHECK_TRUE(Parse("\"\xE2\x82\xAC \xF0\x9F\x98\x80\"").ok());                  // euro sign, emoji
}

TEST(Json, RejectsDuplicateKeys) {
  STRCMP_EQUAL("1:10: duplicate key \"a\"", ParseError(R"({"a": 1, "a": 2})").c_str());
  // Keys compare after unescaping.
  STRCMP_EQUAL("1:10: duplicate key \"a\"", ParseError(R"({"a": 1, "\u0061": 2})").c_str());
}

TEST(Json, EnforcesLimits) {
  ParseLimits small{.max_bytes = 4, .max_depth = 2};
  STRCMP_EQUAL("1:1: text is 5 bytes, more than the limit of 4",
               ParseError("[1,2]", small).c_str());
  STRCMP_EQUAL("1:3: nesting deeper than 2", ParseError("[[[", small).c_str());
  CHECK_TRUE(Parse("[[]]", small).ok());
  std::string deep(100000, '[');
  CHECK_FALSE(Parse(deep).ok());  // default depth 64: no stack exhaustion
}

TEST(Json, WritesAndRoundTrips) {
  const char* text =
      R"({"s":"a\"b\\c\n\u0001\u00e9","i":-3,"d":2.5,"w":1.0,"a":[true,null],"o":{}})";
  Result<Value> v = Parse(text);
  CHECK_TRUE(v.ok());
  std::string out = Write(*v);
  STRCMP_EQUAL(
      "{\"s\":\"a\\\"b\\\\c\\n\\u0001\xC3\xA9\",\"i\":-3,\"d\":2.5,\"w\":1.0,"
      "\"a\":[true,null],\"o\":{}}",
      out.c_str());
  Result<Value> again = Parse(out);
  CHECK_TRUE(again.ok());
  CHECK_TRUE(*again == *v);
}

TEST(Json, BuildsValues) {
  Value o = Value::MakeObject();
  o.Set("k", Value::String("v"));
  Value& arr = o.Set("list", Value::MakeArray());
  arr.Append(Value::Int(1));
  STRCMP_EQUAL(R"({"k":"v","list":[1]})", Write(o).c_str());
  STRCMP_EQUAL(R"("tab\there")", Quote("tab\there").c_str());
}

TEST_GROUP(ObjectReader){};

TEST(ObjectReader, ReadsTypedFieldsAndDefaults) {
  Value v = *Parse(R"({"s": "x", "b": true, "i": 7, "e": "care_team", "l": ["a"], "n": null})");
  Result<ObjectReader> r = ObjectReader::Open(v, "root");
  CHECK_TRUE(r.ok());
  std::string s, e, missing = "default";
  bool b = false;
  int64_t i = 0;
  std::vector<std::string> l;
  CHECK_TRUE(r->String("s", Presence::kRequired, &s).ok());
  CHECK_TRUE(r->Bool("b", Presence::kRequired, &b).ok());
  CHECK_TRUE(r->Int("i", Presence::kOptional, &i).ok());
  CHECK_TRUE(r->OneOf("e", Presence::kRequired, {"care_team", "explicit_consent"}, &e).ok());
  CHECK_TRUE(r->StringArray("l", Presence::kOptional, &l).ok());
  CHECK_TRUE(r->String("n", Presence::kOptional, &missing).ok());  // null = absent
  CHECK_TRUE(r->String("absent", Presence::kOptional, &missing).ok());
  CHECK_TRUE(r->Finish().ok());
  CHECK(s == "x" && b && i == 7 && e == "care_team" && l.size() == 1 && missing == "default");
}

TEST(ObjectReader, NamesTheFieldPathInErrors) {
  Value v = *Parse(R"({"basis": "friend", "n": "1", "l": [1], "extra": 0})");
  ObjectReader r = *ObjectReader::Open(v, "dossier.authorizations[0]");
  std::string s;
  int64_t i;
  std::vector<std::string> l;
  STRCMP_EQUAL(
      "dossier.authorizations[0].basis: expected one of care_team|explicit_consent, "
      "got \"friend\"",
      r.OneOf("basis", Presence::kRequired, {"care_team", "explicit_consent"}, &s)
          .message()
          .c_str());
  STRCMP_EQUAL("dossier.authorizations[0].n: expected an integer, got string",
               r.Int("n", Presence::kRequired, &i).message().c_str());
  STRCMP_EQUAL("dossier.authorizations[0].l[0]: expected a string, got integer",
               r.StringArray("l", Presence::kRequired, &l).message().c_str());
  STRCMP_EQUAL("dossier.authorizations[0].until: missing required field",
               r.String("until", Presence::kRequired, &s).message().c_str());
  STRCMP_EQUAL("dossier.authorizations[0].extra: unknown field", r.Finish().message().c_str());
  STRCMP_EQUAL("top: expected an object, got array",
               ObjectReader::Open(Value::MakeArray(), "top").status().message().c_str());
}

}  // namespace carnet::json
