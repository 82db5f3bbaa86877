#include "node/store/transaction.h"

#include <cstdint>
#include <string>

namespace carnet::node::store {
namespace {

// kNotFound unless the last UPDATE/DELETE touched a row.
Status ExpectChanged(const Db& db, std::string what) {
  return db.Changes() > 0 ? Status::Ok() : NotFound(std::move(what) + " not found");
}

}  // namespace

Result<int64_t> ToSqlInteger(uint64_t value, std::string_view what) {
  if (value > static_cast<uint64_t>(INT64_MAX)) {
    return InvalidArgument(std::string(what) + " too large");
  }
  return static_cast<int64_t>(value);
}

Status Transaction::PutPatient(const PatientRecord& patient) {
  CARNET_ASSIGN_OR_RETURN(
      auto insert,
      db_.Prepare("INSERT INTO patients (ins, wrapped_key, state, settings) VALUES (?,?,?,?)"));
  CARNET_TRY(insert.BindText(1, patient.ins));
  CARNET_TRY(insert.BindBlob(2, patient.wrapped_key));
  CARNET_TRY(insert.BindText(3, PatientStateName(patient.state)));
  CARNET_TRY(insert.BindBlob(4, patient.settings));
  return insert.Run();
}

Status Transaction::SetPatientState(std::string_view ins, PatientState state) {
  CARNET_ASSIGN_OR_RETURN(auto update, db_.Prepare("UPDATE patients SET state = ? WHERE ins = ?"));
  CARNET_TRY(update.BindText(1, PatientStateName(state)));
  CARNET_TRY(update.BindText(2, ins));
  CARNET_TRY(update.Run());
  return ExpectChanged(db_, "patient " + std::string(ins));
}

Status Transaction::SetPatientSettings(std::string_view ins, ByteView settings) {
  CARNET_ASSIGN_OR_RETURN(auto update,
                          db_.Prepare("UPDATE patients SET settings = ? WHERE ins = ?"));
  CARNET_TRY(update.BindBlob(1, settings));
  CARNET_TRY(update.BindText(2, ins));
  CARNET_TRY(update.Run());
  return ExpectChanged(db_, "patient " + std::string(ins));
}

Status Transaction::ErasePatientKey(std::string_view ins) {
  // secure_delete=ON zeroes the freed cell content in the database file.
  CARNET_ASSIGN_OR_RETURN(
      auto update, db_.Prepare("UPDATE patients SET wrapped_key = NULL, state = ? WHERE ins = ?"));
  CARNET_TRY(update.BindText(1, PatientStateName(PatientState::kKeyDestroyed)));
  CARNET_TRY(update.BindText(2, ins));
  CARNET_TRY(update.Run());
  return ExpectChanged(db_, "patient " + std::string(ins));
}

Status Transaction::PutDocument(const DocumentRecord& d) {
  CARNET_ASSIGN_OR_RETURN(int64_t version, ToSqlInteger(d.version, "version"));
  CARNET_ASSIGN_OR_RETURN(
      auto insert, db_.Prepare("INSERT INTO documents (id, version, ins, type_code, author_id_nat, "
                               "confidentiality, status, deposited_at, sealed) "
                               "VALUES (?,?,?,?,?,?,?,?,?)"));
  CARNET_TRY(insert.BindText(1, d.id));
  CARNET_TRY(insert.BindInt(2, version));
  CARNET_TRY(insert.BindText(3, d.ins));
  CARNET_TRY(insert.BindText(4, d.type_code));
  CARNET_TRY(insert.BindText(5, d.author_id_nat));
  CARNET_TRY(insert.BindText(6, d.confidentiality));
  CARNET_TRY(insert.BindText(7, d.status));
  CARNET_TRY(insert.BindInt(8, d.deposited_at));
  CARNET_TRY(insert.BindBlob(9, d.sealed));
  return insert.Run();
}

Status Transaction::SetDocumentStatus(std::string_view id,
                                      uint64_t version,
                                      std::string_view status) {
  CARNET_ASSIGN_OR_RETURN(int64_t sql_version, ToSqlInteger(version, "version"));
  CARNET_ASSIGN_OR_RETURN(
      auto update, db_.Prepare("UPDATE documents SET status = ? WHERE id = ? AND version = ?"));
  CARNET_TRY(update.BindText(1, status));
  CARNET_TRY(update.BindText(2, id));
  CARNET_TRY(update.BindInt(3, sql_version));
  CARNET_TRY(update.Run());
  return ExpectChanged(db_, "document " + std::string(id));
}

Status Transaction::SetDocumentConfidentiality(std::string_view id,
                                               uint64_t version,
                                               std::string_view confidentiality) {
  CARNET_ASSIGN_OR_RETURN(int64_t sql_version, ToSqlInteger(version, "version"));
  CARNET_ASSIGN_OR_RETURN(
      auto update,
      db_.Prepare("UPDATE documents SET confidentiality = ? WHERE id = ? AND version = ?"));
  CARNET_TRY(update.BindText(1, confidentiality));
  CARNET_TRY(update.BindText(2, id));
  CARNET_TRY(update.BindInt(3, sql_version));
  CARNET_TRY(update.Run());
  return ExpectChanged(db_, "document " + std::string(id));
}

Result<bool> Transaction::HasNotification(NotificationKind kind,
                                          std::string_view ins,
                                          std::string_view actor_id_nat) {
  CARNET_ASSIGN_OR_RETURN(auto query,
                          db_.Prepare("SELECT 1 FROM notifications WHERE kind = ? AND ins = ? "
                                      "AND actor_id_nat = ? LIMIT 1"));
  CARNET_TRY(query.BindText(1, NotificationKindName(kind)));
  CARNET_TRY(query.BindText(2, ins));
  CARNET_TRY(query.BindText(3, actor_id_nat));
  return query.Step();
}

Status Transaction::PutRequest(const RequestRecord& r) {
  CARNET_ASSIGN_OR_RETURN(auto insert,
                          db_.Prepare("INSERT INTO requests (request_id, terminal_id, "
                                      "content_hash, response, received_at) VALUES (?,?,?,?,?)"));
  CARNET_TRY(insert.BindText(1, r.request_id));
  CARNET_TRY(insert.BindText(2, r.terminal_id));
  CARNET_TRY(insert.BindBlob(3, r.content_hash));
  CARNET_TRY(insert.BindBlob(4, r.response));
  CARNET_TRY(insert.BindInt(5, r.received_at));
  return insert.Run();
}

Result<int64_t> Transaction::PutNotification(const NotificationRecord& n) {
  CARNET_ASSIGN_OR_RETURN(int64_t trace_index, ToSqlInteger(n.trace_index, "trace index"));
  CARNET_ASSIGN_OR_RETURN(
      auto insert, db_.Prepare("INSERT INTO notifications (kind, ins, actor_id_nat, document_id, "
                               "created_at, trace_index) VALUES (?,?,?,?,?,?) RETURNING id"));
  CARNET_TRY(insert.BindText(1, NotificationKindName(n.kind)));
  CARNET_TRY(insert.BindText(2, n.ins));
  CARNET_TRY(insert.BindText(3, n.actor_id_nat));
  CARNET_TRY(insert.BindText(4, n.document_id));
  CARNET_TRY(insert.BindInt(5, n.created_at));
  CARNET_TRY(insert.BindInt(6, trace_index));
  CARNET_ASSIGN_OR_RETURN(bool row, insert.Step());
  if (!row) return Internal("notification insert returned no id");
  int64_t id = insert.ColumnInt(0);
  CARNET_TRY(insert.Step().status());  // runs the statement to completion
  return id;
}

Status Transaction::MarkNotificationDelivered(int64_t id, UnixMillis delivered_at) {
  CARNET_ASSIGN_OR_RETURN(auto select, db_.Prepare("SELECT 1 FROM notifications WHERE id = ?"));
  CARNET_TRY(select.BindInt(1, id));
  CARNET_ASSIGN_OR_RETURN(bool exists, select.Step());
  if (!exists) return NotFound("notification " + std::to_string(id) + " not found");
  CARNET_ASSIGN_OR_RETURN(auto update, db_.Prepare("UPDATE notifications SET delivered_at = ? "
                                                   "WHERE id = ? AND delivered_at IS NULL"));
  CARNET_TRY(update.BindInt(1, delivered_at));
  CARNET_TRY(update.BindInt(2, id));
  return update.Run();
}

}  // namespace carnet::node::store
