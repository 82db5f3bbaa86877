#include "node/app/trace_heads.h"

#include <fcntl.h>
#include <unistd.h>

#include "hal/base/json.h"
#include "node/directory/atomic_file.h"

namespace carnet::node::app {
namespace {

constexpr size_t kMaxHeadsFile = size_t{64} * 1024 * 1024;
constexpr size_t kMaxKeyFile = size_t{64} * 1024;

Result<uint64_t> ReadUint(const json::Value& object, std::string_view key) {
  const json::Value* v = object.Find(key);
  if (v == nullptr || !v->is(json::Kind::kInt) || v->as_int() < 0) {
    return InvalidArgument("'" + std::string(key) + "' must be a non-negative integer");
  }
  return static_cast<uint64_t>(v->as_int());
}

Result<std::string> ReadString(const json::Value& object, std::string_view key) {
  const json::Value* v = object.Find(key);
  if (v == nullptr || !v->is(json::Kind::kString)) {
    return InvalidArgument("'" + std::string(key) + "' must be a string");
  }
  return v->as_string();
}

}  // namespace

std::string HeadToJson(const trace::SignedTreeHead& head, const std::string& public_key_pem) {
  json::Value v = json::Value::MakeObject();
  v.Set("tree_size", json::Value::Int(static_cast<int64_t>(head.tree_size)));
  v.Set("timestamp", json::Value::Int(static_cast<int64_t>(head.timestamp_ms)));
  v.Set("root_hash", json::Value::String(HexEncode(head.root)));
  v.Set("signature", json::Value::String(Base64Encode(head.signature)));
  if (!public_key_pem.empty()) v.Set("log_public_key", json::Value::String(public_key_pem));
  return json::Write(v);
}

Result<trace::SignedTreeHead> HeadFromJson(std::string_view text) {
  CARNET_ASSIGN_OR_RETURN(json::Value v, json::Parse(text));
  if (!v.is(json::Kind::kObject)) return InvalidArgument("a signed tree head must be an object");
  trace::SignedTreeHead head;
  CARNET_ASSIGN_OR_RETURN(head.tree_size, ReadUint(v, "tree_size"));
  CARNET_ASSIGN_OR_RETURN(head.timestamp_ms, ReadUint(v, "timestamp"));
  CARNET_ASSIGN_OR_RETURN(std::string root_hex, ReadString(v, "root_hash"));
  auto root = HexDecode(root_hex);
  if (!root.ok() || root->size() != head.root.size()) {
    return InvalidArgument("'root_hash' must be 64 hex digits");
  }
  std::copy(root->begin(), root->end(), head.root.begin());
  CARNET_ASSIGN_OR_RETURN(std::string signature, ReadString(v, "signature"));
  auto der = Base64Decode(signature);
  if (!der.ok()) return der.status().Annotate("'signature'");
  head.signature = std::move(*der);
  return head;
}

std::string HeadsFilePath(const config::NodeConfig& config) {
  return config.node.data_dir + "/" + kHeadsFileName;
}

Status RecordHead(const config::NodeConfig& config, const trace::SignedTreeHead& head) {
  std::string path = HeadsFilePath(config);
  std::string line = HeadToJson(head, "") + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Internal("cannot open " + path + " for appending");
  ssize_t written = ::write(fd, line.data(), line.size());
  int synced = ::fsync(fd);
  ::close(fd);
  if (written != static_cast<ssize_t>(line.size()) || synced != 0) {
    return Internal("cannot append the signed head to " + path);
  }
  return Status::Ok();
}

Result<std::vector<trace::SignedTreeHead>> ReadHeads(const std::string& path) {
  std::vector<trace::SignedTreeHead> heads;
  auto text = ReadFileLimited(path, kMaxHeadsFile);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kNotFound) return heads;
    return text.status();
  }
  size_t line_number = 0;
  std::string_view rest = *text;
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    ++line_number;
    if (line.empty()) continue;
    auto head = HeadFromJson(line);
    if (!head.ok()) return head.status().Annotate(path + ":" + std::to_string(line_number));
    heads.push_back(std::move(*head));
  }
  return heads;
}

Result<crypto::PublicKey> LoadLogPublicKey(const config::NodeConfig& config) {
  auto pem = ReadFileLimited(config.trace.log_public_key, kMaxKeyFile);
  if (!pem.ok()) return pem.status().Annotate("[trace] log_public_key");
  auto key = crypto::PublicKey::FromPem(*pem);
  if (!key.ok())
    return key.status().Annotate("[trace] log_public_key " + config.trace.log_public_key);
  return key;
}

Result<crypto::PrivateKey> LoadLogPrivateKey(const config::NodeConfig& config) {
  auto key = crypto::PrivateKey::FromPemFile(config.trace.log_key);
  if (!key.ok()) return key.status().Annotate("[trace] log_key " + config.trace.log_key);
  return key;
}

}  // namespace carnet::node::app
