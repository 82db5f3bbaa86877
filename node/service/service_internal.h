#pragma once
// node/service internals shared by its .cc files (not a public header).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/protocol/request.h"
#include "crypto/protocol/response.h"
#include "hal/base/bytes.h"
#include "node/authn/authenticator.h"
#include "node/policy/model.h"
#include "node/service/node_context.h"
#include "node/store/store.h"
#include "node/store/transaction.h"

namespace carnet::node::service::internal {

// ---- doc_codec.cc: what a stored document keeps besides the store's columns ----

// The `confidentiality` column: comma-separated tokens "masque_ps", "invisible_patient",
// "invisible_representants_legaux", "revealed", "hl7:N|R|V". Unknown tokens are ignored.
struct DocFlags {
  bool masque_ps = false;
  bool invisible_patient = false;
  bool invisible_representatives = false;
  bool revealed = false;
  std::vector<std::string> hl7;
};
std::string FormatFlags(const DocFlags& flags);
DocFlags ParseFlags(std::string_view text);

// The sealed plaintext: "CDOC1" ‖ 3 × (u32be len ‖ bytes: title, content type, replaces) ‖
// content. Title and content type are sealed with the content: a title names an illness.
struct SealedDocument {
  std::string title;
  std::string content_type;
  std::string replaces;  // "" = none
  Bytes content;
};
Bytes FrameDocument(const SealedDocument& doc);
Result<SealedDocument> UnframeDocument(ByteView plaintext);

// ---- snapshot.cc: the dossier as stored, and the policy request built from it ----

struct Snapshot {
  bool exists = false;
  store::PatientRecord patient;
  policy::Dossier dossier;                       // state kNone when !exists
  std::vector<store::DocumentRecord> documents;  // every version (headers: no blob)
};
Result<Snapshot> LoadSnapshot(store::SqliteStore& store, const std::string& ins);

policy::Document ToPolicyDocument(const store::DocumentRecord& record);
protocol::DocumentStatus ToProtocolStatus(std::string_view status);
// The stored version `ref` names (its version, or the highest one), or nullptr.
const store::DocumentRecord* FindDocument(const Snapshot& snap,
                                          std::string_view id,
                                          std::optional<uint64_t> version);

struct Plan {
  policy::Request request;
  const store::DocumentRecord* target = nullptr;     // stored document the action is about
  std::vector<const store::DocumentRecord*> listed;  // list: candidates, as request.documents
  std::string document_id;                           // for the trace ("" = none)
  // A refusal decided before the engine (unknown document, open without consent...).
  std::optional<std::string> deny_rule;
  std::string deny_reason;
  protocol::ErrorCode deny_code = protocol::ErrorCode::kDenied;
};
Plan MakePlan(const authn::AuthenticatedRequest& auth, const Snapshot& snap, UnixMillis now);

// ---- actions.cc: results and changes ----

// Everything the transaction writes besides the trace entry and the request record.
struct Change {
  std::optional<std::string> document_id;  // for the Ack
  std::optional<uint64_t> version;
};

// For status, list, read, traces: the result, computed before the transaction (reads only).
Result<protocol::ResponseBody> ReadResult(NodeContext& ctx,
                                          const authn::AuthenticatedRequest& auth,
                                          const Snapshot& snap,
                                          const Plan& plan,
                                          const policy::Decision& decision);
bool IsReadAction(protocol::Action action);

// Inside the transaction, for an allowed write / lifecycle / setting action.
Result<Change> ApplyChange(NodeContext& ctx,
                           store::Transaction& txn,
                           const authn::AuthenticatedRequest& auth,
                           const Snapshot& snap,
                           const Plan& plan,
                           const policy::Decision& decision,
                           UnixMillis now);

// The notifications an allowed decision requires (without trace index). First-access
// notices are filtered against the store inside the transaction by the caller.
std::vector<store::NotificationRecord> Notifications(const authn::AuthenticatedRequest& auth,
                                                     const Plan& plan,
                                                     const policy::Decision& decision,
                                                     const Change& change,
                                                     UnixMillis now);

}  // namespace carnet::node::service::internal
