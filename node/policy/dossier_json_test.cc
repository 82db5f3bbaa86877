#include "node/policy/dossier_json.h"

#include <CppUTest/TestHarness.h>

namespace carnet::node::policy {
namespace {

Dossier Full() {
  Dossier d;
  d.state = DossierState::kClosed;
  d.closed_at = 1700000000000;
  d.deletion_requested_at = 1700000500000;
  d.opposed = true;
  d.blocked = {"899700100052", "899700100060"};
  d.treating_physician = "899700100011";
  d.administrators = {"899700100029"};
  d.authorizations = {{"899700100037", Basis::kCareTeam, std::nullopt},
                      {"899700100045", Basis::kExplicitConsent, 1800000000000}};
  d.emergency = {false, false, true};
  d.minor = true;
  d.default_masking = true;
  return d;
}

void CheckSame(const Dossier& a, const Dossier& b) {
  CHECK(a.state == b.state);
  CHECK(a.closed_at == b.closed_at);
  CHECK(a.deletion_requested_at == b.deletion_requested_at);
  CHECK_EQUAL(a.opposed, b.opposed);
  CHECK(a.blocked == b.blocked);
  STRCMP_EQUAL(a.treating_physician.c_str(), b.treating_physician.c_str());
  CHECK(a.administrators == b.administrators);
  CHECK_EQUAL(a.authorizations.size(), b.authorizations.size());
  for (size_t i = 0; i < a.authorizations.size(); ++i) {
    STRCMP_EQUAL(a.authorizations[i].idnat.c_str(), b.authorizations[i].idnat.c_str());
    CHECK(a.authorizations[i].basis == b.authorizations[i].basis);
    CHECK(a.authorizations[i].until == b.authorizations[i].until);
  }
  CHECK_EQUAL(a.emergency.samu, b.emergency.samu);
  CHECK_EQUAL(a.emergency.bris_de_glace, b.emergency.bris_de_glace);
  CHECK_EQUAL(a.emergency.masked_in_emergency, b.emergency.masked_in_emergency);
  CHECK_EQUAL(a.minor, b.minor);
  CHECK_EQUAL(a.default_masking, b.default_masking);
}

TEST_GROUP(DossierJson){};

TEST(DossierJson, EveryFieldRoundTrips) {
  for (const Dossier& d : {Dossier{}, Full()}) {
    auto back = ParseDossierJson(DossierToJson(d));
    CHECK_TEXT(back.ok(), back.status().message().c_str());
    CheckSame(d, *back);
  }
}

TEST(DossierJson, RejectsWhatTheScenarioParserRejects) {
  const char* bad[] = {
      R"({"state": "open", "colour": "red"})",
      R"({"state": "ajar"})",
      R"({"state": "closed"})",
      R"({"state": "open", "closed_at": "2024-01-01T00:00:00Z"})",
      R"({"state": "open", "authorizations": [{"idnat": "8", "basis": "friend"}]})",
      R"([])",
  };
  for (const char* text : bad) {
    auto parsed = ParseDossierJson(text);
    CHECK_TEXT(!parsed.ok(), text);
    CHECK(parsed.status().code() == StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace carnet::node::policy
