#pragma once
// Retention sweep (DESIGN.md §4 item 8): a closed dossier is kept `closed_years` (10) after its
// closure, or until 3 months after the patient asked for early deletion, and is then destroyed
// by erasing its patient key (crypto-shredding): the sealed documents stay in the database as
// blobs nobody can open until they are purged.
//
// When a dossier is due is the policy's notion (node/policy calendar.h): AddYears(closed_at,
// closed_years) — RetentionEnd when closed_years is 10 — and DeletionDue(deletion_requested_at),
// both reached AT the computed instant, the same instants at which the engine starts answering
// DOSSIER_RETENTION_EXPIRED / DOSSIER_DELETION_DUE. The dossier settings are the JSON of
// node/policy dossier_json.h, stored in the patient record.
//
// Each destruction is decided and done inside one store transaction: the patient row is read
// again there (state still "closed", settings still due), the key is erased and a trace entry
// (action "destroy_key", rule DOSSIER_RETENTION_EXPIRED or DOSSIER_DELETION_DUE, decision
// allow, terminal "retention-sweep") is appended — both durable together or neither. A
// dossier whose settings cannot be read, or that has no closure date, is never destroyed: it
// is reported as a problem for the operator. Running the sweep again destroys nothing twice
// (the state is then "key_destroyed").

#include <cstdint>
#include <string>
#include <vector>

#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/status.h"
#include "node/store/sqlite_store.h"
#include "node/store/store.h"
#include "node/trace/trace_log.h"

namespace carnet::node::retention {

inline constexpr char kSweepTerminal[] = "retention-sweep";
inline constexpr char kDestroyAction[] = "destroy_key";

struct RetentionRules {
  int closed_years = 10;  // config [retention] closed_years
};

struct DestroyedDossier {
  std::string ins;
  std::string rule_id;  // DOSSIER_RETENTION_EXPIRED or DOSSIER_DELETION_DUE
  UnixMillis closed_at = 0;
  UnixMillis due_at = 0;
  uint64_t trace_index = 0;
};

struct KeptDossier {  // closed, not yet due
  std::string ins;
  UnixMillis closed_at = 0;
  UnixMillis due_at = 0;
};

struct SweepProblem {
  std::string ins;
  std::string reason;
};

struct SweepReport {
  UnixMillis now = 0;
  std::vector<DestroyedDossier> destroyed;  // this run
  std::vector<KeptDossier> kept;
  std::vector<SweepProblem> problems;  // closed dossiers the sweep could not decide on
  // Store::SweepUnreadable after the run: every document under a destroyed key (this run's
  // and earlier runs').
  std::vector<store::UnreadableDocument> unreadable;
};

// When the closed dossier described by `settings_json` is due for destruction, and by which
// rule. kInvalidArgument when the settings do not parse or have no closure date.
struct DueDate {
  UnixMillis at = 0;
  UnixMillis closed_at = 0;
  std::string rule_id;
};
Result<DueDate> DestructionDue(ByteView settings_json, const RetentionRules& rules);

// Destroys the keys of every closed dossier due at `now` (see above). An error is returned
// only when the store or the trace log fails; what was destroyed before stays destroyed
// (each destruction is its own transaction).
Result<SweepReport> Sweep(store::SqliteStore& store,
                          trace::TraceLog& log,
                          const RetentionRules& rules,
                          UnixMillis now);

// The report as one JSON object (README.md): now, destroyed, kept, problems, unreadable.
std::string ReportToJson(const SweepReport& report);

}  // namespace carnet::node::retention
