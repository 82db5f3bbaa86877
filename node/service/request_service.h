#pragma once
// RequestService: what the node does with one POST /v1/requests body (DESIGN.md §4), and the
// two GET routes. README.md describes the pipeline, the store effects of each action, what is
// traced and the body formats; in short:
//
//   authenticate (node/authn) ── rejected ─→ trace the rejection (deny, AUTHN_* rule) alone,
//        │                                   store nothing else, answer its HTTP status
//   Vitale presence proof (when present) ─ bad ─→ same, rule VITALE_PROOF_INVALID
//   idempotency: same terminal + request id seen before
//        ├ same content hash → the stored first answer, byte for byte; nothing stored
//        └ other content    → 409, traced (REQUEST_ID_REUSED); nothing else stored
//   load the dossier → policy::Engine::Decide
//   one SqliteStore::Transact: the change (allow only), the request record with the encoded
//        answer, the trace entry (allow or deny), the notifications → answer
//
// Handle never throws and never crashes on request bytes. Thread-safe: the server calls it
// from several worker threads at once; concurrent requests with the same id resolve to one
// stored answer (the second transaction fails on the request record and is answered from it).

#include <string>
#include <vector>

#include "hal/base/bytes.h"
#include "node/authn/authenticator.h"
#include "node/server/http_types.h"
#include "node/service/node_context.h"

namespace carnet::node::service {

inline constexpr char kCborContentType[] = "application/cbor";
inline constexpr char kJsonContentType[] = "application/json";

// Rule ids of the refusals decided here rather than by node/authn or node/policy.
inline constexpr char kRuleVitaleProofInvalid[] = "VITALE_PROOF_INVALID";
inline constexpr char kRuleRequestIdReused[] = "REQUEST_ID_REUSED";
inline constexpr char kRuleOpenConsentMissing[] = "OPEN_CONSENT_MISSING";
inline constexpr char kRuleDocumentUnknown[] = "DOCUMENT_UNKNOWN";
inline constexpr char kRuleDocumentExists[] = "DOCUMENT_ALREADY_EXISTS";

class RequestService {
 public:
  // `ctx` must have been made by NodeContext::Open and must outlive the service.
  explicit RequestService(NodeContext& ctx) : ctx_(ctx) {}

  // POST /v1/requests: `body` is the COSE_Sign1, `peer` the TLS client certificate. The
  // answer is always a CBOR Response (crypto/protocol/response.h) with its HTTP status, except
  // 500/503 text answers when the store itself fails.
  server::HttpResponse Handle(ByteView body, const authn::PeerInfo& peer);

  // GET /v1/log/sth: the signed tree head of the committed log, JSON (README.md):
  //   {"tree_size":N,"timestamp":MS,"sha256_root_hash":"<base64>",
  //    "tree_head_signature":"<base64 DER ECDSA>"}
  server::HttpResponse SignedTreeHead();

  // GET /v1/health: 200 {"status":"ok","tree_size":N} while the store answers, 503 otherwise.
  server::HttpResponse Health();

  // The node's three routes (server::NodeRoutes) bound to this service.
  std::vector<server::Route> Routes();

 private:
  NodeContext& ctx_;
};

}  // namespace carnet::node::service
