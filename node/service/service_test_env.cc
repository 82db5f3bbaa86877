#include "node/service/service_test_env.h"

#include <fstream>

#include "crypto/core/random.h"
#include "node/app/node_init.h"
#include "node/directory/test_pki_directory.h"
#include "node/trace/entry.h"

namespace carnet::node::service::testing {
namespace {

using authn::testing::GetEnv;

void Check(const Status& s, const char* what) {
  if (!s.ok()) FAIL((std::string(what) + ": " + s.ToString()).c_str());
}

uint16_t next_id = 0;

Bytes FreshId() {
  Bytes id(16, 0x5A);
  ++next_id;
  id[0] = static_cast<uint8_t>(next_id & 0xFF);
  id[1] = static_cast<uint8_t>(next_id >> 8);
  return id;
}

bool NeedsSig(protocol::Action a) {
  return a == protocol::Action::kDeposit || a == protocol::Action::kReplace ||
         a == protocol::Action::kAddOwnDocument;
}

void DefaultArgs(protocol::Request& r) {
  using protocol::Action;
  switch (r.action) {
    case Action::kOpen:
      r.args = protocol::OpenArgs{true};
      break;
    case Action::kDeposit:
    case Action::kAddOwnDocument:
      r.args = DepositOf("doc-1", "%PDF-1.4 compte rendu");
      break;
    case Action::kReplace: {
      auto d = DepositOf("doc-1", "%PDF-1.4 v2");
      d.metadata.replaces = "doc-1";
      r.args = d;
      break;
    }
    case Action::kList:
      r.args = protocol::ListFilter{};
      break;
    case Action::kTraces:
      r.args = protocol::TraceRange{};
      break;
    case Action::kSetDefaultMasking:
      r.args = protocol::DefaultMaskingArgs{true};
      break;
    case Action::kSetEmergencyPreferences:
      r.args = protocol::EmergencyPreferencesArgs{};
      break;
    default:
      r.args = protocol::NoArgs{};
      if (protocol::ArgsIndexFor(r.action) == 3) r.args = protocol::DocumentRef{"doc-1", {}};
      if (protocol::ArgsIndexFor(r.action) == 5) {
        r.args = protocol::TargetArgs{GetEnv().Gp().IdNat(), {}};
      }
  }
}

}  // namespace

std::string Answer::Describe() const {
  std::string out = std::to_string(http_status);
  if (const auto* e = std::get_if<protocol::Error>(&response.body)) {
    out += " " + std::string(protocol::ErrorCodeName(e->code)) + " " + e->reason;
  }
  return out;
}

ServiceEnv::ServiceEnv() {
  const crypto::TestPki& pki = GetEnv().pki;
  Check(crypto::WriteTestPki(pki, dir_.File("pki"), false), "writing the test PKI");
  app::InitOptions init;
  init.dir = dir_.File("node");
  init.test_pki_dir = dir_.File("pki");
  Check(app::InitNodeDirectory(init, crypto::Drbg::ForThread(), clock_).status(), "init");
  auto config = config::LoadConfig(dir_.File("node/node.conf"));
  Check(config.status(), "node.conf");
  config_ = std::move(config).value();
  auto text = directory::FormatDirectory(directory::EntriesFromTestPki(pki));
  Check(text.status(), "directory");
  std::ofstream(config_.directory.file) << *text;
  auto reg = authn::TerminalRegistry::Open(config_.terminals.registry);
  Check(reg.status(), "registry");
  Check(reg->Register(GetEnv().Terminal(0).cert, "TERM-0001", authn::ClientRole::kTerminal, kNow),
        "TERM-0001");
  Check(reg->Register(GetEnv().Terminal(1).cert, "TERM-0002", authn::ClientRole::kTerminal, kNow),
        "TERM-0002");
  Check(reg->Register(pki.portal->cert, "PORTAL-0001", authn::ClientRole::kPortal, kNow),
        "PORTAL-0001");
  authn::TerminalCa ca{&pki.terminal_ca->cert, &pki.terminal_ca->key, "", {}};
  Check(reg->Revoke("TERM-0002", ca, clock_), "revoke TERM-0002");
  ContextOptions options;
  options.clock = &clock_;
  auto ctx = NodeContext::Open(config_, options);
  Check(ctx.status(), "NodeContext::Open");
  ctx_ = std::move(ctx).value();
  service_ = std::make_unique<RequestService>(*ctx_);
}

ServiceEnv::~ServiceEnv() = default;

Answer ServiceEnv::Post(ByteView cose, const authn::PeerInfo& peer) {
  server::HttpResponse http = service_->Handle(cose, peer);
  Answer a;
  a.http_status = http.status;
  a.body = http.body;
  auto decoded = protocol::DecodeResponse(http.body);
  if (!decoded.ok()) {
    FAIL(("answer does not decode (" + std::to_string(http.status) +
          "): " + decoded.status().ToString())
             .c_str());
  }
  a.response = std::move(decoded).value();
  LONGS_EQUAL(protocol::ResponseHttpStatus(a.response), http.status);
  return a;
}

Answer ServiceEnv::PostGp(const protocol::Request& r) {
  Bytes cose = NeedsSig(r.action) ? authn::testing::SignSig(r) : authn::testing::SignAut(r);
  return Post(cose, authn::testing::Term1());
}

Answer ServiceEnv::PostPatient(const protocol::Request& r) {
  const auto& portal = *GetEnv().pki.portal;
  return Post(authn::testing::SignWith(r, portal.key, {portal.cert.der()}),
              authn::testing::Peer(portal.cert));
}

uint64_t ServiceEnv::TraceSize() {
  auto size = ctx_->trace_log().Size();
  Check(size.status(), "trace size");
  return *size;
}

trace::TraceEntry ServiceEnv::LastTrace() {
  auto bytes = ctx_->trace_log().Entry(TraceSize() - 1);
  Check(bytes.status(), "trace entry");
  auto entry = trace::DecodeEntry(*bytes);
  Check(entry.status(), "decode trace entry");
  return *entry;
}

size_t ServiceEnv::DocumentCount() {
  auto docs = ctx_->store().ListDocuments(kPatientIns);
  Check(docs.status(), "documents");
  return docs->size();
}

bool ServiceEnv::RequestStored(const protocol::Request& r, const std::string& terminal) {
  auto found = ctx_->store().FindRequest(HexEncode(r.request_id), terminal);
  Check(found.status(), "FindRequest");
  return found->has_value();
}

protocol::Request GpRequest(protocol::Action action) {
  protocol::Request r = authn::testing::GpRequest(protocol::Action::kRead);
  r.request_id = FreshId();
  r.action = action;
  DefaultArgs(r);
  return r;
}

protocol::Request PatientRequest(protocol::Action action) {
  protocol::Request r = authn::testing::PatientRequest();
  r.request_id = FreshId();
  r.action = action;
  DefaultArgs(r);
  return r;
}

protocol::DepositArgs DepositOf(const std::string& id, const std::string& content) {
  protocol::DepositArgs d;
  d.metadata.id = id;
  d.metadata.type_code = "11488-4";
  d.metadata.title = "Compte rendu de consultation";
  d.metadata.content_type = "application/pdf";
  d.content = ToBytes(content);
  d.content_sha256 = crypto::Sha256(d.content);
  return d;
}

}  // namespace carnet::node::service::testing
