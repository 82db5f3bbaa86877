#pragma once
// Signed tree heads as the operator commands write and read them (JSON), and the node's
// record of the heads it has published.
//
// `carnet-node trace sth` signs a fresh head over the committed log with the log key of
// node.conf ([trace] log_key: the operator holds it) and appends it, one JSON object per line,
// to DATA_DIR/trace-heads.jsonl. That file is what `trace verify` checks the log against: a
// head published earlier pins the entries it covers, so an entry edited afterwards — even
// with its stored leaf hash recomputed — no longer hashes to that head's signed root.

#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "hal/base/status.h"
#include "node/config/config.h"
#include "node/trace/tree_head.h"

namespace carnet::node::app {

inline constexpr char kHeadsFileName[] = "trace-heads.jsonl";

// {"tree_size", "timestamp", "root_hash" (hex), "signature" (base64 DER)} and, when
// `public_key_pem` is not empty, "log_public_key" (PEM). One line, no newline.
std::string HeadToJson(const trace::SignedTreeHead& head, const std::string& public_key_pem);
// The reverse (extra members are ignored). kInvalidArgument naming the member on bad input.
Result<trace::SignedTreeHead> HeadFromJson(std::string_view text);

std::string HeadsFilePath(const config::NodeConfig& config);
// Appends one line and fsyncs it.
Status RecordHead(const config::NodeConfig& config, const trace::SignedTreeHead& head);
// Every recorded head, in file order (empty when the file does not exist). `origin` names the
// file in errors as "<file>:<line>: ...".
Result<std::vector<trace::SignedTreeHead>> ReadHeads(const std::string& path);

// The log's public key ([trace] log_public_key) and private key ([trace] log_key).
Result<crypto::PublicKey> LoadLogPublicKey(const config::NodeConfig& config);
Result<crypto::PrivateKey> LoadLogPrivateKey(const config::NodeConfig& config);

}  // namespace carnet::node::app
