#include "node/retention/retention.h"

#include <algorithm>
#include <optional>

#include "hal/base/json.h"
#include "node/policy/calendar.h"
#include "node/policy/dossier_json.h"
#include "node/policy/rules.h"
#include "node/store/transaction.h"

namespace carnet::node::retention {
namespace {

using json::Value;

// The INS of every patient whose state is "closed", read from one snapshot.
Result<std::vector<std::string>> ClosedPatients(store::SqliteStore& store) {
  std::vector<std::string> ins;
  Status read = store.Read([&](store::Db& db) -> Status {
    CARNET_ASSIGN_OR_RETURN(auto select,
                            db.Prepare("SELECT ins FROM patients WHERE state = ? ORDER BY ins"));
    CARNET_TRY(select.BindText(1, store::PatientStateName(store::PatientState::kClosed)));
    for (;;) {
      CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
      if (!row) return Status::Ok();
      ins.push_back(select.ColumnText(0));
    }
  });
  if (!read.ok()) return read;
  return ins;
}

// Inside the transaction: the patient's current state and settings (nullopt: no longer closed).
Result<std::optional<Bytes>> ClosedSettings(store::Db& db, const std::string& ins) {
  CARNET_ASSIGN_OR_RETURN(auto select,
                          db.Prepare("SELECT state, settings FROM patients WHERE ins = ?"));
  CARNET_TRY(select.BindText(1, ins));
  CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return std::optional<Bytes>();
  if (select.ColumnText(0) != store::PatientStateName(store::PatientState::kClosed)) {
    return std::optional<Bytes>();
  }
  return std::optional<Bytes>(select.ColumnBlob(1));
}

trace::TraceEntry DestructionEntry(const std::string& ins, const DueDate& due, UnixMillis now) {
  trace::TraceEntry entry;
  entry.time = now;
  entry.terminal_id = kSweepTerminal;
  entry.patient_ins = ins;
  entry.action = kDestroyAction;
  entry.mode = "normal";
  entry.decision = trace::Decision::kAllow;
  entry.rule_id = due.rule_id;
  return entry;
}

enum class Outcome { kDestroyed, kKept, kGone };

// One dossier, decided and destroyed in one transaction.
Status SweepOne(store::SqliteStore& store,
                trace::TraceLog& log,
                const RetentionRules& rules,
                const std::string& ins,
                SweepReport& report) {
  Outcome outcome = Outcome::kGone;
  DueDate due;
  uint64_t index = 0;
  Status problem = Status::Ok();
  Status written = store.Transact([&](store::Transaction& txn) -> Status {
    CARNET_ASSIGN_OR_RETURN(std::optional<Bytes> settings, ClosedSettings(txn.db(), ins));
    if (!settings) return Status::Ok();  // reopened or destroyed since the listing
    auto computed = DestructionDue(*settings, rules);
    if (!computed.ok()) {
      problem = computed.status();  // never destroy on doubt; nothing written
      return Status::Ok();
    }
    due = *computed;
    if (report.now < due.at) {
      outcome = Outcome::kKept;
      return Status::Ok();
    }
    CARNET_TRY(txn.ErasePatientKey(ins));
    CARNET_ASSIGN_OR_RETURN(index, log.Append(txn, DestructionEntry(ins, due, report.now)));
    outcome = Outcome::kDestroyed;
    return Status::Ok();
  });
  if (!written.ok()) return written;
  if (!problem.ok()) {
    report.problems.push_back({ins, problem.message()});
  } else if (outcome == Outcome::kDestroyed) {
    report.destroyed.push_back({ins, due.rule_id, due.closed_at, due.at, index});
  } else if (outcome == Outcome::kKept) {
    report.kept.push_back({ins, due.closed_at, due.at});
  }
  return Status::Ok();
}

Value Time(UnixMillis t) { return Value::String(FormatRfc3339(t)); }

}  // namespace

Result<DueDate> DestructionDue(ByteView settings_json, const RetentionRules& rules) {
  auto dossier = policy::ParseDossierJson(ToString(settings_json));
  if (!dossier.ok()) return dossier.status().Annotate("dossier settings");
  if (!dossier->closed_at) {
    return InvalidArgument("dossier settings: closed dossier without closed_at");
  }
  DueDate due;
  due.closed_at = *dossier->closed_at;
  due.at = rules.closed_years == 10 ? policy::RetentionEnd(due.closed_at)
                                    : policy::AddYears(due.closed_at, rules.closed_years);
  due.rule_id = std::string(policy::RuleId(policy::Rule::kDossierRetentionExpired));
  if (dossier->deletion_requested_at) {
    UnixMillis deletion = policy::DeletionDue(*dossier->deletion_requested_at);
    if (deletion < due.at) {
      due.at = deletion;
      due.rule_id = std::string(policy::RuleId(policy::Rule::kDossierDeletionDue));
    }
  }
  return due;
}

Result<SweepReport> Sweep(store::SqliteStore& store,
                          trace::TraceLog& log,
                          const RetentionRules& rules,
                          UnixMillis now) {
  SweepReport report;
  report.now = now;
  CARNET_ASSIGN_OR_RETURN(std::vector<std::string> closed, ClosedPatients(store));
  for (const std::string& ins : closed) {
    CARNET_TRY(SweepOne(store, log, rules, ins, report).Annotate("patient " + ins));
  }
  CARNET_ASSIGN_OR_RETURN(report.unreadable, store.SweepUnreadable());
  return report;
}

std::string ReportToJson(const SweepReport& report) {
  Value destroyed = Value::MakeArray();
  for (const DestroyedDossier& d : report.destroyed) {
    Value item = Value::MakeObject();
    item.Set("ins", Value::String(d.ins));
    item.Set("rule", Value::String(d.rule_id));
    item.Set("closed_at", Time(d.closed_at));
    item.Set("due_at", Time(d.due_at));
    item.Set("trace_index", Value::Int(static_cast<int64_t>(d.trace_index)));
    destroyed.Append(std::move(item));
  }
  Value kept = Value::MakeArray();
  for (const KeptDossier& k : report.kept) {
    Value item = Value::MakeObject();
    item.Set("ins", Value::String(k.ins));
    item.Set("closed_at", Time(k.closed_at));
    item.Set("due_at", Time(k.due_at));
    kept.Append(std::move(item));
  }
  Value problems = Value::MakeArray();
  for (const SweepProblem& p : report.problems) {
    Value item = Value::MakeObject();
    item.Set("ins", Value::String(p.ins));
    item.Set("reason", Value::String(p.reason));
    problems.Append(std::move(item));
  }
  Value unreadable = Value::MakeArray();
  for (const store::UnreadableDocument& u : report.unreadable) {
    Value item = Value::MakeObject();
    item.Set("id", Value::String(u.id));
    item.Set("version", Value::Int(static_cast<int64_t>(u.version)));
    item.Set("ins", Value::String(u.ins));
    unreadable.Append(std::move(item));
  }
  Value root = Value::MakeObject();
  root.Set("now", Time(report.now));
  root.Set("destroyed", std::move(destroyed));
  root.Set("kept", std::move(kept));
  root.Set("problems", std::move(problems));
  root.Set("unreadable", std::move(unreadable));
  return json::Write(root);
}

}  // namespace carnet::node::retention
