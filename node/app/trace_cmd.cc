// `carnet-node trace sth|export|prove|verify --config FILE ...`: the operator's and the
// auditor's view of the trace log (node/trace). verify is in trace_verify.cc; the JSON form
// of heads and the record of published heads in trace_heads.h.
#include <cstdio>
#include <string>
#include <vector>

#include "crypto/core/random.h"
#include "crypto/merkle/merkle.h"
#include "hal/base/json.h"
#include "node/app/commands.h"
#include "node/app/operator_cli.h"
#include "node/app/trace_heads.h"
#include "node/app/trace_verify.h"
#include "node/trace/entry.h"

namespace carnet::node::app {
namespace {

constexpr char kUsage[] =
    "usage: carnet-node trace <sth|export|prove|verify> --config FILE [options]\n"
    "\n"
    "  sth --config FILE [--json]\n"
    "      signs a tree head over every committed entry with the log key ([trace] log_key),\n"
    "      timestamp now, prints it and records it in DATA_DIR/trace-heads.jsonl (the heads\n"
    "      published, which `verify` checks against). --json: {\"tree_size\", \"timestamp\" (ms),\n"
    "      \"root_hash\" (hex), \"signature\" (base64 DER ECDSA P-256 over the RFC 6962 section\n"
    "      3.5 TreeHeadSignature), \"log_public_key\" (PEM)}.\n"
    "  export --config FILE [--begin I] [--end J]\n"
    "      one JSON object per line and entry: \"index\", \"leaf\" (base64 of the exact bytes\n"
    "      hashed as the leaf: SHA-256(0x00 || leaf)), then the decoded fields v, time,\n"
    "      terminal, request, actor, patient, action, document, mode, decision, rule.\n"
    "  prove --config FILE --index I [--size N] [--json]\n"
    "      the RFC 6962 audit path of entry I in the tree of the first N entries (default: all\n"
    "      committed): {\"index\", \"tree_size\", \"leaf_hash\", \"root_hash\", \"audit_path\"}, "
    "hex.\n"
    "  verify --config FILE [--sth FILE] [--json]\n"
    "      the whole-log audit: every stored leaf hash and index, every entry decoded, every\n"
    "      recorded head (or the head in --sth FILE, as printed by `sth --json`) checked with\n"
    "      [trace] log_public_key and against the root recomputed from the entries. Without any\n"
    "      recorded head, a head is signed now (which proves only internal consistency).\n"
    "\n"
    "Exit 0 done (verify: the log is intact), 1 failed (verify: tampering found, the message\n"
    "names the index), 2 usage error.\n";

constexpr std::string_view kCmd = "trace";

Result<uint64_t> ParseIndex(const OperatorArgs& a, std::string_view name, uint64_t fallback) {
  const std::string* v = a.Value(name);
  if (v == nullptr) return fallback;
  if (v->empty() || v->size() > 18 || v->find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgument(std::string(name) + " must be a non-negative integer");
  }
  return static_cast<uint64_t>(std::stoull(*v));
}

int Sth(const config::NodeConfig& config, OpenedStore& opened, bool as_json) {
  auto key = LoadLogPrivateKey(config);
  if (!key.ok()) return Fail(kCmd, kExitFailed, key.status().message());
  auto public_key = LoadLogPublicKey(config);
  if (!public_key.ok()) return Fail(kCmd, kExitFailed, public_key.status().message());
  // Auditors check heads with the public key: a head the published key cannot verify is
  // worse than none.
  if (key->public_key().ToDer() != public_key->ToDer()) {
    return Fail(kCmd, kExitFailed,
                "[trace] log_key and log_public_key are not one key pair: fix node.conf");
  }
  auto head = opened.log->SignHead(*key, SystemClock::Instance().Now(), crypto::Drbg::ForThread());
  if (!head.ok()) return Fail(kCmd, kExitFailed, head.status().message());
  Status recorded = RecordHead(config, *head);
  if (!recorded.ok()) return Fail(kCmd, kExitFailed, recorded.message());
  if (as_json) {
    std::printf("%s\n", HeadToJson(*head, public_key->ToPem()).c_str());
    return 0;
  }
  std::printf("tree_size  %llu\ntimestamp  %llu (%s)\nroot_hash  %s\nsignature  %s\n",
              static_cast<unsigned long long>(head->tree_size),
              static_cast<unsigned long long>(head->timestamp_ms),
              FormatRfc3339(static_cast<UnixMillis>(head->timestamp_ms)).c_str(),
              HexEncode(head->root).c_str(), Base64Encode(head->signature).c_str());
  std::printf("recorded in %s\n", HeadsFilePath(config).c_str());
  return 0;
}

json::Value ExportLine(uint64_t index, ByteView leaf, const trace::TraceEntry& e) {
  json::Value v = json::Value::MakeObject();
  v.Set("index", json::Value::Int(static_cast<int64_t>(index)));
  v.Set("leaf", json::Value::String(Base64Encode(leaf)));
  v.Set("v", json::Value::Int(static_cast<int64_t>(trace::kEntryVersion)));
  v.Set("time", json::Value::Int(e.time));
  v.Set("terminal", json::Value::String(e.terminal_id));
  v.Set("request", json::Value::String(e.request_id));
  v.Set("actor", json::Value::String(e.actor_id_nat));
  v.Set("patient", json::Value::String(e.patient_ins));
  v.Set("action", json::Value::String(e.action));
  v.Set("document", json::Value::String(e.document_id));
  v.Set("mode", json::Value::String(e.mode));
  v.Set("decision", json::Value::String(std::string(trace::DecisionName(e.decision))));
  v.Set("rule", json::Value::String(e.rule_id));
  return v;
}

int Export(OpenedStore& opened, const OperatorArgs& a) {
  auto size = opened.log->Size();
  if (!size.ok()) return Fail(kCmd, kExitFailed, size.status().message());
  auto begin = ParseIndex(a, "--begin", 0);
  auto end = ParseIndex(a, "--end", *size);
  if (!begin.ok() || !end.ok()) {
    return UsageError(kCmd, kUsage, (begin.ok() ? end.status() : begin.status()).message());
  }
  Status s = opened.log->ForEachEntry(*begin, *end, [](uint64_t index, ByteView entry) -> Status {
    auto decoded = trace::DecodeEntry(entry);
    if (!decoded.ok()) return decoded.status().Annotate("entry " + std::to_string(index));
    std::printf("%s\n", json::Write(ExportLine(index, entry, *decoded)).c_str());
    return Status::Ok();
  });
  if (!s.ok()) return Fail(kCmd, kExitFailed, s.message());
  return 0;
}

int Prove(OpenedStore& opened, const OperatorArgs& a) {
  if (a.Value("--index") == nullptr) return UsageError(kCmd, kUsage, "missing --index I");
  auto committed = opened.log->Size();
  if (!committed.ok()) return Fail(kCmd, kExitFailed, committed.status().message());
  auto index = ParseIndex(a, "--index", 0);
  auto size = ParseIndex(a, "--size", *committed);
  if (!index.ok() || !size.ok()) {
    return UsageError(kCmd, kUsage, (index.ok() ? size.status() : index.status()).message());
  }
  if (*index >= *size || *size > *committed) {
    return Fail(kCmd, kExitFailed,
                "need index < size <= " + std::to_string(*committed) +
                    " (the committed entries); got index " + std::to_string(*index) + ", size " +
                    std::to_string(*size));
  }
  auto entry = opened.log->Entry(*index);
  auto proof = opened.log->InclusionProof(*index, *size);
  auto root = opened.log->Root(*size);
  for (const Status& s : {entry.status(), proof.status(), root.status()}) {
    if (!s.ok()) return Fail(kCmd, kExitFailed, s.message());
  }
  json::Value path = json::Value::MakeArray();
  for (const crypto::merkle::Hash& h : *proof) path.Append(json::Value::String(HexEncode(h)));
  json::Value v = json::Value::MakeObject();
  v.Set("index", json::Value::Int(static_cast<int64_t>(*index)));
  v.Set("tree_size", json::Value::Int(static_cast<int64_t>(*size)));
  v.Set("leaf_hash", json::Value::String(HexEncode(crypto::merkle::LeafHash(*entry))));
  v.Set("root_hash", json::Value::String(HexEncode(*root)));
  v.Set("audit_path", std::move(path));
  if (a.Has("--json")) {
    std::printf("%s\n", json::Write(v).c_str());
    return 0;
  }
  std::printf("entry %llu of a tree of %llu\nleaf_hash  %s\nroot_hash  %s\naudit path:\n",
              static_cast<unsigned long long>(*index), static_cast<unsigned long long>(*size),
              v.Find("leaf_hash")->as_string().c_str(), v.Find("root_hash")->as_string().c_str());
  for (const json::Value& h : v.Find("audit_path")->as_array()) {
    std::printf("  %s\n", h.as_string().c_str());
  }
  return 0;
}

}  // namespace

int RunTrace(Args args) {
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return kExitUsage;
  }
  std::string_view sub = args[0];
  if (sub == "--help" || sub == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (sub != "sth" && sub != "export" && sub != "prove" && sub != "verify") {
    return UsageError(kCmd, kUsage, "unknown sub-command '" + std::string(sub) + "'");
  }
  std::vector<std::string_view> values = {"--config"};
  if (sub == "export") values.insert(values.end(), {"--begin", "--end"});
  if (sub == "prove") values.insert(values.end(), {"--index", "--size"});
  if (sub == "verify") values.push_back("--sth");
  std::vector<std::string_view> flags;
  if (sub != "export") flags.push_back("--json");
  OperatorArgs a = ParseOperatorArgs(args.subspan(1), values, flags);
  if (a.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!a.error.empty()) return UsageError(kCmd, kUsage, a.error);
  if (!a.positional.empty()) return UsageError(kCmd, kUsage, "unexpected " + a.positional[0]);
  if (a.Value("--config") == nullptr) return UsageError(kCmd, kUsage, "missing --config FILE");
  auto config = LoadOperatorConfig(*a.Value("--config"));
  if (!config.ok()) return Fail(kCmd, kExitFailed, config.status().message());
  if (sub == "verify") return RunTraceVerify(*config, a);
  auto opened = OpenNodeStore(*config);
  if (!opened.ok()) return Fail(kCmd, kExitFailed, opened.status().message());
  if (sub == "sth") return Sth(*config, *opened, a.Has("--json"));
  if (sub == "export") return Export(*opened, a);
  return Prove(*opened, a);
}

}  // namespace carnet::node::app
