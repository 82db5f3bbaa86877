#pragma once
// Store: what the node keeps durably (DESIGN.md §5), behind an interface so that a PostgreSQL
// backend can implement it later. SqliteStore (sqlite_store.h) is the first backend.
//
// The store keeps sealed bytes only: documents arrive already sealed (envelope.h) and patient
// keys already wrapped with the KEK, so a backend never sees plaintext or an unwrapped key.
//
// Contract for every backend:
// - A write that returned OK is durable (SQLite: WAL + synchronous=FULL).
// - Put* of something that exists (same INS; same document id and version; same request id and
//   terminal id) fails with kAlreadyExists and changes nothing.
// - Get* of something absent is kNotFound.
// - DestroyPatientKey (crypto-shredding, retention): the wrapped key is erased from the live
//   database, the patient's state becomes kKeyDestroyed, documents stay as unreadable blobs
//   until purged and SweepUnreadable() lists them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/status.h"

namespace carnet::node::store {

enum class PatientState { kActive, kClosed, kKeyDestroyed };
std::string_view PatientStateName(PatientState state);
Result<PatientState> ParsePatientState(std::string_view name);

struct PatientRecord {
  std::string ins;
  Bytes wrapped_key;  // empty once the key is destroyed
  PatientState state = PatientState::kActive;
  Bytes settings;  // dossier settings, encoded by the caller
};

struct DocumentRecord {
  std::string id;
  std::string ins;
  uint64_t version = 1;
  std::string type_code;        // LOINC / DMP type code
  std::string author_id_nat;    // idNat of the depositing professional
  std::string confidentiality;  // confidentiality flags, as text
  std::string status;           // e.g. "active", "archived", "deleted"
  UnixMillis deposited_at = 0;
  Bytes sealed;  // envelope.h SealDocument output
};

// One request as first seen, for idempotency and replay detection: the same (request id,
// terminal id) with the same content hash returns `response`; with another hash it is a replay.
struct RequestRecord {
  std::string request_id;
  std::string terminal_id;
  Bytes content_hash;
  Bytes response;
  UnixMillis received_at = 0;
};

// A notification the policy requires (DESIGN.md §4 step 7), kept until an operator delivers
// it: a professional's first access to a dossier, each emergency (bris de glace / centre 15)
// access, each new visible document. `trace_index` is the trace log entry that recorded the
// decision behind it, so a notification can always be tied back to the log.
enum class NotificationKind { kFirstAccess, kEmergencyAccess, kNewDocument };
std::string_view NotificationKindName(NotificationKind kind);  // "first_access", ...
Result<NotificationKind> ParseNotificationKind(std::string_view name);

struct NotificationRecord {
  int64_t id = 0;  // assigned by the store on insertion
  NotificationKind kind = NotificationKind::kFirstAccess;
  std::string ins;
  std::string actor_id_nat;
  std::string document_id;  // empty when the notification is about no particular document
  UnixMillis created_at = 0;
  uint64_t trace_index = 0;
  std::optional<UnixMillis> delivered_at;  // nullopt while pending
};

// A document whose patient key was destroyed: what a retention sweep reports.
struct UnreadableDocument {
  std::string id;
  uint64_t version = 0;
  std::string ins;
};

class Store {
 public:
  virtual ~Store() = default;

  virtual Status PutPatient(const PatientRecord& patient) = 0;
  virtual Result<PatientRecord> GetPatient(std::string_view ins) = 0;
  virtual Status SetPatientState(std::string_view ins, PatientState state) = 0;
  virtual Status SetPatientSettings(std::string_view ins, ByteView settings) = 0;
  // Erases the wrapped key (kNotFound if no such patient). Idempotent.
  virtual Status DestroyPatientKey(std::string_view ins) = 0;

  // The patient must exist (kFailedPrecondition otherwise).
  virtual Status PutDocument(const DocumentRecord& document) = 0;
  virtual Result<DocumentRecord> GetDocument(std::string_view id, uint64_t version) = 0;
  // Every version of every document of `ins`, ordered by id then version.
  virtual Result<std::vector<DocumentRecord>> ListDocuments(std::string_view ins) = 0;
  // The same without the sealed blobs (`sealed` left empty): what a listing or a policy
  // decision needs, without reading every document of a dossier.
  virtual Result<std::vector<DocumentRecord>> ListDocumentHeaders(std::string_view ins) = 0;
  virtual Status SetDocumentStatus(std::string_view id,
                                   uint64_t version,
                                   std::string_view status) = 0;

  virtual Status PutRequest(const RequestRecord& request) = 0;
  // nullopt if never seen.
  virtual Result<std::optional<RequestRecord>> FindRequest(std::string_view request_id,
                                                           std::string_view terminal_id) = 0;

  // Stores a notification and returns its id (`id` and `delivered_at` of the record are
  // ignored: a new notification is pending).
  virtual Result<int64_t> PutNotification(const NotificationRecord& notification) = 0;
  // Ordered by id. pending_only: those not yet delivered.
  virtual Result<std::vector<NotificationRecord>> ListNotifications(bool pending_only) = 0;
  // kNotFound for an unknown id. Idempotent: a delivered notification keeps its first time.
  virtual Status MarkNotificationDelivered(int64_t id, UnixMillis delivered_at) = 0;

  // Documents stored under a patient whose key is destroyed.
  virtual Result<std::vector<UnreadableDocument>> SweepUnreadable() = 0;
};

}  // namespace carnet::node::store
