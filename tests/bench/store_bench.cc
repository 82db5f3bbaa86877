#include "tests/bench/store_bench.h"

#include <atomic>
#include <random>
#include <thread>

#include "node/store/sqlite_store.h"
#include "node/store/transaction.h"
#include "node/trace/trace_log.h"
#include "tests/bench/requests.h"

namespace carnet::bench {
namespace {

constexpr size_t kDocsPerPatient = 10;
constexpr size_t kHeavyDocs = 1000;  // protocol Limits::max_list_entries
constexpr size_t kRowsPerFillClosure = 5000;

std::string Ins(size_t i) { return SyntheticIns(i); }

// Bulk rows carry a 512-byte sealed blob (so 10^6 rows stay ~0.7 GB); the heavy patient's
// rows a sealed 4 KiB document.
node::store::DocumentRecord Doc(const std::string& ins, size_t n, size_t sealed_size = 512) {
  node::store::DocumentRecord d;
  d.id = Fmt("doc-%zu", n);
  d.ins = ins;
  d.type_code = "11488-4";
  d.author_id_nat = "899700218896";
  d.confidentiality = "N";
  d.status = "active";
  d.deposited_at = 1'700'000'000'000 + static_cast<UnixMillis>(n);
  d.sealed = Bytes(sealed_size, static_cast<uint8_t>(n));
  return d;
}

// Direct fill: thousands of rows per Transact closure (one fsync per closure), through the
// same Transaction::PutPatient / PutDocument the node uses, instead of one request each.
void Fill(node::store::SqliteStore& store, size_t& stored, size_t target) {
  while (stored < target) {
    size_t end = std::min(target, stored + kRowsPerFillClosure);
    MustOk(store.Transact([&](node::store::Transaction& txn) -> Status {
      for (size_t n = stored; n < end; ++n) {
        const std::string ins = Ins(n / kDocsPerPatient);
        if (n % kDocsPerPatient == 0) {
          CARNET_TRY(
              txn.PutPatient({ins, Bytes(40, 0x11), node::store::PatientState::kActive, {}}));
        }
        CARNET_TRY(txn.PutDocument(Doc(ins, n)));
      }
      return Status::Ok();
    }),
           "filling the store");
    stored = end;
  }
}

void MeasureList(Table& table,
                 node::store::SqliteStore& store,
                 size_t stored,
                 const std::string& heavy_ins) {
  std::mt19937_64 rng(stored);
  const size_t patients = stored / kDocsPerPatient;
  std::vector<double> small, heavy;
  for (int i = 0; i < 300; ++i) {
    const std::string ins = Ins(1 + rng() % (patients - 1));
    auto t0 = Clock::now();
    auto docs = Must(store.ListDocuments(ins), "list");
    small.push_back(SecondsSince(t0));
    if (docs.size() != kDocsPerPatient) MustOk(Internal("list returned the wrong count"), "list");
  }
  for (int i = 0; i < 30; ++i) {
    auto t0 = Clock::now();
    (void)Must(store.ListDocuments(heavy_ins), "list");
    heavy.push_back(SecondsSince(t0));
  }
  LatencyStats s = Summarize(small), h = Summarize(heavy);
  table.Add("store list", Fmt("ListDocuments, 10 docs of one patient, %zu stored", stored),
            Fmt("p50 %.3f ms, p99 %.3f ms", s.p50_ms, s.p99_ms), "n=300, random patients");
  table.Add("store list", Fmt("ListDocuments, 1000 docs of one patient, %zu stored", stored),
            Fmt("p50 %.2f ms, p99 %.2f ms", h.p50_ms, h.p99_ms),
            "n=30; each row carries its sealed 4 KiB blob");
}

node::trace::TraceEntry Entry(size_t n) {
  node::trace::TraceEntry e;
  e.time = 1'700'000'000'000 + static_cast<UnixMillis>(n);
  e.terminal_id = "TERM-0001";
  e.request_id = Fmt("%032zx", n);
  e.actor_id_nat = "899700218896";
  e.patient_ins = Ins(n % 1000);
  e.action = "deposit";
  e.document_id = Fmt("doc-%zu", n);
  e.mode = "normal";
  e.decision = node::trace::Decision::kAllow;
  e.rule_id = "WRITE_ALLOWED";
  return e;
}

void MeasureAppends(Table& table, const std::string& workdir, double seconds) {
  auto store = Must(node::store::SqliteStore::Open(workdir + "/trace.db"), "trace store");
  auto log = Must(node::trace::TraceLog::Open(*store), "trace log");
  std::atomic<size_t> next{0};
  for (int threads : {1, 8, 32}) {
    auto before = store->WriterStats();
    std::atomic<size_t> done{0};
    auto t0 = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        while (SecondsSince(t0) < seconds) {
          const size_t n = next++;
          MustOk(store->Transact([&](node::store::Transaction& txn) -> Status {
            return log->Append(txn, Entry(n)).status();
          }),
                 "trace append");
          ++done;
        }
      });
    }
    for (auto& t : pool) t.join();
    const double s = SecondsSince(t0);
    auto after = store->WriterStats();
    table.Add("trace log", Fmt("durable appends, %d concurrent writers", threads),
              Fmt("%.0f /s", static_cast<double>(done.load()) / s),
              Fmt("n=%zu, %llu transactions (group commit), one Transact per append", done.load(),
                  static_cast<unsigned long long>(after.transactions - before.transactions)));
  }
  auto t0 = Clock::now();
  (void)Must(log->Root(Must(log->Size(), "size")), "root");
  table.Add("trace log", "Root() after the appends (tree catch-up)",
            Fmt("%.2f ms", SecondsSince(t0) * 1000), Fmt("%zu entries", next.load()));
}

}  // namespace

void MeasureStore(Table& table, const StoreBenchOptions& options) {
  auto store = Must(node::store::SqliteStore::Open(options.workdir + "/list.db"), "list store");
  const std::string heavy_ins = Ins(999'999);
  MustOk(store->Transact([&](node::store::Transaction& txn) -> Status {
    CARNET_TRY(
        txn.PutPatient({heavy_ins, Bytes(40, 0x11), node::store::PatientState::kActive, {}}));
    for (size_t n = 0; n < kHeavyDocs; ++n) {
      CARNET_TRY(txn.PutDocument(Doc(heavy_ins, 10'000'000 + n, 4096 + 28)));
    }
    return Status::Ok();
  }),
         "the heavy patient");
  size_t stored = 0;
  for (size_t target = 10'000; target <= options.max_documents; target *= 10) {
    auto t0 = Clock::now();
    Fill(*store, stored, target);
    std::fprintf(stderr, "  filled %zu documents in %.1f s\n", stored, SecondsSince(t0));
    MeasureList(table, *store, stored, heavy_ins);
  }
  MeasureAppends(table, options.workdir, options.append_seconds);
}

}  // namespace carnet::bench
