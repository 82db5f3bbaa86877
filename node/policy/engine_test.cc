// Table-driven: each rule has at least one case where it decides and one nearby case where it
// does not. The last test checks that every rule id appears in the table.
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "node/policy/engine_test_util.h"

// CppUTest last: its operator-new macros break standard headers included after it.
#include <CppUTest/TestHarness.h>

namespace carnet::node::policy {
namespace {

using namespace testing;

struct Case {
  const char* name;
  std::function<void(Request&)> setup;
  bool allow;
  Rule rule;
};

const UnixMillis kClosed = *ParseRfc3339("2016-05-01T00:00:00Z");
const UnixMillis kAsked = *ParseRfc3339("2025-12-10T09:30:00Z");

void Closed(Request& r) {
  AsPatient(r);
  r.action = Action::kTraces;
  r.document.reset();
  r.dossier.state = DossierState::kClosed;
  r.dossier.closed_at = kClosed;
}

void Deposit(Request& r) { r.action = Action::kDeposit; }
void OwnDocument(Request& r) { r.document->author = r.actor.idnat; }

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"baseline read", [](Request&) {}, true, Rule::kAllowRead},
      {"read without document", [](Request& r) { r.document.reset(); }, false,
       Rule::kRequestDocumentMissing},
      {"block without target",
       [](Request& r) {
         AsPatient(r);
         r.action = Action::kBlock;
       },
       false, Rule::kRequestTargetMissing},
      {"block with target",
       [](Request& r) {
         AsPatient(r);
         r.action = Action::kBlock;
         r.target = kNurse;
       },
       true, Rule::kAllowSetting},
      {"no dossier: read", [](Request& r) { r.dossier.state = DossierState::kNone; }, false,
       Rule::kDossierNoneOnlyOpen},
      {"no dossier: open",
       [](Request& r) {
         r.dossier = {};
         r.dossier.state = DossierState::kNone;
         r.action = Action::kOpen;
         r.document.reset();
       },
       true, Rule::kAllowOpen},
      {"opposed", [](Request& r) { r.dossier.opposed = true; }, false, Rule::kDossierOpposed},
      {"opposed, no dossier, open",
       [](Request& r) {
         r.dossier.state = DossierState::kNone;
         r.dossier.opposed = true;
         r.action = Action::kOpen;
         r.document.reset();
       },
       false, Rule::kDossierOpposed},
      {"open on open dossier",
       [](Request& r) {
         r.action = Action::kOpen;
         r.document.reset();
       },
       false, Rule::kDossierAlreadyExists},
      {"deletion due at exactly 3 months",
       [](Request& r) {
         Closed(r);
         r.dossier.deletion_requested_at = kAsked;
         r.now = DeletionDue(kAsked);
       },
       false, Rule::kDossierDeletionDue},
      {"deletion 1 ms before 3 months",
       [](Request& r) {
         Closed(r);
         r.dossier.deletion_requested_at = kAsked;
         r.now = DeletionDue(kAsked) - 1;
       },
       false, Rule::kDossierClosed},
      {"retention ends at exactly 10 years",
       [](Request& r) {
         Closed(r);
         r.now = RetentionEnd(kClosed);
       },
       false, Rule::kDossierRetentionExpired},
      {"retention 1 ms before 10 years",
       [](Request& r) {
         Closed(r);
         r.now = RetentionEnd(kClosed) - 1;
       },
       false, Rule::kDossierClosed},
      {"closed: patient asks deletion",
       [](Request& r) {
         Closed(r);
         r.action = Action::kRequestDeletion;
       },
       true, Rule::kAllowDeletionRequest},
      {"closed: professional asks deletion",
       [](Request& r) {
         Closed(r);
         r.actor = Baseline().actor;
         r.action = Action::kRequestDeletion;
       },
       false, Rule::kDossierClosed},
      {"blocked in bris de glace",
       [](Request& r) {
         r.dossier.blocked = {kGp};
         r.mode = Mode::kBrisDeGlace;
         r.justification = "coma";
       },
       false, Rule::kBlockedProfessional},
      {"not blocked in bris de glace",
       [](Request& r) {
         r.dossier.blocked = {kNurse};
         r.mode = Mode::kBrisDeGlace;
         r.justification = "coma";
       },
       true, Rule::kAllowRead},
      {"professional closes",
       [](Request& r) {
         r.action = Action::kClose;
         r.document.reset();
       },
       false, Rule::kActionPatientOnly},
      {"patient closes",
       [](Request& r) {
         AsPatient(r);
         r.action = Action::kClose;
         r.document.reset();
       },
       true, Rule::kAllowClose},
      {"patient deposits",
       [](Request& r) {
         AsPatient(r);
         Deposit(r);
       },
       false, Rule::kActionProfessionalOnly},
      {"professional deposits", [](Request& r) { Deposit(r); }, true, Rule::kAllowWrite},
      {"representative of an adult",
       [](Request& r) {
         AsRepresentative(r);
         r.dossier.minor = false;
       },
       false, Rule::kRepresentativeNotMinor},
      {"representative of a minor", [](Request& r) { AsRepresentative(r); }, true,
       Rule::kAllowRead},
      {"patient in bris de glace",
       [](Request& r) {
         AsPatient(r);
         r.mode = Mode::kBrisDeGlace;
         r.justification = "x";
       },
       false, Rule::kModeEmergencyProfessionalOnly},
      {"centre 15 refused",
       [](Request& r) {
         r.mode = Mode::kCentre15;
         r.dossier.emergency.samu = false;
       },
       false, Rule::kModeCentre15Refused},
      {"centre 15 physician, no authorization",
       [](Request& r) {
         r.mode = Mode::kCentre15;
         r.dossier.authorizations.clear();
       },
       true, Rule::kAllowRead},
      {"centre 15 nurse",
       [](Request& r) {
         r.mode = Mode::kCentre15;
         r.actor = {ActorKind::kProfessional, kNurse, "60", ""};
       },
       false, Rule::kModeCentre15PhysicianOnly},
      {"bris de glace refused",
       [](Request& r) {
         r.mode = Mode::kBrisDeGlace;
         r.justification = "coma";
         r.dossier.emergency.bris_de_glace = false;
       },
       false, Rule::kModeBrisDeGlaceRefused},
      {"bris de glace blank justification",
       [](Request& r) {
         r.mode = Mode::kBrisDeGlace;
         r.justification = " \t";
       },
       false, Rule::kModeBrisDeGlaceJustificationMissing},
      {"bris de glace, no authorization",
       [](Request& r) {
         r.mode = Mode::kBrisDeGlace;
         r.justification = "coma";
         r.dossier.authorizations.clear();
       },
       true, Rule::kAllowRead},
      {"authorization ends exactly now",
       [](Request& r) { r.dossier.authorizations[0].until = r.now; }, false,
       Rule::kAuthorizationExpired},
      {"authorization ends in 1 ms",
       [](Request& r) { r.dossier.authorizations[0].until = r.now + 1; }, true, Rule::kAllowRead},
      {"no authorization", [](Request& r) { r.dossier.authorizations.clear(); }, false,
       Rule::kAuthorizationRequired},
      {"explicit consent",
       [](Request& r) {
         r.dossier.authorizations = {{kGp, Basis::kExplicitConsent, std::nullopt}};
       },
       true, Rule::kAllowRead},
      {"treating physician needs no entry",
       [](Request& r) {
         r.dossier.authorizations.clear();
         r.actor.idnat = kTreating;
       },
       true, Rule::kAllowRead},
      {"no authorization needed to list traces? no",
       [](Request& r) {
         r.dossier.authorizations.clear();
         r.action = Action::kTraces;
         r.document.reset();
       },
       false, Rule::kAuthorizationRequired},
      {"deleted document", [](Request& r) { r.document->status = DocumentStatus::kDeleted; }, false,
       Rule::kDocumentDeleted},
      {"archived document", [](Request& r) { r.document->status = DocumentStatus::kArchived; },
       true, Rule::kAllowRead},
      {"pharmacist, consult note", [](Request& r) { AsPharmacist(r); }, false,
       Rule::kHabilitationDenied},
      {"pharmacist, prescription",
       [](Request& r) {
         AsPharmacist(r);
         r.document->type = "57833-6";
       },
       true, Rule::kAllowRead},
      {"pharmacist, own consult note",
       [](Request& r) {
         AsPharmacist(r);
         OwnDocument(r);
       },
       true, Rule::kAllowRead},
      {"orthophoniste: no cell",
       [](Request& r) {
         r.actor = {ActorKind::kProfessional, kGp, "91", ""};
       },
       false, Rule::kHabilitationUnlisted},
      {"masked, other professional", [](Request& r) { r.document->masque_ps = true; }, false,
       Rule::kDocumentMasked},
      {"masked, treating physician",
       [](Request& r) {
         r.document->masque_ps = true;
         r.actor.idnat = kTreating;
       },
       true, Rule::kAllowRead},
      {"masked, administrator",
       [](Request& r) {
         r.document->masque_ps = true;
         r.actor.idnat = kAdmin;
       },
       true, Rule::kAllowRead},
      {"masked, author",
       [](Request& r) {
         r.document->masque_ps = true;
         OwnDocument(r);
       },
       true, Rule::kAllowRead},
      {"masked, patient",
       [](Request& r) {
         r.document->masque_ps = true;
         AsPatient(r);
       },
       true, Rule::kAllowRead},
      {"masked, bris de glace not allowed",
       [](Request& r) {
         r.document->masque_ps = true;
         r.mode = Mode::kBrisDeGlace;
         r.justification = "coma";
       },
       false, Rule::kDocumentMasked},
      {"masked, bris de glace allowed",
       [](Request& r) {
         r.document->masque_ps = true;
         r.mode = Mode::kBrisDeGlace;
         r.justification = "coma";
         r.dossier.emergency.masked_in_emergency = true;
       },
       true, Rule::kAllowRead},
      {"invisible, 1 ms before 1 month",
       [](Request& r) {
         AsPatient(r);
         r.document->invisible_patient = true;
         r.now = AutomaticReveal(r.document->deposited_at) - 1;
       },
       false, Rule::kDocumentInvisibleToPatient},
      {"invisible, exactly 1 month",
       [](Request& r) {
         AsPatient(r);
         r.document->invisible_patient = true;
         r.now = AutomaticReveal(r.document->deposited_at);
       },
       true, Rule::kAllowRead},
      {"invisible, revealed",
       [](Request& r) {
         AsPatient(r);
         r.document->invisible_patient = true;
         r.document->revealed = true;
       },
       true, Rule::kAllowRead},
      {"invisible, representative",
       [](Request& r) {
         AsRepresentative(r);
         r.document->invisible_patient = true;
       },
       false, Rule::kDocumentInvisibleToPatient},
      {"invisible to representatives",
       [](Request& r) {
         AsRepresentative(r);
         r.document->invisible_representatives = true;
       },
       false, Rule::kDocumentInvisibleToRepresentatives},
      {"invisible to representatives, patient",
       [](Request& r) {
         AsPatient(r);
         r.document->invisible_representatives = true;
       },
       true, Rule::kAllowRead},
      {"deposit unknown type",
       [](Request& r) {
         Deposit(r);
         r.document->type = "12345-6";
       },
       false, Rule::kWriteTypeUnknown},
      {"professional deposits class 90",
       [](Request& r) {
         Deposit(r);
         r.document->type = "EXPPAT_3";
       },
       false, Rule::kWriteClass90PatientOnly},
      {"patient adds class 90",
       [](Request& r) {
         AsPatient(r);
         r.action = Action::kAddOwnDocument;
         r.document->type = "EXPPAT_3";
       },
       true, Rule::kAllowWrite},
      {"patient adds class 10",
       [](Request& r) {
         AsPatient(r);
         r.action = Action::kAddOwnDocument;
       },
       false, Rule::kWritePatientClass90Only},
      {"deposit without confidentiality",
       [](Request& r) {
         Deposit(r);
         r.document->confidentiality_explicit = false;
       },
       false, Rule::kWriteVisibilityNotExplicit},
      {"deposit N and R",
       [](Request& r) {
         Deposit(r);
         r.document->hl7 = {"N", "R"};
       },
       false, Rule::kWriteConfidentialityConflict},
      {"deposit invisible and masked",
       [](Request& r) {
         Deposit(r);
         r.document->invisible_patient = true;
         r.document->masque_ps = true;
       },
       false, Rule::kWriteInvisibleAndMasked},
      {"deposit masked only",
       [](Request& r) {
         Deposit(r);
         r.document->masque_ps = true;
       },
       true, Rule::kAllowWrite},
      {"replace obsolete",
       [](Request& r) {
         r.action = Action::kReplace;
         OwnDocument(r);
         r.document->status = DocumentStatus::kObsolete;
       },
       false, Rule::kDocumentNotCurrent},
      {"replace current",
       [](Request& r) {
         r.action = Action::kReplace;
         OwnDocument(r);
       },
       true, Rule::kAllowWrite},
      {"replace not author", [](Request& r) { r.action = Action::kReplace; }, false,
       Rule::kReplaceAuthorOnly},
      {"delete not author", [](Request& r) { r.action = Action::kDelete; }, false,
       Rule::kDeleteAuthorOnly},
      {"delete own, no authorization",
       [](Request& r) {
         r.action = Action::kDelete;
         OwnDocument(r);
         r.dossier.authorizations.clear();
       },
       true, Rule::kAllowLifecycle},
      {"delete deleted",
       [](Request& r) {
         r.action = Action::kDelete;
         OwnDocument(r);
         r.document->status = DocumentStatus::kDeleted;
       },
       false, Rule::kDocumentDeleted},
      {"archive not author", [](Request& r) { r.action = Action::kArchive; }, false,
       Rule::kArchiveAuthorOnly},
      {"archive own",
       [](Request& r) {
         r.action = Action::kArchive;
         OwnDocument(r);
       },
       true, Rule::kAllowLifecycle},
      {"reveal by stranger",
       [](Request& r) {
         r.action = Action::kReveal;
         r.document->invisible_patient = true;
       },
       false, Rule::kRevealNotPermitted},
      {"reveal by treating physician",
       [](Request& r) {
         r.action = Action::kReveal;
         r.actor.idnat = kTreating;
         r.document->invisible_patient = true;
       },
       true, Rule::kAllowLifecycle},
      {"reveal visible document",
       [](Request& r) {
         r.action = Action::kReveal;
         OwnDocument(r);
       },
       false, Rule::kRevealNothingHidden},
      {"professional masks other's document", [](Request& r) { r.action = Action::kMask; }, false,
       Rule::kMaskNotPermitted},
      {"patient masks",
       [](Request& r) {
         AsPatient(r);
         r.action = Action::kMask;
       },
       true, Rule::kAllowLifecycle},
      {"professional blocks",
       [](Request& r) {
         r.action = Action::kBlock;
         r.target = kNurse;
         r.document.reset();
       },
       false, Rule::kBlockNotPermitted},
      {"administrator blocks",
       [](Request& r) {
         r.actor.idnat = kAdmin;
         r.action = Action::kBlock;
         r.target = kNurse;
         r.document.reset();
       },
       true, Rule::kAllowSetting},
      {"designate blocked",
       [](Request& r) {
         AsPatient(r);
         r.action = Action::kDesignateTreatingPhysician;
         r.target = kNurse;
         r.dossier.blocked = {kNurse};
         r.document.reset();
       },
       false, Rule::kTargetBlocked},
      {"designate administrator",
       [](Request& r) {
         AsPatient(r);
         r.action = Action::kDesignateAdministrator;
         r.target = kNurse;
         r.document.reset();
       },
       true, Rule::kAllowSetting},
      {"record consent for another without access",
       [](Request& r) {
         r.action = Action::kRecordConsent;
         r.target = kNurse;
         r.dossier.authorizations.clear();
         r.document.reset();
       },
       false, Rule::kRecordForOtherNeedsAccess},
      {"record own consent",
       [](Request& r) {
         r.action = Action::kRecordConsent;
         r.dossier.authorizations.clear();
         r.document.reset();
       },
       true, Rule::kAllowRecord},
      {"status without authorization",
       [](Request& r) {
         r.action = Action::kStatus;
         r.dossier.authorizations.clear();
         r.document.reset();
       },
       true, Rule::kAllowStatus},
      {"traces",
       [](Request& r) {
         r.action = Action::kTraces;
         r.document.reset();
       },
       true, Rule::kAllowTraces},
      {"list",
       [](Request& r) {
         r.action = Action::kList;
         r.document.reset();
       },
       true, Rule::kAllowList},
  };
  return cases;
}

}  // namespace

TEST_GROUP(EngineRules){};

TEST(EngineRules, EveryCaseDecidesAsExpected) {
  for (const Case& c : Cases()) {
    Request r = Baseline();
    c.setup(r);
    Decision d = Decide(r);
    std::string got =
        std::string(RuleId(d.rule)) + (d.allow ? " allow" : " deny") + ": " + d.reason;
    std::string want = std::string(RuleId(c.rule)) + (c.allow ? " allow" : " deny");
    CHECK_TEXT(d.rule == c.rule && d.allow == c.allow,
               (std::string(c.name) + ": want " + want + ", got " + got).c_str());
  }
}

TEST(EngineRules, EveryRuleHasACase) {
  std::set<Rule> seen;
  for (const Case& c : Cases()) seen.insert(c.rule);
  for (int i = 0; i < kRuleCount; ++i) {
    CHECK_TEXT(seen.count(static_cast<Rule>(i)) == 1,
               std::string(RuleId(static_cast<Rule>(i))).c_str());
  }
}

TEST(EngineRules, RuleIdsAreUniqueAndAllowIdsAllow) {
  std::set<std::string_view> ids;
  for (int i = 0; i < kRuleCount; ++i) ids.insert(RuleId(static_cast<Rule>(i)));
  LONGS_EQUAL(kRuleCount, ids.size());
  for (const Case& c : Cases()) {
    CHECK_EQUAL(c.allow, RuleId(c.rule).substr(0, 6) == "ALLOW_");
  }
}

}  // namespace carnet::node::policy
