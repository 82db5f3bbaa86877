#include "node/retention/retention.h"

#include <CppUTest/TestHarness.h>

#include <string>

#include "node/policy/dossier_json.h"
#include "node/store/store_test_util.h"
#include "node/store/transaction.h"
#include "node/trace/entry.h"

namespace carnet::node::retention {
namespace {

UnixMillis T(const std::string& rfc3339) {
  auto t = ParseRfc3339(rfc3339);
  CHECK_TRUE(t.ok());
  return *t;
}

Bytes ClosedSettings(const std::string& closed, const std::string& deletion = "") {
  policy::Dossier d;
  d.state = policy::DossierState::kClosed;
  d.closed_at = T(closed);
  if (!deletion.empty()) d.deletion_requested_at = T(deletion);
  return ToBytes(policy::DossierToJson(d));
}

}  // namespace

TEST_GROUP(DestructionDue){};

TEST(DestructionDue, TenCalendarYearsAfterClosure) {
  auto due = DestructionDue(ClosedSettings("2024-02-29T10:00:00Z"), RetentionRules{});
  CHECK_TRUE(due.ok());
  CHECK_EQUAL(T("2034-02-28T10:00:00Z"), due->at);  // policy calendar: no 29 Feb in 2034
  CHECK_EQUAL(T("2024-02-29T10:00:00Z"), due->closed_at);
  STRCMP_EQUAL("DOSSIER_RETENTION_EXPIRED", due->rule_id.c_str());
}

TEST(DestructionDue, ConfiguredYears) {
  auto due = DestructionDue(ClosedSettings("2020-01-01T00:00:00Z"), RetentionRules{5});
  CHECK_TRUE(due.ok());
  CHECK_EQUAL(T("2025-01-01T00:00:00Z"), due->at);
}

TEST(DestructionDue, EarlyDeletionThreeMonthsAfterTheRequest) {
  auto due = DestructionDue(ClosedSettings("2026-01-15T00:00:00Z", "2026-01-31T08:00:00Z"),
                            RetentionRules{});
  CHECK_TRUE(due.ok());
  CHECK_EQUAL(T("2026-04-30T08:00:00Z"), due->at);
  STRCMP_EQUAL("DOSSIER_DELETION_DUE", due->rule_id.c_str());
}

TEST(DestructionDue, RefusesWhatItCannotDecide) {
  CHECK_FALSE(DestructionDue(ToBytes("{}"), RetentionRules{}).ok());
  CHECK_FALSE(DestructionDue(ToBytes("not json"), RetentionRules{}).ok());
  // An open dossier has no closure date: never due.
  CHECK_FALSE(
      DestructionDue(ToBytes(policy::DossierToJson(policy::Dossier{})), RetentionRules{}).ok());
}

TEST_GROUP(Sweep) {
  store::testing::TempDir dir;
  std::unique_ptr<store::SqliteStore> store;
  std::unique_ptr<trace::TraceLog> log;

  void setup() override {
    auto opened = store::SqliteStore::Open(dir.File("node.db"));
    CHECK_TRUE(opened.ok());
    store = std::move(*opened);
    auto trace = trace::TraceLog::Open(*store);
    CHECK_TRUE(trace.ok());
    log = std::move(*trace);
  }
  void AddPatient(const std::string& ins, Bytes settings, store::PatientState state) {
    store::PatientRecord p{ins, Bytes(40, 7), state, std::move(settings)};
    CHECK_TRUE(store->PutPatient(p).ok());
    store::DocumentRecord d{"doc-" + ins, ins,      1, "11488-4",   "810001234567",
                            "N",          "active", 1, Bytes(32, 9)};
    CHECK_TRUE(store->PutDocument(d).ok());
  }
  SweepReport Run(UnixMillis now) {
    auto report = Sweep(*store, *log, RetentionRules{}, now);
    CHECK_TRUE_TEXT(report.ok(), report.status().ToString().c_str());
    return *report;
  }
};

TEST(Sweep, DestroysWhatIsDueTracesItAndTouchesNothingElse) {
  AddPatient("A", ClosedSettings("2020-06-01T00:00:00Z"), store::PatientState::kClosed);
  AddPatient("B", ClosedSettings("2025-06-01T00:00:00Z"), store::PatientState::kClosed);
  AddPatient("C", ToBytes(policy::DossierToJson(policy::Dossier{})), store::PatientState::kActive);
  SweepReport r = Run(T("2030-06-01T00:00:00Z"));  // exactly A's retention end
  LONGS_EQUAL(1, r.destroyed.size());
  STRCMP_EQUAL("A", r.destroyed[0].ins.c_str());
  LONGS_EQUAL(1, r.kept.size());
  STRCMP_EQUAL("B", r.kept[0].ins.c_str());
  LONGS_EQUAL(0, r.problems.size());
  LONGS_EQUAL(1, r.unreadable.size());
  STRCMP_EQUAL("doc-A", r.unreadable[0].id.c_str());

  auto a = store->GetPatient("A");
  CHECK_TRUE(a.ok());
  CHECK_TRUE(a->state == store::PatientState::kKeyDestroyed);
  CHECK_TRUE(a->wrapped_key.empty());
  for (const char* ins : {"B", "C"}) {
    auto p = store->GetPatient(ins);
    CHECK_TRUE(p.ok());
    CHECK_TRUE(p->wrapped_key == Bytes(40, 7));
  }
  auto entry = log->Entry(r.destroyed[0].trace_index);
  CHECK_TRUE(entry.ok());
  auto decoded = trace::DecodeEntry(*entry);
  CHECK_TRUE(decoded.ok());
  STRCMP_EQUAL("A", decoded->patient_ins.c_str());
  STRCMP_EQUAL(kDestroyAction, decoded->action.c_str());
  STRCMP_EQUAL("DOSSIER_RETENTION_EXPIRED", decoded->rule_id.c_str());
  CHECK_EQUAL(T("2030-06-01T00:00:00Z"), decoded->time);
}

TEST(Sweep, OneMillisecondBeforeTheEndKeeps) {
  AddPatient("A", ClosedSettings("2020-06-01T00:00:00Z"), store::PatientState::kClosed);
  SweepReport r = Run(T("2030-06-01T00:00:00Z") - 1);
  LONGS_EQUAL(0, r.destroyed.size());
  LONGS_EQUAL(1, r.kept.size());
  auto size = log->Size();
  CHECK_TRUE(size.ok());
  LONGS_EQUAL(0, *size);
}

TEST(Sweep, SecondRunDestroysNothingTwice) {
  AddPatient("A", ClosedSettings("2020-06-01T00:00:00Z"), store::PatientState::kClosed);
  Run(T("2031-01-01T00:00:00Z"));
  SweepReport again = Run(T("2031-01-01T00:00:00Z"));
  LONGS_EQUAL(0, again.destroyed.size());
  LONGS_EQUAL(1, again.unreadable.size());
  auto size = log->Size();
  CHECK_TRUE(size.ok());
  LONGS_EQUAL(1, *size);
}

TEST(Sweep, UnreadableSettingsAreAProblemNeverADestruction) {
  AddPatient("A", ToBytes("{}"), store::PatientState::kClosed);
  SweepReport r = Run(T("2099-01-01T00:00:00Z"));
  LONGS_EQUAL(0, r.destroyed.size());
  LONGS_EQUAL(1, r.problems.size());
  STRCMP_EQUAL("A", r.problems[0].ins.c_str());
  auto a = store->GetPatient("A");
  CHECK_TRUE(a.ok());
  CHECK_TRUE(a->state == store::PatientState::kClosed);
  CHECK_TRUE(a->wrapped_key == Bytes(40, 7));
}

TEST(Sweep, ReportJson) {
  AddPatient("A", ClosedSettings("2020-06-01T00:00:00Z"), store::PatientState::kClosed);
  SweepReport r = Run(T("2031-01-01T00:00:00Z"));
  std::string json = ReportToJson(r);
  CHECK_TRUE(json.find("\"destroyed\":[{\"ins\":\"A\",\"rule\":\"DOSSIER_RETENTION_EXPIRED\"") !=
             std::string::npos);
  CHECK_TRUE(json.find("\"unreadable\":[{\"id\":\"doc-A\",\"version\":1,\"ins\":\"A\"}]") !=
             std::string::npos);
}

}  // namespace carnet::node::retention
