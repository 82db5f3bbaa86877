// Obligations and time boundaries, then properties that must hold over many generated inputs.
#include <random>

#include "node/policy/engine_test_util.h"

// CppUTest last: its operator-new macros break standard headers included after it.
#include <CppUTest/TestHarness.h>

namespace carnet::node::policy {
namespace {

using namespace testing;

std::optional<UnixMillis> At(const Decision& d, ObligationKind k) {
  for (const auto& o : d.obligations) {
    if (o.kind == k) return o.at;
  }
  return std::nullopt;
}

}  // namespace

TEST_GROUP(EngineObligations){};

TEST(EngineObligations, EmergencyAccessNotifiesPatientAndTreatingPhysician) {
  Request r = Baseline();
  r.mode = Mode::kCentre15;
  Decision d = Decide(r);
  CHECK_TRUE(d.allow);
  CHECK_TRUE(d.Has(ObligationKind::kNotifyPatient) &&
             d.Has(ObligationKind::kNotifyTreatingPhysician));
  CHECK_TRUE(d.Has(ObligationKind::kFirstAccessNotice));
  CHECK_FALSE(Decide(Baseline()).Has(ObligationKind::kNotifyPatient));  // normal read
}

TEST(EngineObligations, InvisibleDepositSchedulesNoticeAndReveal) {
  Request r = Baseline();
  r.action = Action::kDeposit;
  r.document->invisible_patient = true;
  Decision d = Decide(r);
  CHECK_TRUE(d.allow);
  CHECK(*At(d, ObligationKind::kSchedulePatientNotice) == r.now + 14 * kMillisPerDay);
  CHECK(*At(d, ObligationKind::kScheduleReveal) == AddMonths(r.now, 1));
  CHECK_FALSE(d.Has(ObligationKind::kNotifyPatient));  // nothing visible yet
  r.document->invisible_patient = false;
  CHECK_TRUE(Decide(r).Has(ObligationKind::kNotifyPatient));  // new visible document
}

TEST(EngineObligations, PatientNoticeFallsDueAtExactlyTwoWeeks) {
  Request r = Baseline();
  AsPatient(r);
  r.document->invisible_patient = true;
  r.now = r.document->deposited_at + 2 * kMillisPerWeek - 1;
  Decision before = Decide(r);
  CHECK_FALSE(before.allow);
  CHECK_FALSE(before.Has(ObligationKind::kSchedulePatientNotice));
  r.now += 1;
  Decision at = Decide(r);
  CHECK_FALSE(at.allow);  // still hidden: the notice is not the document
  CHECK(*At(at, ObligationKind::kSchedulePatientNotice) == r.now);
}

TEST(EngineObligations, ProfessionalIsWarnedTheDocumentIsHiddenFromThePatient) {
  Request r = Baseline();
  r.document->invisible_patient = true;
  CHECK_TRUE(Decide(r).Has(ObligationKind::kWarnNotVisibleToPatient));
  r.document->revealed = true;
  CHECK_FALSE(Decide(r).Has(ObligationKind::kWarnNotVisibleToPatient));
}

TEST(EngineObligations, RetentionAndDeletionDates) {
  Request r = Baseline();
  AsPatient(r);
  r.document.reset();
  r.action = Action::kClose;
  CHECK(*At(Decide(r), ObligationKind::kDestroyOnRetentionExpiry) == AddYears(r.now, 10));
  r.action = Action::kRequestDeletion;
  CHECK(*At(Decide(r), ObligationKind::kDestroyOnRequest) == AddMonths(r.now, 3));
}

TEST(EngineObligations, DefaultMaskingAndListFiltering) {
  Request r = Baseline();
  r.action = Action::kDeposit;
  r.dossier.default_masking = true;
  CHECK_TRUE(Decide(r).Has(ObligationKind::kApplyDefaultMasking));
  r.action = Action::kList;
  r.document.reset();
  CHECK_TRUE(Decide(r).Has(ObligationKind::kFilterMaskedDocuments));
  r.actor.idnat = kTreating;
  CHECK_FALSE(Decide(r).Has(ObligationKind::kFilterMaskedDocuments));
}

TEST(EngineObligations, ListReturnsOnlyReadableDocuments) {
  Request r = Baseline();
  AsPharmacist(r);
  r.action = Action::kList;
  r.document.reset();
  Document prescription = ConsultNote();
  prescription.type = "57833-6";
  Document masked = prescription;
  masked.masque_ps = true;
  Document deleted = prescription;
  deleted.status = DocumentStatus::kDeleted;
  r.documents = {ConsultNote(), prescription, masked, deleted, prescription};
  Decision d = Decide(r);
  CHECK_TRUE(d.allow);
  LONGS_EQUAL(2, d.visible.size());
  LONGS_EQUAL(1, d.visible[0]);
  LONGS_EQUAL(4, d.visible[1]);
}

// ---------------------------------------------------------------------------------------------

namespace {

// Random requests over every enum and every flag that matters, deterministic by seed.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  bool Coin() { return Pick(2) == 0; }
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  Document Doc() {
    static const char* kTypes[] = {"11488-4", "57833-6",      "60593-1", "EXPPAT_3",
                                   "68599-0", "ATTEST-RESID", "52040-3", "99999-9"};
    Document d = ConsultNote();
    d.type = kTypes[Pick(8)];
    d.author = Coin() ? kAuthor : (Coin() ? kGp : kPatient);
    d.masque_ps = Coin();
    d.invisible_patient = Coin();
    d.invisible_representatives = Coin();
    d.confidentiality_explicit = Pick(8) != 0;
    d.status = static_cast<DocumentStatus>(Pick(4));
    d.revealed = Pick(4) == 0;
    d.deposited_at = Now() - static_cast<UnixMillis>(Pick(60)) * kMillisPerDay;
    return d;
  }

  Request Next() {
    Request r = Baseline();
    static const char* kProfessions[] = {"10", "21", "40", "60", "91"};
    r.actor.kind = static_cast<ActorKind>(Pick(3));
    r.actor.profession = kProfessions[Pick(5)];
    const char* ids[] = {kGp, kTreating, kAdmin, kNurse};
    r.actor.idnat = r.actor.kind == ActorKind::kProfessional ? ids[Pick(4)] : kPatient;
    r.mode = static_cast<Mode>(Pick(3));
    r.justification = Coin() ? "coma" : "";
    r.action = static_cast<Action>(Pick(kActionCount));
    r.target = Coin() ? kNurse : "";
    r.dossier.state = Pick(6) == 0 ? DossierState::kNone : DossierState::kOpen;
    r.dossier.minor = Coin();
    r.dossier.emergency = {Coin(), Coin(), Coin()};
    if (Coin()) r.dossier.authorizations.clear();
    r.document = Doc();
    for (size_t i = Pick(5); i > 0; --i) r.documents.push_back(Doc());
    return r;
  }

 private:
  std::mt19937 rng_;
};

constexpr int kRounds = 10000;

}  // namespace

TEST_GROUP(EngineProperties){};

TEST(EngineProperties, BlockedProfessionalIsDeniedInEveryModeAndAction) {
  Generator g(1);
  for (int i = 0; i < kRounds; ++i) {
    Request r = g.Next();
    r.actor.kind = ActorKind::kProfessional;
    r.dossier.blocked = {r.actor.idnat};
    Decision d = Decide(r);
    CHECK_FALSE(d.allow);
    if (r.dossier.state == DossierState::kOpen && r.action != Action::kOpen && !r.target.empty()) {
      CHECK_TEXT(d.rule == Rule::kBlockedProfessional, std::string(RuleId(d.rule)).c_str());
    }
  }
}

TEST(EngineProperties, DeletedDocumentsAreNeverReturned) {
  Generator g(2);
  for (int i = 0; i < kRounds; ++i) {
    Request r = g.Next();
    r.document->status = DocumentStatus::kDeleted;
    if (r.action == Action::kRead) CHECK_FALSE(Decide(r).allow);
    r.action = Action::kList;
    Decision d = Decide(r);
    for (size_t v : d.visible) CHECK(r.documents[v].status != DocumentStatus::kDeleted);
  }
}

TEST(EngineProperties, PatientNeverSeesAnUnrevealedInvisibleDocumentBeforeOneMonth) {
  Generator g(3);
  for (int i = 0; i < kRounds; ++i) {
    Request r = g.Next();
    if (r.actor.kind == ActorKind::kProfessional) continue;
    r.action = g.Coin() ? Action::kRead : Action::kList;
    Decision d = Decide(r);
    auto hidden = [&](const Document& doc) {
      return doc.invisible_patient && !doc.revealed && r.now < AddMonths(doc.deposited_at, 1);
    };
    if (r.action == Action::kRead && hidden(*r.document)) CHECK_FALSE(d.allow);
    for (size_t v : d.visible) CHECK_FALSE(hidden(r.documents[v]));
  }
}

TEST(EngineProperties, WritingNeverRequiresAReadAuthorization) {
  Generator g(4);
  for (int i = 0; i < kRounds; ++i) {
    Request r = g.Next();
    r.action = g.Coin() ? Action::kDeposit : Action::kReplace;
    r.dossier.authorizations.clear();
    Decision d = Decide(r);
    CHECK(d.rule != Rule::kAuthorizationRequired && d.rule != Rule::kAuthorizationExpired);
    CHECK(d.rule != Rule::kHabilitationDenied && d.rule != Rule::kHabilitationUnlisted);
  }
}

TEST(EngineProperties, EveryDecisionHasAKnownRuleAndAReason) {
  Generator g(5);
  for (int i = 0; i < kRounds; ++i) {
    Decision d = Decide(g.Next());
    CHECK(static_cast<int>(d.rule) >= 0 && static_cast<int>(d.rule) < kRuleCount);
    CHECK_FALSE(d.reason.empty());
    CHECK_EQUAL(d.allow, RuleId(d.rule).substr(0, 6) == "ALLOW_");
  }
}

}  // namespace carnet::node::policy
