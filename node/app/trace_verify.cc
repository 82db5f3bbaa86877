// The whole-log audit. What each check defeats:
//   - stored leaf hash = SHA-256(0x00 || entry), indexes contiguous (TraceLog's catch-up): an
//     entry edited, or a row deleted, in the database without recomputing the hash;
//   - every entry decodes strictly: garbage written with a matching hash;
//   - every recorded head verifies under [trace] log_public_key and its root equals the root
//     recomputed from the first tree_size entries: an entry edited *and* its hash recomputed
//     after a head covering it was published (located between the last head that still
//     matches and the first that does not), or entries removed (fewer entries than a head);
//   - node/trace VerifyLog on the latest head: the same audit, as an outside auditor runs it.
#include "node/app/trace_verify.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "crypto/core/random.h"
#include "crypto/merkle/merkle.h"
#include "crypto/merkle/tree.h"
#include "hal/base/json.h"
#include "node/app/trace_heads.h"
#include "node/directory/atomic_file.h"
#include "node/trace/entry.h"
#include "node/trace/tree_head.h"

namespace carnet::node::app {
namespace {

constexpr std::string_view kCmd = "trace";
constexpr size_t kMaxSthFile = 1 << 20;

struct Audit {
  std::optional<uint64_t> entries;  // nullopt: the log could not even be read back
  size_t heads_checked = 0;
  std::optional<trace::SignedTreeHead> latest;
  bool signed_now = false;  // no recorded head: checked against one signed by this run
  std::string failure;      // empty = intact
};

std::string HeadName(const trace::SignedTreeHead& h) {
  return "the head of tree_size " + std::to_string(h.tree_size) + " signed at " +
         FormatRfc3339(static_cast<UnixMillis>(h.timestamp_ms));
}

// Checks every head against the recomputed tree; fills audit.failure on the first problem.
void CheckHeads(std::vector<trace::SignedTreeHead> heads,
                const crypto::merkle::MerkleTree& tree,
                const crypto::PublicKey& key,
                Audit& audit) {
  std::stable_sort(heads.begin(), heads.end(),
                   [](const auto& x, const auto& y) { return x.tree_size < y.tree_size; });
  uint64_t good = 0;  // the largest tree size whose head still matches
  for (const trace::SignedTreeHead& head : heads) {
    Status sig = trace::VerifySignedTreeHead(head, key);
    if (!sig.ok()) {
      audit.failure =
          HeadName(head) + " does not verify with [trace] log_public_key: " + sig.message();
      return;
    }
    if (head.tree_size > tree.size()) {
      audit.failure = "the log has " + std::to_string(tree.size()) + " entries but " +
                      HeadName(head) + " covers " + std::to_string(head.tree_size) +
                      ": entries from index " + std::to_string(tree.size()) + " were removed";
      return;
    }
    auto root = tree.RootAt(head.tree_size);
    if (!root.ok() || *root != head.root) {
      audit.failure = "the entries no longer hash to the root of " + HeadName(head) +
                      ": an entry with index in [" + std::to_string(good) + ", " +
                      std::to_string(head.tree_size) + ") was changed after that head";
      return;
    }
    good = head.tree_size;
    ++audit.heads_checked;
  }
  if (!heads.empty()) audit.latest = heads.back();
}

Result<std::vector<trace::SignedTreeHead>> LoadHeads(const config::NodeConfig& config,
                                                     const OperatorArgs& a) {
  const std::string* sth = a.Value("--sth");
  if (sth == nullptr) return ReadHeads(HeadsFilePath(config));
  auto text = ReadFileLimited(*sth, kMaxSthFile);
  if (!text.ok()) return text.status().Annotate(*sth);
  auto head = HeadFromJson(*text);
  if (!head.ok()) return head.status().Annotate(*sth);
  return std::vector<trace::SignedTreeHead>{std::move(*head)};
}

// Everything but the heads' loading; returns an error only when the audit could not run.
Status RunAudit(const config::NodeConfig& config,
                const crypto::PublicKey& key,
                std::vector<trace::SignedTreeHead> heads,
                Audit& audit) {
  auto opened = OpenNodeStore(config);
  if (!opened.ok()) {
    if (opened.status().code() != StatusCode::kDataLoss) return opened.status();
    audit.failure = opened.status().message();  // names the leaf index
    return Status::Ok();
  }
  CARNET_ASSIGN_OR_RETURN(uint64_t size, opened->log->Size());
  std::vector<Bytes> entries;
  crypto::merkle::MerkleTree tree;
  CARNET_TRY(opened->log->ForEachEntry(0, size, [&](uint64_t index, ByteView entry) -> Status {
    auto decoded = trace::DecodeEntry(entry);
    if (!decoded.ok() && audit.failure.empty()) {
      audit.failure =
          "entry " + std::to_string(index) + " does not decode: " + decoded.status().message();
    }
    entries.emplace_back(entry.begin(), entry.end());
    tree.Append(crypto::merkle::LeafHash(entry));
    return Status::Ok();
  }));
  audit.entries = entries.size();
  if (!audit.failure.empty()) return Status::Ok();
  if (heads.empty()) {
    CARNET_ASSIGN_OR_RETURN(crypto::PrivateKey log_key, LoadLogPrivateKey(config));
    CARNET_ASSIGN_OR_RETURN(
        trace::SignedTreeHead now,
        opened->log->SignHead(log_key, SystemClock::Instance().Now(), crypto::Drbg::ForThread()));
    heads.push_back(std::move(now));
    audit.signed_now = true;
  }
  CheckHeads(std::move(heads), tree, key, audit);
  if (!audit.failure.empty()) return Status::Ok();
  std::span<const Bytes> covered(entries.data(), static_cast<size_t>(audit.latest->tree_size));
  Status log = trace::VerifyLog(covered, *audit.latest, key);
  if (!log.ok()) audit.failure = log.message();
  return Status::Ok();
}

void Print(const config::NodeConfig& config, const Audit& audit, bool as_json) {
  if (as_json) {
    json::Value v = json::Value::MakeObject();
    v.Set("ok", json::Value::Bool(audit.failure.empty()));
    v.Set("entries",
          audit.entries ? json::Value::Int(static_cast<int64_t>(*audit.entries)) : json::Value());
    v.Set("heads_checked", json::Value::Int(static_cast<int64_t>(audit.heads_checked)));
    v.Set("latest_tree_size", audit.latest
                                  ? json::Value::Int(static_cast<int64_t>(audit.latest->tree_size))
                                  : json::Value());
    v.Set("head_signed_now", json::Value::Bool(audit.signed_now));
    if (!audit.failure.empty()) v.Set("failure", json::Value::String(audit.failure));
    std::printf("%s\n", json::Write(v).c_str());
    return;
  }
  if (audit.entries) {
    std::printf("trace log %s: %llu entries\n", config.store.database.c_str(),
                static_cast<unsigned long long>(*audit.entries));
  } else {
    std::printf("trace log %s: its stored rows do not match their hashes\n",
                config.store.database.c_str());
  }
  if (!audit.failure.empty()) {
    std::printf("FAILED: %s\n", audit.failure.c_str());
    return;
  }
  std::printf("heads checked: %zu%s\n", audit.heads_checked,
              audit.signed_now ? " (none recorded: a head signed now, which proves only that the "
                                 "stored hashes agree with the entries)"
                               : "");
  std::printf("latest head: %s\n", HeadName(*audit.latest).c_str());
  std::printf("entries after it (not yet covered by a signed head): %llu\n",
              static_cast<unsigned long long>(*audit.entries - audit.latest->tree_size));
  std::printf("OK\n");
}

}  // namespace

int RunTraceVerify(const config::NodeConfig& config, const OperatorArgs& a) {
  auto key = LoadLogPublicKey(config);
  if (!key.ok()) return Fail(kCmd, kExitFailed, key.status().message());
  auto heads = LoadHeads(config, a);
  if (!heads.ok()) return Fail(kCmd, kExitFailed, heads.status().message());
  Audit audit;
  Status ran = RunAudit(config, *key, std::move(*heads), audit);
  if (!ran.ok()) return Fail(kCmd, kExitFailed, "the audit could not run: " + ran.message());
  Print(config, audit, a.Has("--json"));
  return audit.failure.empty() ? 0 : kExitFailed;
}

}  // namespace carnet::node::app
