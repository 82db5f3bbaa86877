#include "firmware/outbox/outbox.h"

#include <algorithm>
#include <climits>
#include <optional>

#include "crypto/core/aead.h"
#include "firmware/outbox/sqlite.h"
#include "hal/base/log.h"

namespace carnet::fw::outbox {
namespace {

constexpr char kKeyCheckPlaintext[] = "carnet outbox key check v1";

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value NOT NULL);
CREATE TABLE IF NOT EXISTS items(
  seq INTEGER PRIMARY KEY,
  request_id BLOB NOT NULL UNIQUE,
  created INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  description BLOB NOT NULL,
  content BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS delivered(
  request_id BLOB PRIMARY KEY,
  seq INTEGER NOT NULL,
  http_status INTEGER NOT NULL,
  refused INTEGER NOT NULL,
  note TEXT NOT NULL,
  at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS delivered_at ON delivered(at);
)sql";

// AAD binding a sealed field to its row: which field, its FIFO position and its request id.
Bytes FieldAad(std::string_view field, int64_t seq, ByteView request_id) {
  Bytes aad = ToBytes("carnet-outbox/v1/");
  Append(aad, AsBytes(field));
  AppendU64Be(aad, static_cast<uint64_t>(seq));
  Append(aad, request_id);
  return aad;
}

std::string Truncate(std::string s, size_t n) {
  if (s.size() > n) s.resize(n);
  return s;
}

}  // namespace

AnswerKind ClassifyAnswer(int http_status) {
  if (http_status >= 200 && http_status <= 299) return AnswerKind::kAccepted;
  if (http_status == 408 || http_status == 429) return AnswerKind::kTransient;
  if (http_status >= 400 && http_status <= 499) return AnswerKind::kRefused;
  return AnswerKind::kTransient;
}

struct Outbox::Impl {
  std::unique_ptr<Db> db;
  crypto::SecretBytes key;
  const Clock* clock;
  Random* rng;

  Status CheckKey();
  Result<Bytes> Seal(std::string_view field, int64_t seq, ByteView id, ByteView plain);
  Result<crypto::SecretBytes> Unseal(std::string_view field,
                                     int64_t seq,
                                     ByteView id,
                                     ByteView sealed) const;
  Result<std::optional<EnqueueOutcome>> Existing(ByteView id, ByteView cose);
  Result<int64_t> NextSeq();
  struct HeadItem {
    int64_t seq;
    Bytes request_id;
    crypto::SecretBytes cose;
  };
  Result<std::optional<HeadItem>> Head();
  Status RecordFailure(int64_t seq, const std::string& error);
  Status RecordAnswer(const DeliveredEntry& entry);
};

// A sealed constant in `meta`: on a new file it is written; on an existing one it must open.
// This turns a wrong key into one clear error at Open instead of per-item failures later.
Status Outbox::Impl::CheckKey() {
  CARNET_ASSIGN_OR_RETURN(auto select, db->Prepare("SELECT value FROM meta WHERE name='key'"));
  CARNET_ASSIGN_OR_RETURN(bool found, select.Step());
  const Bytes aad = ToBytes("carnet-outbox/v1/key-check");
  if (found) {
    auto opened = crypto::AesGcmOpen(key, select.ColumnBlob(0), aad);
    if (!opened.ok() || !crypto::ConstantTimeEqual(opened->view(), AsBytes(kKeyCheckPlaintext))) {
      return DataLoss("the outbox key does not open this outbox (wrong key-store entry '" +
                      std::string(kOutboxKeyName) + "', or the outbox file was replaced)");
    }
    return Status::Ok();
  }
  CARNET_ASSIGN_OR_RETURN(Bytes sealed,
                          crypto::AesGcmSeal(key, AsBytes(kKeyCheckPlaintext), aad, *rng));
  CARNET_ASSIGN_OR_RETURN(auto insert,
                          db->Prepare("INSERT INTO meta(name, value) VALUES('key', ?1), "
                                      "('next_seq', 1)"));
  CARNET_TRY(insert.BindBlob(1, sealed));
  return insert.Run();
}

Result<Bytes> Outbox::Impl::Seal(std::string_view field, int64_t seq, ByteView id, ByteView plain) {
  return crypto::AesGcmSeal(key, plain, FieldAad(field, seq, id), *rng);
}

Result<crypto::SecretBytes> Outbox::Impl::Unseal(std::string_view field,
                                                 int64_t seq,
                                                 ByteView id,
                                                 ByteView sealed) const {
  auto opened = crypto::AesGcmOpen(key, sealed, FieldAad(field, seq, id));
  if (!opened.ok()) {
    return DataLoss("outbox item " + std::to_string(seq) + " (request " + HexEncode(id) +
                    "): " + std::string(field) +
                    " does not decrypt — the row was altered or moved; it is not sent");
  }
  return opened;
}

// Inside the enqueue transaction: is this request id already queued or delivered?
Result<std::optional<EnqueueOutcome>> Outbox::Impl::Existing(ByteView id, ByteView cose) {
  CARNET_ASSIGN_OR_RETURN(auto queued,
                          db->Prepare("SELECT seq, content FROM items WHERE request_id=?1"));
  CARNET_TRY(queued.BindBlob(1, id));
  CARNET_ASSIGN_OR_RETURN(bool in_queue, queued.Step());
  if (in_queue) {
    CARNET_ASSIGN_OR_RETURN(auto content,
                            Unseal("content", queued.ColumnInt(0), id, queued.ColumnBlob(1)));
    if (!crypto::ConstantTimeEqual(content.view(), cose)) {
      return AlreadyExists("request id " + HexEncode(id) + " is already queued with other content");
    }
    return std::optional(EnqueueOutcome::kAlreadyQueued);
  }
  CARNET_ASSIGN_OR_RETURN(auto done, db->Prepare("SELECT 1 FROM delivered WHERE request_id=?1"));
  CARNET_TRY(done.BindBlob(1, id));
  CARNET_ASSIGN_OR_RETURN(bool delivered, done.Step());
  if (delivered) return std::optional(EnqueueOutcome::kAlreadyDelivered);
  return std::optional<EnqueueOutcome>();
}

// Sequence numbers come from a counter in `meta`, never from MAX(seq)+1: a number is never
// reused, so a deleted row's ciphertext can never be valid again under a new item.
Result<int64_t> Outbox::Impl::NextSeq() {
  CARNET_ASSIGN_OR_RETURN(auto get, db->Prepare("SELECT value FROM meta WHERE name='next_seq'"));
  CARNET_ASSIGN_OR_RETURN(bool found, get.Step());
  if (!found) return DataLoss("outbox meta table lost its sequence counter");
  int64_t seq = get.ColumnInt(0);
  CARNET_ASSIGN_OR_RETURN(auto bump,
                          db->Prepare("UPDATE meta SET value=value+1 WHERE name='next_seq'"));
  CARNET_TRY(bump.Run());
  return seq;
}

// The first item, decrypted; its statement is finished before the caller sends anything.
Result<std::optional<Outbox::Impl::HeadItem>> Outbox::Impl::Head() {
  CARNET_ASSIGN_OR_RETURN(
      auto head, db->Prepare("SELECT seq, request_id, content FROM items ORDER BY seq LIMIT 1"));
  CARNET_ASSIGN_OR_RETURN(bool row, head.Step());
  if (!row) return std::optional<HeadItem>();
  HeadItem item{.seq = head.ColumnInt(0), .request_id = head.ColumnBlob(1), .cose = {}};
  CARNET_ASSIGN_OR_RETURN(item.cose,
                          Unseal("content", item.seq, item.request_id, head.ColumnBlob(2)));
  return std::optional<HeadItem>(std::move(item));
}

Status Outbox::Impl::RecordFailure(int64_t seq, const std::string& error) {
  CARNET_ASSIGN_OR_RETURN(
      auto update, db->Prepare("UPDATE items SET attempts=attempts+1, last_error=?2 WHERE seq=?1"));
  CARNET_TRY(update.BindInt(1, seq));
  CARNET_TRY(update.BindText(2, Truncate(error, 300)));
  return update.Run();
}

// One transaction: the answer goes into `delivered` and the item leaves the queue together,
// so a crash leaves either both (sent again, answered idempotently) or neither.
Status Outbox::Impl::RecordAnswer(const DeliveredEntry& entry) {
  CARNET_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*db));
  CARNET_ASSIGN_OR_RETURN(auto del, db->Prepare("DELETE FROM items WHERE seq=?1"));
  CARNET_TRY(del.BindInt(1, entry.seq));
  CARNET_TRY(del.Run());
  CARNET_ASSIGN_OR_RETURN(auto log,
                          db->Prepare("INSERT OR REPLACE INTO delivered(request_id, seq, "
                                      "http_status, refused, note, at) VALUES(?1,?2,?3,?4,?5,?6)"));
  CARNET_TRY(log.BindBlob(1, entry.request_id));
  CARNET_TRY(log.BindInt(2, entry.seq));
  CARNET_TRY(log.BindInt(3, entry.http_status));
  CARNET_TRY(log.BindInt(4, entry.refused ? 1 : 0));
  CARNET_TRY(log.BindText(5, Truncate(entry.note, 300)));
  CARNET_TRY(log.BindInt(6, entry.at));
  CARNET_TRY(log.Run());
  CARNET_ASSIGN_OR_RETURN(
      auto prune, db->Prepare("DELETE FROM delivered WHERE seq <= (SELECT seq FROM delivered "
                              "ORDER BY seq DESC LIMIT 1 OFFSET ?1)"));
  CARNET_TRY(prune.BindInt(1, static_cast<int64_t>(kDeliveredLogSize)));
  CARNET_TRY(prune.Run());
  return tx.Commit();
}

Outbox::Outbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Outbox::~Outbox() = default;

Result<std::unique_ptr<Outbox>> Outbox::Open(const std::string& path,
                                             const crypto::SecretBytes& key,
                                             const Clock& clock,
                                             Random& rng) {
  if (key.size() != 32) return InvalidArgument("the outbox key must be 32 bytes (AES-256)");
  auto impl = std::make_unique<Impl>();
  impl->key = key.Clone();
  impl->clock = &clock;
  impl->rng = &rng;
  CARNET_ASSIGN_OR_RETURN(impl->db, Db::Open(path));
  {
    CARNET_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*impl->db));
    CARNET_TRY(impl->db->Exec(kSchema));
    CARNET_TRY(impl->CheckKey());
    CARNET_TRY(tx.Commit());
  }
  return std::unique_ptr<Outbox>(new Outbox(std::move(impl)));
}

Result<EnqueueOutcome> Outbox::Enqueue(ByteView request_id,
                                       ByteView cose,
                                       std::string_view description) {
  if (request_id.size() != kRequestIdSize) {
    return InvalidArgument("request id must be 16 bytes, got " + std::to_string(request_id.size()));
  }
  if (cose.empty() || cose.size() > kMaxRequestSize) {
    return OutOfRange("request must be 1 byte to 32 MiB");
  }
  if (description.size() > kMaxDescriptionSize) return OutOfRange("description over 1 KiB");
  Impl& m = *impl_;
  CARNET_ASSIGN_OR_RETURN(auto tx, Transaction::Begin(*m.db));
  CARNET_ASSIGN_OR_RETURN(auto existing, m.Existing(request_id, cose));
  if (existing) return *existing;
  CARNET_ASSIGN_OR_RETURN(int64_t seq, m.NextSeq());
  CARNET_ASSIGN_OR_RETURN(Bytes content, m.Seal("content", seq, request_id, cose));
  CARNET_ASSIGN_OR_RETURN(Bytes desc, m.Seal("description", seq, request_id, AsBytes(description)));
  CARNET_ASSIGN_OR_RETURN(auto insert,
                          m.db->Prepare("INSERT INTO items(seq, request_id, created, "
                                        "description, content) VALUES(?1,?2,?3,?4,?5)"));
  CARNET_TRY(insert.BindInt(1, seq));
  CARNET_TRY(insert.BindBlob(2, request_id));
  CARNET_TRY(insert.BindInt(3, m.clock->Now()));
  CARNET_TRY(insert.BindBlob(4, desc));
  CARNET_TRY(insert.BindBlob(5, content));
  CARNET_TRY(insert.Run());
  CARNET_TRY(tx.Commit());
  return EnqueueOutcome::kQueued;
}

Result<std::vector<OutboxItem>> Outbox::List() const {
  CARNET_ASSIGN_OR_RETURN(auto select,
                          impl_->db->Prepare("SELECT seq, request_id, created, attempts, "
                                             "last_error, description FROM items ORDER BY seq"));
  std::vector<OutboxItem> items;
  while (true) {
    CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    OutboxItem item;
    item.seq = select.ColumnInt(0);
    item.request_id = select.ColumnBlob(1);
    item.created = select.ColumnInt(2);
    item.attempts = select.ColumnInt(3);
    item.last_error = select.ColumnText(4);
    CARNET_ASSIGN_OR_RETURN(
        auto desc, impl_->Unseal("description", item.seq, item.request_id, select.ColumnBlob(5)));
    item.description = ToString(desc.view());
    items.push_back(std::move(item));
  }
  return items;
}

Result<size_t> Outbox::Size() const {
  CARNET_ASSIGN_OR_RETURN(auto count, impl_->db->Prepare("SELECT COUNT(*) FROM items"));
  CARNET_ASSIGN_OR_RETURN(bool row, count.Step());
  if (!row) return Internal("COUNT(*) returned no row");
  return static_cast<size_t>(count.ColumnInt(0));
}

Result<FlushReport> Outbox::Flush(const SendFn& send) {
  Impl& m = *impl_;
  FlushReport report;
  while (true) {
    CARNET_ASSIGN_OR_RETURN(auto head, m.Head());
    if (!head) break;
    DeliveredEntry entry;
    entry.request_id = std::move(head->request_id);
    entry.seq = head->seq;
    auto answer = send(entry.request_id, head->cose.view());
    Status failure = answer.status();
    if (answer.ok() && ClassifyAnswer(answer->http_status) == AnswerKind::kTransient) {
      failure = Unavailable("node answered HTTP " + std::to_string(answer->http_status) +
                            (answer->note.empty() ? "" : ": " + answer->note));
    }
    if (!failure.ok()) {
      CARNET_TRY(m.RecordFailure(entry.seq, failure.ToString()));
      report.stopped = failure;
      break;
    }
    entry.http_status = answer->http_status;
    entry.refused = ClassifyAnswer(answer->http_status) == AnswerKind::kRefused;
    entry.note = answer->note;
    entry.at = m.clock->Now();
    CARNET_TRY(m.RecordAnswer(entry));
    report.answered.push_back(std::move(entry));
  }
  CARNET_ASSIGN_OR_RETURN(report.remaining, Size());
  return report;
}

Result<std::vector<DeliveredEntry>> Outbox::Delivered(size_t limit) const {
  CARNET_ASSIGN_OR_RETURN(auto select,
                          impl_->db->Prepare("SELECT request_id, seq, http_status, refused, "
                                             "note, at FROM delivered ORDER BY seq DESC LIMIT ?1"));
  CARNET_TRY(select.BindInt(1, static_cast<int64_t>(std::min<size_t>(limit, INT32_MAX))));
  std::vector<DeliveredEntry> out;
  while (true) {
    CARNET_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    out.push_back(DeliveredEntry{.request_id = select.ColumnBlob(0),
                                 .seq = select.ColumnInt(1),
                                 .http_status = static_cast<int>(select.ColumnInt(2)),
                                 .refused = select.ColumnInt(3) != 0,
                                 .note = select.ColumnText(4),
                                 .at = select.ColumnInt(5)});
  }
  return out;
}

Result<crypto::SecretBytes> LoadOrCreateOutboxKey(hal::keystore::KeyStore& store, Random& rng) {
  auto existing = store.Get(kOutboxKeyName);
  if (existing.ok()) {
    crypto::SecretBytes key(*existing);
    crypto::Zeroize(*existing);
    if (key.size() != 32) return DataLoss("key store entry outbox-key is not 32 bytes");
    return key;
  }
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  crypto::SecretBytes key(32);
  CARNET_TRY(rng.Fill(key.mutable_view()));
  Status created = store.Create(kOutboxKeyName, key.view());
  // Another process may have made it first: use theirs.
  if (created.code() == StatusCode::kAlreadyExists) return LoadOrCreateOutboxKey(store, rng);
  CARNET_TRY(created);
  log::Info("outbox key created in the key store");
  return key;
}

}  // namespace carnet::fw::outbox
