// The request pipeline's allow paths (one per action family), policy denials, idempotency and
// notification records, on a real node directory and SQLite file, in-process (no TLS).

#include "node/policy/dossier_json.h"
#include "node/service/service_test_env.h"
#include "node/trace/entry.h"

namespace carnet::node::service::testing {
namespace {

using protocol::Action;

template <class T>
T Body(const Answer& a) {  // a copy: callers pass temporaries
  const T* body = std::get_if<T>(&a.response.body);
  if (body == nullptr) FAIL(("unexpected answer: " + a.Describe()).c_str());
  return *body;
}

void ExpectOk(const Answer& a) { CHECK_TEXT(a.http_status == 200, a.Describe().c_str()); }

void ExpectDenied(const Answer& a, const std::string& rule) {
  const auto& e = Body<protocol::Error>(a);
  CHECK_TEXT(a.http_status == 403, a.Describe().c_str());
  STRCMP_EQUAL(rule.c_str(), e.rule.value_or("").c_str());
  CHECK_TEXT(e.reason.find(rule) != std::string::npos, e.reason.c_str());
}

policy::Dossier Settings(ServiceEnv& env) {
  auto patient = env.ctx().store().GetPatient(kPatientIns);
  if (!patient.ok()) FAIL(patient.status().ToString().c_str());
  auto d =
      policy::ParseDossierJson(std::string(patient->settings.begin(), patient->settings.end()));
  if (!d.ok()) FAIL(d.status().ToString().c_str());
  return *d;
}

protocol::Request WithArgs(protocol::Request r, protocol::Arguments args) {
  r.args = std::move(args);
  return r;
}

}  // namespace

TEST_GROUP(RequestService) {
  std::unique_ptr<ServiceEnv> env;
  void setup() override { env = std::make_unique<ServiceEnv>(); }
  void teardown() override { env.reset(); }
  void Open() { ExpectOk(env->PostGp(GpRequest(Action::kOpen))); }
  // Opens and records the GP in the care team (reading needs an authorization).
  void OpenAndJoin() {
    Open();
    ExpectOk(env->PostGp(GpRequest(Action::kRecordCareTeam)));
  }
  std::string Gp() { return authn::testing::GetEnv().Gp().IdNat(); }
};

TEST(RequestService, OpenNeedsConsentThenStatus) {
  ExpectDenied(env->PostGp(GpRequest(Action::kStatus)), "DOSSIER_NONE_ONLY_OPEN");
  ExpectDenied(env->PostGp(WithArgs(GpRequest(Action::kOpen), protocol::OpenArgs{false})),
               kRuleOpenConsentMissing);
  CHECK(env->ctx().store().GetPatient(kPatientIns).status().code() == StatusCode::kNotFound);
  const uint64_t before = env->TraceSize();
  Answer open = env->PostGp(GpRequest(Action::kOpen));
  ExpectOk(open);
  CHECK_EQUAL(before, Body<protocol::Ack>(open).trace_index);
  trace::TraceEntry t = env->LastTrace();
  STRCMP_EQUAL("ALLOW_OPEN", t.rule_id.c_str());
  CHECK(t.decision == trace::Decision::kAllow);
  STRCMP_EQUAL(kPatientIns, t.patient_ins.c_str());
  const auto& status = Body<protocol::StatusResult>(env->PostGp(GpRequest(Action::kStatus)));
  CHECK(status.state == protocol::DossierState::kOpen);
  CHECK_FALSE(status.authorized);
  ExpectDenied(env->PostGp(GpRequest(Action::kOpen)), "DOSSIER_ALREADY_EXISTS");
}

TEST(RequestService, DepositListReadAndFirstAccessOnce) {
  OpenAndJoin();
  Answer dep = env->PostGp(GpRequest(Action::kDeposit));
  const auto& ack = Body<protocol::Ack>(dep);
  STRCMP_EQUAL("doc-1", ack.document_id.value_or("").c_str());
  LONGS_EQUAL(1, ack.version.value_or(0));
  // Sealed: neither the content nor the title is in the stored blob.
  auto stored = env->ctx().store().GetDocument("doc-1", 1);
  CHECK(stored.ok());
  const std::string blob(stored->sealed.begin(), stored->sealed.end());
  CHECK(blob.find("%PDF") == std::string::npos);
  CHECK(blob.find("Compte rendu") == std::string::npos);

  const auto& doc = Body<protocol::DocumentResult>(env->PostGp(GpRequest(Action::kRead)));
  STRCMP_EQUAL("%PDF-1.4 compte rendu",
               std::string(doc.content.begin(), doc.content.end()).c_str());
  STRCMP_EQUAL("Compte rendu de consultation", doc.info.metadata.title.c_str());
  STRCMP_EQUAL(Gp().c_str(), doc.info.author.c_str());
  const auto& list = Body<protocol::DocumentList>(env->PostGp(GpRequest(Action::kList)));
  LONGS_EQUAL(1, list.documents.size());
  STRCMP_EQUAL("doc-1", list.documents[0].metadata.id.c_str());

  auto notes = env->ctx().store().ListNotifications(false);
  CHECK(notes.ok());
  int first = 0;
  for (const auto& n : *notes) {
    if (n.kind == store::NotificationKind::kFirstAccess) ++first;
    auto entry = trace::DecodeEntry(*env->ctx().trace_log().Entry(n.trace_index));
    CHECK(entry.ok() && entry->decision == trace::Decision::kAllow);
    STRCMP_EQUAL(kPatientIns, n.ins.c_str());
  }
  LONGS_EQUAL(1, first);  // deposit, read and list: one first-access notice
}

TEST(RequestService, ReplaceArchiveDeleteLifecycle) {
  OpenAndJoin();
  ExpectOk(env->PostGp(GpRequest(Action::kDeposit)));
  const auto& ack = Body<protocol::Ack>(env->PostGp(GpRequest(Action::kReplace)));
  LONGS_EQUAL(2, ack.version.value_or(0));
  STRCMP_EQUAL("obsolete", env->ctx().store().GetDocument("doc-1", 1)->status.c_str());
  const auto& v2 = Body<protocol::DocumentResult>(env->PostGp(GpRequest(Action::kRead)));
  STRCMP_EQUAL("%PDF-1.4 v2", std::string(v2.content.begin(), v2.content.end()).c_str());
  STRCMP_EQUAL("doc-1", v2.info.metadata.replaces.value_or("").c_str());

  protocol::Request dep2 = GpRequest(Action::kDeposit);
  dep2.args = DepositOf("doc-2", "second");
  ExpectOk(env->PostGp(dep2));
  ExpectOk(env->PostGp(WithArgs(GpRequest(Action::kArchive), protocol::DocumentRef{"doc-2", {}})));
  STRCMP_EQUAL("archived", env->ctx().store().GetDocument("doc-2", 1)->status.c_str());
  ExpectOk(env->PostGp(GpRequest(Action::kDelete)));
  STRCMP_EQUAL("deleted", env->ctx().store().GetDocument("doc-1", 2)->status.c_str());
  ExpectDenied(env->PostGp(GpRequest(Action::kRead)), "DOCUMENT_DELETED");
  ExpectDenied(env->PostGp(WithArgs(GpRequest(Action::kRead), protocol::DocumentRef{"nope", {}})),
               kRuleDocumentUnknown);
  // Same id again: refused as a conflict, traced.
  dep2.request_id = Bytes(16, 0x77);
  Answer again = env->PostGp(dep2);
  CHECK_EQUAL(409, again.http_status);
}

TEST(RequestService, PatientSettingsBlockAndTraces) {
  Open();
  ExpectOk(env->PostGp(GpRequest(Action::kDeposit)));
  ExpectOk(env->PostPatient(PatientRequest(Action::kBlock)));
  CHECK(Settings(*env).blocked == std::vector<std::string>{Gp()});
  ExpectDenied(env->PostGp(GpRequest(Action::kStatus)), "BLOCKED_PROFESSIONAL");
  ExpectOk(env->PostPatient(PatientRequest(Action::kUnblock)));
  ExpectOk(env->PostGp(GpRequest(Action::kStatus)));

  ExpectOk(env->PostPatient(PatientRequest(Action::kSetDefaultMasking)));
  ExpectOk(env->PostPatient(WithArgs(PatientRequest(Action::kSetEmergencyPreferences),
                                     protocol::EmergencyPreferencesArgs{false, true, true})));
  ExpectOk(env->PostPatient(PatientRequest(Action::kDesignateTreatingPhysician)));
  ExpectOk(env->PostPatient(PatientRequest(Action::kMask)));
  policy::Dossier d = Settings(*env);
  CHECK(d.default_masking);
  CHECK_FALSE(d.emergency.samu);
  CHECK(d.emergency.masked_in_emergency);
  STRCMP_EQUAL(Gp().c_str(), d.treating_physician.c_str());
  CHECK(env->ctx().store().GetDocument("doc-1", 1)->confidentiality.find("masque_ps") == 0);
  ExpectOk(env->PostPatient(PatientRequest(Action::kUnmask)));
  CHECK(env->ctx().store().GetDocument("doc-1", 1)->confidentiality.empty());

  ExpectOk(env->PostGp(GpRequest(Action::kRecordCareTeam)));
  LONGS_EQUAL(1, Settings(*env).authorizations.size());
  CHECK(Body<protocol::StatusResult>(env->PostGp(GpRequest(Action::kStatus))).authorized);
  ExpectOk(env->PostGp(GpRequest(Action::kRecordOpposition)));
  LONGS_EQUAL(0, Settings(*env).authorizations.size());

  const auto& traces = Body<protocol::TraceList>(env->PostPatient(PatientRequest(Action::kTraces)));
  CHECK(traces.entries.size() >= 10);
  bool saw_block = false;
  for (const auto& e : traces.entries) {
    if (e.action == Action::kBlock && e.allowed) saw_block = true;
  }
  CHECK(saw_block);

  ExpectOk(env->PostPatient(PatientRequest(Action::kClose)));
  CHECK(env->ctx().store().GetPatient(kPatientIns)->state == store::PatientState::kClosed);
  ExpectDenied(env->PostGp(GpRequest(Action::kStatus)), "DOSSIER_CLOSED");
}

TEST(RequestService, ReplayReturnsTheFirstAnswerByteForByte) {
  OpenAndJoin();
  const protocol::Request r = GpRequest(Action::kDeposit);
  const Bytes cose = authn::testing::SignSig(r);
  Answer first = env->Post(cose, authn::testing::Term1());
  ExpectOk(first);
  const uint64_t size = env->TraceSize();
  env->clock().Advance(std::chrono::seconds(30));
  Answer again = env->Post(cose, authn::testing::Term1());
  CHECK(first.body == again.body);
  LONGS_EQUAL(size, env->TraceSize());
  LONGS_EQUAL(1, env->DocumentCount());

  // A read answer is stored sealed, and replayed the same.
  const Bytes read = authn::testing::SignAut(GpRequest(Action::kRead));
  Answer r1 = env->Post(read, authn::testing::Term1());
  Answer r2 = env->Post(read, authn::testing::Term1());
  ExpectOk(r1);
  CHECK(r1.body == r2.body);
}

TEST(RequestService, SameIdOtherContentIsA409TracedAndStoresNothing) {
  Open();
  protocol::Request r = GpRequest(Action::kDeposit);
  Answer first = env->PostGp(r);
  ExpectOk(first);
  const uint64_t size = env->TraceSize();
  r.args = DepositOf("doc-9", "other");
  Answer other = env->PostGp(r);
  CHECK_EQUAL(409, other.http_status);
  CHECK(Body<protocol::Error>(other).code == protocol::ErrorCode::kConflict);
  LONGS_EQUAL(size + 1, env->TraceSize());
  trace::TraceEntry t = env->LastTrace();
  CHECK(t.decision == trace::Decision::kDeny);
  STRCMP_EQUAL(kRuleRequestIdReused, t.rule_id.c_str());
  LONGS_EQUAL(1, env->DocumentCount());
  auto stored = env->ctx().store().FindRequest(HexEncode(r.request_id), "TERM-0001");
  CHECK(stored.ok() && stored->has_value());
  CHECK(Bytes((*stored)->response.begin() + 3, (*stored)->response.end()) == first.body);
}

TEST(RequestService, BrisDeGlaceIsAllowedTracedAndNotified) {
  Open();
  ExpectOk(env->PostGp(GpRequest(Action::kDeposit)));
  protocol::Request r = GpRequest(Action::kList);
  r.mode = protocol::Mode::kBrisDeGlace;
  r.justification = "patient inconscient aux urgences";
  ExpectOk(env->PostGp(r));
  STRCMP_EQUAL("bris_de_glace", env->LastTrace().mode.c_str());
  auto notes = env->ctx().store().ListNotifications(true);
  CHECK(notes.ok());
  bool emergency = false;
  for (const auto& n : *notes) emergency |= n.kind == store::NotificationKind::kEmergencyAccess;
  CHECK(emergency);
}

TEST(RequestService, SthAndHealth) {
  Open();
  server::HttpResponse sth = env->service().SignedTreeHead();
  LONGS_EQUAL(200, sth.status);
  STRCMP_EQUAL(kJsonContentType, sth.content_type.c_str());
  const std::string body(sth.body.begin(), sth.body.end());
  CHECK(body.find("\"tree_size\":1,") != std::string::npos);
  CHECK(body.find("\"tree_head_signature\":\"") != std::string::npos);
  server::HttpResponse health = env->service().Health();
  LONGS_EQUAL(200, health.status);
  LONGS_EQUAL(3, env->service().Routes().size());
}

}  // namespace carnet::node::service::testing
