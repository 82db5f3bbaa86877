// node_operator_fixture: test-only helper that writes what the operator commands read, through
// the real modules (node/store, node/trace), into the database named by a node.conf — so the
// shell tests do not need a running server.
//
//   node_operator_fixture trace-append --config FILE N   append N sample trace entries
//   node_operator_fixture dossiers --config FILE         the retention test's patients:
//     1850299000001  closed 2020-06-01, 2 documents       (retention ends 2030-06-01)
//     1850299000002  open, 1 document
//     1850299000003  closed 2025-01-01, 1 document        (retention ends 2035-01-01)
//     1850299000004  closed 2026-01-15, deletion asked 2026-02-01, 1 document (due 2026-05-01)
//   node_operator_fixture bad-dossier --config FILE      1850299000005 closed, settings "{}"
//   node_operator_fixture many-dossiers --config FILE N  N dossiers closed 2020-06-01, 2 docs each
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>

#include "node/config/config.h"
#include "node/policy/dossier_json.h"
#include "node/store/sqlite_store.h"
#include "node/store/transaction.h"
#include "node/trace/trace_log.h"

namespace carnet::node {
namespace {

trace::TraceEntry Sample(uint64_t n) {
  trace::TraceEntry e;
  e.time = 1'780'000'000'000 + static_cast<UnixMillis>(n);
  e.terminal_id = "TERM-0001";
  e.request_id = "req-" + std::to_string(n);
  e.actor_id_nat = "899700100011";
  e.patient_ins = "1850299000002";
  e.action = n % 2 == 0 ? "read" : "deposit";
  e.document_id = "doc-" + std::to_string(n);
  e.mode = "normal";
  e.decision = n % 3 == 0 ? trace::Decision::kDeny : trace::Decision::kAllow;
  e.rule_id = n % 3 == 0 ? "HABILITATION_DENIED" : "ALLOW_READ";
  return e;
}

Status AppendBatch(store::SqliteStore& store, trace::TraceLog& log, uint64_t first, uint64_t n) {
  return store.Transact([&](store::Transaction& txn) -> Status {
    for (uint64_t i = 0; i < n; ++i) CARNET_TRY(log.Append(txn, Sample(first + i)).status());
    return Status::Ok();
  });
}

// Up to 1000 entries per transaction: one fsync each, so large logs build quickly.
Status AppendEntries(store::SqliteStore& store, uint64_t count) {
  CARNET_ASSIGN_OR_RETURN(auto log, trace::TraceLog::Open(store));
  CARNET_ASSIGN_OR_RETURN(uint64_t size, log->Size());
  for (uint64_t done = 0; done < count;) {
    uint64_t batch = std::min<uint64_t>(count - done, 1000);
    CARNET_TRY(AppendBatch(store, *log, size + done, batch));
    done += batch;
  }
  return Status::Ok();
}

Status AddPatient(store::SqliteStore& store,
                  const std::string& ins,
                  const std::string& settings,
                  store::PatientState state,
                  int documents) {
  const std::string doc_tag = ins.rfind("18502990000", 0) == 0 ? ins.substr(ins.size() - 1) : ins;
  return store.Transact([&](store::Transaction& txn) -> Status {
    store::PatientRecord p;
    p.ins = ins;
    p.wrapped_key = Bytes(40, 0xA5);  // stands for a KEK-wrapped key: never unwrapped here
    p.state = state;
    p.settings = ToBytes(settings);
    CARNET_TRY(txn.PutPatient(p));
    for (int i = 0; i < documents; ++i) {
      store::DocumentRecord d;
      d.id = "doc-" + doc_tag + "-" + std::to_string(i);
      d.ins = ins;
      d.type_code = "11488-4";
      d.author_id_nat = "899700100011";
      d.confidentiality = "N";
      d.status = "active";
      d.deposited_at = 1'700'000'000'000;
      d.sealed = Bytes(64, 0x5A);
      CARNET_TRY(txn.PutDocument(d));
    }
    return Status::Ok();
  });
}

Result<std::string> Closed(const std::string& closed, const std::string& deletion = "") {
  policy::Dossier d;
  d.state = policy::DossierState::kClosed;
  CARNET_ASSIGN_OR_RETURN(d.closed_at, ParseRfc3339(closed));
  if (!deletion.empty()) {
    CARNET_ASSIGN_OR_RETURN(UnixMillis requested, ParseRfc3339(deletion));
    d.deletion_requested_at = requested;
  }
  return policy::DossierToJson(d);
}

Status AddDossiers(store::SqliteStore& store) {
  using store::PatientState;
  CARNET_ASSIGN_OR_RETURN(std::string a, Closed("2020-06-01T00:00:00Z"));
  CARNET_TRY(AddPatient(store, "1850299000001", a, PatientState::kClosed, 2));
  CARNET_TRY(AddPatient(store, "1850299000002", policy::DossierToJson(policy::Dossier{}),
                        PatientState::kActive, 1));
  CARNET_ASSIGN_OR_RETURN(std::string c, Closed("2025-01-01T00:00:00Z"));
  CARNET_TRY(AddPatient(store, "1850299000003", c, PatientState::kClosed, 1));
  CARNET_ASSIGN_OR_RETURN(std::string d, Closed("2026-01-15T00:00:00Z", "2026-02-01T00:00:00Z"));
  return AddPatient(store, "1850299000004", d, PatientState::kClosed, 1);
}

Result<uint64_t> Count(const char* text) {
  uint64_t n = 0;
  std::string_view s(text);
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return InvalidArgument("bad count");
  return n;
}

Status Run(int argc, char** argv) {
  if (argc < 4 || std::string_view(argv[2]) != "--config") {
    return InvalidArgument(
        "usage: node_operator_fixture trace-append|dossiers|bad-dossier "
        "--config FILE [N]");
  }
  std::string_view what = argv[1];
  CARNET_ASSIGN_OR_RETURN(config::NodeConfig config, config::LoadConfig(argv[3]));
  CARNET_ASSIGN_OR_RETURN(auto store, store::SqliteStore::Open(config.store.database));
  if (what == "trace-append" && argc == 5) {
    CARNET_ASSIGN_OR_RETURN(uint64_t n, Count(argv[4]));
    return AppendEntries(*store, n);
  }
  if (what == "dossiers") return AddDossiers(*store);
  if (what == "many-dossiers" && argc == 5) {  // for measurements: N dossiers closed in 2020
    CARNET_ASSIGN_OR_RETURN(std::string closed, Closed("2020-06-01T00:00:00Z"));
    CARNET_ASSIGN_OR_RETURN(uint64_t n, Count(argv[4]));
    for (uint64_t i = 0; i < n; ++i) {
      CARNET_TRY(AddPatient(*store, "2" + std::to_string(100000000000 + i), closed,
                            store::PatientState::kClosed, 2));
    }
    return Status::Ok();
  }
  if (what == "bad-dossier") {
    return AddPatient(*store, "1850299000005", "{}", store::PatientState::kClosed, 1);
  }
  return InvalidArgument("unknown fixture " + std::string(what));
}

}  // namespace
}  // namespace carnet::node

int main(int argc, char** argv) {
  carnet::Status s = carnet::node::Run(argc, argv);
  if (!s.ok()) {
    std::fprintf(stderr, "node_operator_fixture: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}
