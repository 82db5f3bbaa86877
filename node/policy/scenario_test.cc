#include "node/policy/scenario.h"

#include <CppUTest/TestHarness.h>

#include <string>

namespace carnet::node::policy {
namespace {

// A minimal valid scenario with `extra` spliced into the top-level object.
std::string Scenario(const std::string& extra,
                     const std::string& dossier = R"({"state": "open"})",
                     const std::string& action = "status") {
  return R"({"now": "2026-03-10T09:30:00Z", "actor": {"kind": "professional", "idnat": "810000000001",
             "profession": "10"}, "action": ")" +
         action + R"(", "dossier": )" + dossier + extra + "}";
}

std::string Error(const std::string& text) {
  Result<Request> r = ParseScenario(text);
  return r.ok() ? "OK" : r.status().message();
}

}  // namespace

TEST_GROUP(Scenario){};

TEST(Scenario, MinimalScenarioTakesTheDocumentedDefaults) {
  Result<Request> r = ParseScenario(Scenario(""));
  CHECK_TRUE(r.ok());
  CHECK(r->mode == Mode::kNormal);
  CHECK(r->action == Action::kStatus);
  CHECK_FALSE(r->dossier.opposed || r->dossier.minor || r->dossier.default_masking);
  CHECK_TRUE(r->dossier.emergency.samu && r->dossier.emergency.bris_de_glace);
  CHECK_FALSE(r->dossier.emergency.masked_in_emergency);
  CHECK_TRUE(r->dossier.blocked.empty() && r->dossier.authorizations.empty());
  CHECK_FALSE(r->document.has_value());
}

TEST(Scenario, ReadsADocumentAndItsDefaults) {
  Result<Request> r = ParseScenario(
      Scenario(R"(, "document": {"type": "11488-4", "confidentiality": ["MASQUE_PS", "N"]})",
               R"({"state": "open"})", "read"));
  CHECK_TRUE(r.ok());
  CHECK_TRUE(r->document->masque_ps && r->document->confidentiality_explicit);
  CHECK(r->document->status == DocumentStatus::kCurrent);
  CHECK(r->document->deposited_at == r->now);  // default: deposited now
  Result<Request> no_conf = ParseScenario(
      Scenario(R"(, "document": {"type": "11488-4"})", R"({"state": "open"})", "deposit"));
  CHECK_FALSE(no_conf->document->confidentiality_explicit);
}

TEST(Scenario, ErrorsNameTheField) {
  STRCMP_EQUAL("colour: unknown field", Error(Scenario(R"(, "colour": 1)")).c_str());
  STRCMP_EQUAL("dossier.minor: expected true or false, got string",
               Error(Scenario("", R"({"state": "open", "minor": "yes"})")).c_str());
  STRCMP_EQUAL(
      "dossier.authorizations[0].basis: expected one of care_team|explicit_consent, "
      "got \"friend\"",
      Error(Scenario("",
                     R"({"state": "open", "authorizations": [{"idnat": "8", "basis": "friend"}]})"))
          .c_str());
  STRCMP_EQUAL("dossier.blocked[1]: expected a string, got integer",
               Error(Scenario("", R"({"state": "open", "blocked": ["8", 9]})")).c_str());
  STRCMP_EQUAL("dossier.emergency.sam: unknown field",
               Error(Scenario("", R"({"state": "open", "emergency": {"sam": true}})")).c_str());
  STRCMP_EQUAL("dossier.closed_at: missing required field",
               Error(Scenario("", R"({"state": "closed"})")).c_str());
  STRCMP_EQUAL("dossier.closed_at: only for state closed",
               Error(Scenario("", R"({"state": "open", "closed_at": "2020-01-01"})")).c_str());
  STRCMP_EQUAL(
      "dossier.authorizations[0].until: expected an RFC 3339 time",
      Error(
          Scenario(
              "",
              R"({"state": "open", "authorizations": [{"idnat": "8", "basis": "care_team", "until": "soon"}]})"))
          .c_str());
  STRCMP_EQUAL("action: unknown action 'fly'",
               Error(Scenario("", R"({"state": "open"})", "fly")).c_str());
  STRCMP_EQUAL("mode: expected one of normal|bris_de_glace|centre_15, got \"panic\"",
               Error(Scenario(R"(, "mode": "panic")")).c_str());
  STRCMP_EQUAL("document: required for action 'read'",
               Error(Scenario("", R"({"state": "open"})", "read")).c_str());
  STRCMP_EQUAL("document: not used by action 'status'",
               Error(Scenario(R"(, "document": {"type": "x"})")).c_str());
  STRCMP_EQUAL("target: required for action 'block'",
               Error(Scenario("", R"({"state": "open"})", "block")).c_str());
  STRCMP_EQUAL("documents: only for action 'list'",
               Error(Scenario(R"(, "documents": [])")).c_str());
  STRCMP_EQUAL("document.confidentiality[1]: duplicate code",
               Error(Scenario(R"(, "document": {"type": "x", "confidentiality": ["N", "N"]})",
                              R"({"state": "open"})", "read"))
                   .c_str());
  STRCMP_EQUAL(
      "document.confidentiality[0]: expected one of MASQUE_PS|INVISIBLE_PATIENT|"
      "INVISIBLE_REPRESENTANTS_LEGAUX|N|R|V",
      Error(Scenario(R"(, "document": {"type": "x", "confidentiality": ["SECRET"]})",
                     R"({"state": "open"})", "read"))
          .c_str());
  STRCMP_EQUAL("now: missing required field", Error(R"({"action": "status"})").c_str());
  STRCMP_EQUAL("1:1: unexpected end of text, expected a value", Error("").c_str());
  STRCMP_EQUAL("document: expected an object, got array", Error("[]").c_str());
}

TEST(Scenario, ActorIsCheckedByKind) {
  auto with_actor = [](const std::string& actor) {
    return Error(
        R"({"now": "2026-03-10T09:30:00Z", "action": "status", "dossier": {"state": "open"}, "actor": )" +
        actor + "}");
  };
  STRCMP_EQUAL("actor.profession: unknown TRE_G15 code",
               with_actor(R"({"kind": "professional", "idnat": "8", "profession": "99"})").c_str());
  STRCMP_EQUAL(
      "actor.specialty: unknown TRE_R01 code",
      with_actor(
          R"({"kind": "professional", "idnat": "8", "profession": "10", "specialty": "SM99"})")
          .c_str());
  STRCMP_EQUAL("actor.profession: missing required field",
               with_actor(R"({"kind": "professional", "idnat": "8"})").c_str());
  STRCMP_EQUAL("actor.profession: only for professionals",
               with_actor(R"({"kind": "patient", "profession": "10"})").c_str());
  STRCMP_EQUAL("OK", with_actor(R"({"kind": "legal_representative"})").c_str());
}

TEST(Scenario, DecisionJson) {
  Request r = *ParseScenario(Scenario(""));
  Decision d;
  d.allow = false;
  d.rule = Rule::kBlockedProfessional;
  d.reason = "blocked \"x\"";
  d.obligations = {{ObligationKind::kNotifyPatient, std::nullopt},
                   {ObligationKind::kScheduleReveal, *ParseRfc3339("2026-04-10T09:30:00Z")}};
  STRCMP_EQUAL(R"({"decision":"deny","rule":"BLOCKED_PROFESSIONAL","reason":"blocked \"x\"",)"
               R"("obligations":[{"kind":"notify_patient"},{"kind":"schedule_reveal",)"
               R"("at":"2026-04-10T09:30:00Z"}]})",
               DecisionToJson(d, r).c_str());
  r.action = Action::kList;
  d.allow = true;
  d.obligations.clear();
  d.visible = {0, 2};
  CHECK(DecisionToJson(d, r).find(R"("visible":[0,2])") != std::string::npos);
}

}  // namespace carnet::node::policy
