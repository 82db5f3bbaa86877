#include "firmware/app/terminal_env.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>

#include "crypto/protocol/response.h"
#include "crypto/x509/certificate.h"
#include "hal/base/json.h"
#include "hal/keystore/key_store.h"

namespace carnet::fw::app {
namespace {

Result<std::string> ReadText(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound(std::string("cannot read the ") + what + " " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string StatePath(const TerminalEnv& env) { return env.config.state_dir + "/session.json"; }

Status Need(const std::string& value, const char* key) {
  if (value.empty()) {
    return FailedPrecondition(std::string("the terminal configuration has no '") + key + "'");
  }
  return Status();
}

}  // namespace

Result<TerminalEnv> LoadTerminalEnv(const Options& options) {
  std::string path = options.Get("config");
  if (path.empty()) {
    const char* env = std::getenv("CARNET_TERMINAL_CONFIG");
    path = env != nullptr && *env != '\0' ? env : kDefaultConfig;
  }
  TerminalEnv out;
  CARNET_ASSIGN_OR_RETURN(out.config, session::LoadTerminalConfig(path));
  // The trust keys are the `cards` options: same loader, same messages.
  std::vector<std::string> words;
  for (const auto& [name, value] : out.config.trust) {
    words.push_back("--" + name);
    words.push_back(value);
  }
  std::vector<std::string_view> views(words.begin(), words.end());
  CARNET_ASSIGN_OR_RETURN(Options trust_options, Options::Parse(views, kTrustOptions));
  CARNET_ASSIGN_OR_RETURN(out.trust, LoadTrust(trust_options));
  if (!out.config.device_cert.empty()) {
    CARNET_ASSIGN_OR_RETURN(auto chain, crypto::Certificate::FromPemFile(out.config.device_cert));
    if (chain.empty()) return InvalidArgument(out.config.device_cert + ": no certificate");
    out.terminal_id = chain.front().CommonName();
  }
  return out;
}

Result<std::unique_ptr<transport::NodeClient>> MakeNodeClient(const TerminalEnv& env,
                                                              int max_attempts) {
  const session::TerminalConfig& c = env.config;
  if (c.node_port == 0) return FailedPrecondition("the terminal configuration has no 'node'");
  CARNET_TRY(Need(c.operator_ca, "operator_ca"));
  CARNET_TRY(Need(c.keystore, "keystore"));
  CARNET_TRY(Need(c.device_cert, "device_cert"));
  transport::NodeClientOptions o;
  o.host = c.node_host;
  o.port = c.node_port;
  o.server_name = c.server_name;
  o.max_attempts = max_attempts;
  o.connect_timeout = std::chrono::milliseconds(3000);
  CARNET_ASSIGN_OR_RETURN(o.certificate_chain_pem, ReadText(c.device_cert, "device certificate"));
  CARNET_ASSIGN_OR_RETURN(o.operator_ca_pem, ReadText(c.operator_ca, "operator CA"));
  CARNET_ASSIGN_OR_RETURN(auto store, hal::keystore::DirectoryKeyStore::Open(c.keystore, {}));
  auto key = store->Get(c.device_key);
  if (!key.ok()) {
    return FailedPrecondition(
        "no device key '" + c.device_key + "' in " + c.keystore +
        ": enroll the terminal first (carnet-terminal enroll): " + key.status().message());
  }
  o.device_key_pem = crypto::SecretBytes(*key);
  crypto::Zeroize(*key);
  return transport::NodeClient::Create(std::move(o));
}

Result<std::unique_ptr<outbox::Outbox>> OpenOutbox(const TerminalEnv& env) {
  CARNET_TRY(Need(env.config.outbox, "outbox"));
  CARNET_TRY(Need(env.config.keystore, "keystore"));
  CARNET_ASSIGN_OR_RETURN(auto store,
                          hal::keystore::DirectoryKeyStore::Open(env.config.keystore, {}));
  CARNET_ASSIGN_OR_RETURN(auto key,
                          outbox::LoadOrCreateOutboxKey(*store, SystemRandom::Instance()));
  return outbox::Outbox::Open(env.config.outbox, key);
}

std::optional<SavedSession> LoadSavedSession(const TerminalEnv& env) {
  if (env.config.state_dir.empty()) return std::nullopt;
  auto text = ReadText(StatePath(env), "session state");
  if (!text.ok()) return std::nullopt;
  auto v = json::Parse(*text);
  if (!v.ok()) return std::nullopt;  // a damaged state file means "not logged in"
  const json::Value* id = v->Find("id_nat");
  const json::Value* card = v->Find("card_number");
  const json::Value* last = v->Find("last_activity");
  if (id == nullptr || card == nullptr || last == nullptr || !last->is(json::Kind::kInt)) {
    return std::nullopt;
  }
  return SavedSession{id->as_string(), card->as_string(), last->as_int()};
}

Status SaveSession(const TerminalEnv& env, const SavedSession& s) {
  CARNET_TRY(Need(env.config.state_dir, "state_dir"));
  ::mkdir(env.config.state_dir.c_str(), 0700);
  json::Value v = json::Value::MakeObject();
  v.Set("id_nat", json::Value::String(s.id_nat));
  v.Set("card_number", json::Value::String(s.card_number));
  v.Set("last_activity", json::Value::Int(s.last_activity));
  const std::string tmp = StatePath(env) + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << json::Write(v) << "\n";
    if (!out.flush()) return Internal("cannot write " + tmp);
  }
  if (std::rename(tmp.c_str(), StatePath(env).c_str()) != 0) {
    return Internal("cannot replace " + StatePath(env));
  }
  return Status();
}

Status ClearSavedSession(const TerminalEnv& env) {
  if (env.config.state_dir.empty()) return Status();
  ::unlink(StatePath(env).c_str());
  return Status();
}

std::string DescribeNodeError(int http_status, ByteView body) {
  auto r = protocol::DecodeResponse(body);
  std::string out = "the node refused the request (HTTP " + std::to_string(http_status) + ")";
  if (!r.ok()) return out;
  const auto* e = std::get_if<protocol::Error>(&r->body);
  if (e == nullptr) return out;
  out = "the node refused the request: " + std::string(protocol::ErrorCodeName(e->code)) + ": " +
        e->reason;
  if (e->rule) out += " (rule " + *e->rule + ")";
  if (e->trace_id) out += " (trace " + std::to_string(*e->trace_id) + ")";
  return out;
}

}  // namespace carnet::fw::app
