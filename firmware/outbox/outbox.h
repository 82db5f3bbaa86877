#pragma once
// The terminal's outbox: signed requests made while the node is unreachable wait here,
// encrypted and durable, and are sent in order when it returns (DESIGN.md §1, §7).
//
// Guarantees:
//   - Durable: Enqueue returns OK only after its transaction is committed to SQLite's WAL with
//     synchronous=FULL (fsync'ed): an acknowledged item survives kill -9 and power loss.
//   - Never lost: an item is deleted only in the same transaction that records the node's
//     final answer in the `delivered` table, and only after that answer arrived. A crash
//     between the answer and the delete sends the item again on the next Flush — with the
//     same request id, which the node answers idempotently (DESIGN.md §3): never duplicated
//     at the node.
//   - Idempotent enqueue: a request id already queued (same content) or already delivered is
//     not stored again; the same id with other content is refused (kAlreadyExists).
//   - FIFO: Flush sends in enqueue order and stops at the first transport failure or
//     transient answer (408, 429, 5xx), leaving that item first.
//   - Confidential and bound: the request and its description are sealed with AES-256-GCM
//     under the outbox key (32 bytes, from the key store: LoadOrCreateOutboxKey), with AAD =
//     "carnet-outbox/v1/<field>" || seq (8 bytes BE) || request id, so a row cannot be
//     altered, moved to another sequence number or given another request id unnoticed
//     (kDataLoss naming the item). A wrong key is refused at Open (kDataLoss) through a
//     sealed key-check value.
//
// List() shows the queue (seq, request id, created, attempts, last error, description) and
// never the content. One Outbox object is used by one thread at a time; two processes may
// open the same file (SQLite locking), but the terminal runs one.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/core/secret.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/base/status.h"
#include "hal/keystore/key_store.h"

namespace carnet::fw::outbox {

inline constexpr size_t kRequestIdSize = 16;            // DESIGN.md §3
inline constexpr size_t kMaxRequestSize = 32u << 20;    // a deposit with its document
inline constexpr size_t kMaxDescriptionSize = 1024;     // shown to the professional
inline constexpr size_t kDeliveredLogSize = 10000;      // newest answers kept
inline constexpr char kOutboxKeyName[] = "outbox-key";  // key store entry

struct OutboxItem {
  int64_t seq = 0;  // FIFO position, never reused
  Bytes request_id;
  UnixMillis created = 0;
  int64_t attempts = 0;    // failed sends so far
  std::string last_error;  // of the last failed send, empty if none
  std::string description;
};

enum class EnqueueOutcome { kQueued, kAlreadyQueued, kAlreadyDelivered };

// What the node answered to one request: its HTTP status and a short note to keep in the
// delivered log (e.g. the error code, reason and trace id of a refusal). Never content.
struct NodeAnswer {
  int http_status = 0;
  std::string note;
};

// Sends one request. An error Status means no final answer arrived (node unreachable,
// timeout, TLS failure): the item stays queued and Flush stops.
using SendFn = std::function<Result<NodeAnswer>(ByteView request_id, ByteView cose)>;

struct DeliveredEntry {
  Bytes request_id;
  int64_t seq = 0;
  int http_status = 0;
  bool refused = false;  // a definitive 4xx refusal rather than an acceptance
  std::string note;
  UnixMillis at = 0;
};

struct FlushReport {
  std::vector<DeliveredEntry> answered;  // in order: accepted (2xx) and refused (4xx)
  size_t remaining = 0;                  // items still queued
  Status stopped;  // OK when the queue was emptied; else why Flush stopped (kUnavailable...)
};

// How Flush treats an HTTP status: 2xx accepted; 408, 429 and 5xx transient (keep, stop);
// other 4xx a definitive refusal (recorded, removed); anything else (1xx, 3xx) unexpected,
// treated as transient so that nothing is dropped on an answer we do not understand.
enum class AnswerKind { kAccepted, kRefused, kTransient };
AnswerKind ClassifyAnswer(int http_status);

class Outbox {
 public:
  // `key`: 32 bytes. Creates the file (0600) and schema if missing.
  static Result<std::unique_ptr<Outbox>> Open(const std::string& path,
                                              const crypto::SecretBytes& key,
                                              const Clock& clock = SystemClock::Instance(),
                                              Random& rng = SystemRandom::Instance());
  ~Outbox();
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  Result<EnqueueOutcome> Enqueue(ByteView request_id, ByteView cose, std::string_view description);
  Result<std::vector<OutboxItem>> List() const;
  Result<size_t> Size() const;
  Result<FlushReport> Flush(const SendFn& send);
  // Newest first, at most `limit`.
  Result<std::vector<DeliveredEntry>> Delivered(size_t limit) const;

  struct Impl;

 private:
  explicit Outbox(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The outbox key from the key store entry kOutboxKeyName, made (32 random bytes) on first use.
Result<crypto::SecretBytes> LoadOrCreateOutboxKey(hal::keystore::KeyStore& store, Random& rng);

}  // namespace carnet::fw::outbox
