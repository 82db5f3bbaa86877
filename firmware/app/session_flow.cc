#include "firmware/app/session_flow.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

#include "firmware/app/commands.h"
#include "firmware/cps/cps_card.h"
#include "firmware/hardening/seccomp_filter.h"
#include "hal/pin/pin_entry.h"

namespace carnet::fw::app {
namespace {

// {"error":{"code","reason","rule"?,"trace_id"?,"http_status"},"request_id"} on stdout.
void PrintNodeError(int http_status, ByteView body, const std::string& request_id) {
  json::Value e = json::Value::MakeObject();
  e.Set("http_status", json::Value::Int(http_status));
  auto r = protocol::DecodeResponse(body);
  const auto* err = r.ok() ? std::get_if<protocol::Error>(&r->body) : nullptr;
  if (err != nullptr) {
    e.Set("code", json::Value::String(std::string(protocol::ErrorCodeName(err->code))));
    e.Set("reason", json::Value::String(err->reason));
    if (err->rule) e.Set("rule", json::Value::String(*err->rule));
    if (err->trace_id) e.Set("trace_id", json::Value::Int(static_cast<int64_t>(*err->trace_id)));
  } else {
    e.Set("code", json::Value::String("http_" + std::to_string(http_status)));
  }
  json::Value v = json::Value::MakeObject();
  v.Set("error", std::move(e));
  v.Set("request_id", json::Value::String(request_id));
  std::printf("%s\n", json::Write(v).c_str());
}

bool Has(const std::string& s, const char* needle) { return s.find(needle) != std::string::npos; }

// The reader holding a Vitale card, or "".
std::string FindVitaleReader(hal::CardReader& reader) {
  auto states = ReaderSnapshot(reader);
  if (!states.ok()) return "";
  for (const hal::ReaderState& s : *states) {
    if (s.card_present && cps::DetectCardType(s.atr) == cps::CardType::kVitale) return s.name;
  }
  return "";
}

// VERIFY through the PIN pad, the console or stdin; then the card object adopts the verified
// state from the card itself (CpsCard::PinStatus), so no PIN byte passes through the session.
Result<cps::PinResult> VerifyPin(cps::CpsCard& card, bool pin_stdin, int& tty_fd) {
  std::unique_ptr<hal::PinEntry> entry;
  if (pin_stdin) {
    entry = std::make_unique<hal::ConsolePinEntry>(STDIN_FILENO, "CPS PIN: ");
  } else {
    if (tty_fd < 0) tty_fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC);
    CARNET_ASSIGN_OR_RETURN(entry, hal::ChoosePinEntry(card.reader(), tty_fd));
    if (tty_fd < 0 && dynamic_cast<hal::ConsolePinEntry*>(entry.get()) != nullptr) {
      return InvalidArgument("no console to type the PIN on: use --pin-stdin");
    }
  }
  auto sw = entry->Verify(card.reader(), hal::PinProperties{});
  if (!sw.ok()) return sw.status();
  if (*sw == 0x9000) {
    CARNET_TRY(card.PinStatus().status());
    return cps::PinResult{cps::PinOutcome::kOk, -1};
  }
  if (*sw == 0x6983 || *sw == 0x63C0) return cps::PinResult{cps::PinOutcome::kBlocked, 0};
  if ((*sw & 0xFFF0) == 0x63C0) return cps::PinResult{cps::PinOutcome::kWrong, *sw & 0x0F};
  return cps::SwToStatus(*sw, "VERIFY PIN");
}

}  // namespace

SessionFlow::SessionFlow(const char* command, const TerminalEnv& env, FlowOptions options)
    : command_(command),
      env_(env),
      options_(options),
      session_(session::SessionOptions{env.config.idle_timeout}) {}

SessionFlow::~SessionFlow() {
  if (pin_fd_ >= 0) ::close(pin_fd_);
}

int SessionFlow::Fail(const std::string& message, int code) const {
  return app::Fail(command_, message, code);
}

std::string SessionFlow::request_id_hex() const {
  const auto& r = runner_->last_request();
  return r ? HexEncode(r->request_id) : std::string();
}

int SessionFlow::ExitForSessionError() const {
  std::string msg = runner_->error();
  if (msg.empty())
    msg = "the session is not ready (" + std::string(StateName(session_.state())) + ")";
  int code = kExitFailure;
  if (session_.state() == session::State::kPinBlocked) {
    code = kExitBlocked;
  } else if (Has(msg, "wrong PIN")) {
    code = kExitWrongPin;
  } else if (Has(msg, "insert the")) {
    code = kExitNoCard;
  } else if (Has(msg, "log in") || Has(msg, "locked") || Has(msg, "PIN again")) {
    code = kExitLogin;
  }
  return Fail(msg, code);
}

Status SessionFlow::Persist(UnixMillis last_activity) {
  const auto& id = runner_->professional();
  if (!id) return Status();
  return SaveSession(env_, SavedSession{id->id_nat, id->card_number, last_activity});
}

int SessionFlow::Start() {
  auto r = OpenReaders();
  if (!r.ok()) return Fail(r.status().message(), kExitFailure);
  pro_reader_ = std::move(r).value();
  auto name = FindCpsReader(*pro_reader_, "");
  if (!name.ok()) {
    const bool none = name.status().code() == StatusCode::kNotFound;
    return Fail(name.status().message(), none ? kExitNoCard : kExitFailure);
  }
  pro_reader_name_ = *name;
  if (auto c = pro_reader_->Connect(*name, hal::ShareMode::kShared); !c.ok()) {
    return Fail("connecting to the CPS: " + c.status().message(), kExitFailure);
  }
  std::optional<SavedSession> saved;
  if (!options_.login) {
    saved = LoadSavedSession(env_);
    if (!saved) return Fail("not logged in: run carnet-terminal login", kExitLogin);
    session_.Resume(saved->last_activity);
  }
  session::RunnerConfig rc;
  rc.terminal_id = env_.terminal_id;
  rc.ins_oid = env_.config.ins_oid;
  rc.igc = env_.trust.cps ? &*env_.trust.cps : nullptr;
  rc.vitale_ca = env_.trust.vitale ? &*env_.trust.vitale : nullptr;
  session::RunnerHooks h;
  if (options_.login || options_.pin_stdin) {
    h.ask_pin = [this](cps::CpsCard& card) { return VerifyPin(card, options_.pin_stdin, pin_fd_); };
  }
  h.choose = [this](const std::vector<vitale::VitaleIdentity>&) -> Result<int> {
    return options_.beneficiary;
  };
  h.send = [this](ByteView, ByteView cose) -> Result<session::Delivery> {
    if (!node_) {
      CARNET_ASSIGN_OR_RETURN(node_, MakeNodeClient(env_));
    }
    CARNET_ASSIGN_OR_RETURN(auto reply, node_->Post(kRequestsPath, kCoseContentType, cose));
    return session::Delivery{reply.status, std::move(reply.body)};
  };
  h.enqueue = [this](ByteView id, ByteView cose, const std::string& description) -> Status {
    CARNET_ASSIGN_OR_RETURN(auto box, OpenOutbox(env_));
    return box->Enqueue(id, cose, description).status();
  };
  h.persist = [this](UnixMillis t) { return Persist(t); };
  h.clear_persisted = [this]() { return ClearSavedSession(env_); };
  h.report = [](const std::string& message, bool error) {
    if (!error) std::fprintf(stderr, "%s\n", message.c_str());
  };
  runner_ = std::make_unique<session::SessionRunner>(
      session_, rc, std::move(h), SystemClock::Instance(), SystemRandom::Instance());
  runner_->ProfessionalInserted(*pro_reader_);
  if (!session_.authenticated()) return ExitForSessionError();
  const auto& who = runner_->professional();
  if (saved && (saved->id_nat != who->id_nat || saved->card_number != who->card_number)) {
    return Fail("this CPS card is not the one logged in: run carnet-terminal login", kExitLogin);
  }
  const std::string vitale = FindVitaleReader(*pro_reader_);
  if (vitale.empty()) {
    if (!options_.need_patient) return kExitOk;
    return Fail("insert the patient's Vitale card", kExitNoCard);
  }
  auto pr = OpenReaders();
  if (!pr.ok()) return Fail(pr.status().message(), kExitFailure);
  patient_reader_ = std::move(pr).value();
  if (auto c = patient_reader_->Connect(vitale, hal::ShareMode::kShared); !c.ok()) {
    return Fail("connecting to the Vitale card: " + c.status().message(), kExitFailure);
  }
  runner_->PatientInserted(*patient_reader_);
  if (session_.state() != session::State::kReady) {
    if (!options_.need_patient && session_.authenticated() && runner_->error().empty()) {
      return kExitOk;
    }
    return ExitForSessionError();
  }
  return kExitOk;
}

int SessionFlow::Act(session::ActionRequest request) {
  response_.reset();
  if (env_.terminal_id.empty()) {
    return Fail(
        "the terminal is not enrolled: no device_cert in the configuration "
        "(carnet-terminal enroll, then carnet-node enroll-terminal)",
        kExitUsage);
  }
  // Start-up is over (cards connected, session resumed, configuration and keys read): from here
  // on only the syscalls of firmware/hardening's allow-list work, for the signing, the TLS
  // exchange with the node and the outbox. `login` never gets here: it forks the keeper.
  static bool filtered = false;  // once per process: a command may act twice
  if (!options_.login && !filtered) {
    if (Status f = hardening::InstallSeccompFilter(); !f.ok()) {
      return Fail("cannot install the system-call filter: " + f.message(), kExitFailure);
    }
    filtered = true;
  }
  runner_->Request(std::move(request));
  if (!runner_->error().empty()) return ExitForSessionError();
  if (runner_->queued()) return kExitOk;
  const auto& d = runner_->delivery();
  if (!d) return ExitForSessionError();
  if (d->http_status < 200 || d->http_status > 299) {
    if (options_.json_out) PrintNodeError(d->http_status, d->body, request_id_hex());
    return Fail(DescribeNodeError(d->http_status, d->body), kExitRefused);
  }
  auto decoded = protocol::DecodeResponse(d->body);
  if (!decoded.ok()) {
    return Fail("the node's answer does not decode: " + decoded.status().message(), kExitFailure);
  }
  response_ = std::move(decoded).value();
  return kExitOk;
}

}  // namespace carnet::fw::app

namespace carnet::fw::app {

std::optional<int> ParseCommand(const char* command,
                                const char* usage,
                                Args args,
                                std::vector<OptionSpec> specs,
                                Options& out) {
  specs.push_back({"config", true, false});
  specs.push_back({"json", false, false});
  specs.push_back({"help", false, false});
  auto o = Options::Parse(args, specs);
  if (!o.ok()) {
    std::fputs(usage, stderr);
    return Fail(command, o.status().message(), kExitUsage);
  }
  if (o->Has("help")) {
    std::fputs(usage, stdout);
    return kExitOk;
  }
  out = std::move(o).value();
  return std::nullopt;
}

json::Value ProfessionalJson(const cps::HolderIdentity& id) {
  json::Value v = json::Value::MakeObject();
  v.Set("id_nat", json::Value::String(id.id_nat));
  v.Set("surname", json::Value::String(id.surname));
  v.Set("given_name", json::Value::String(id.given_name));
  v.Set("profession", json::Value::String(id.profession));
  v.Set("card_number", json::Value::String(id.card_number));
  return v;
}

json::Value PatientJson(const vitale::VitaleIdentity& id) {
  json::Value v = json::Value::MakeObject();
  v.Set("rank", json::Value::Int(id.rank));
  v.Set("nir", json::Value::String(id.nir));
  v.Set("surname", json::Value::String(id.surname));
  v.Set("given_name", json::Value::String(id.given_name));
  return v;
}

json::Value DocumentJson(const protocol::DocumentInfo& d) {
  json::Value m = json::Value::MakeObject();
  m.Set("id", json::Value::String(d.metadata.id));
  m.Set("type_code", json::Value::String(d.metadata.type_code));
  m.Set("title", json::Value::String(d.metadata.title));
  m.Set("content_type", json::Value::String(d.metadata.content_type));
  m.Set("masked", json::Value::Bool(d.metadata.masked));
  m.Set("invisible_patient", json::Value::Bool(d.metadata.invisible_patient));
  m.Set("invisible_legal_reps", json::Value::Bool(d.metadata.invisible_legal_reps));
  if (d.metadata.replaces) m.Set("replaces", json::Value::String(*d.metadata.replaces));
  json::Value v = json::Value::MakeObject();
  v.Set("metadata", std::move(m));
  v.Set("version", json::Value::Int(static_cast<int64_t>(d.version)));
  v.Set("author", json::Value::String(d.author));
  v.Set("status", json::Value::String(std::string(protocol::DocumentStatusName(d.status))));
  v.Set("deposited_at", json::Value::String(FormatRfc3339(d.deposited_at)));
  v.Set("size", json::Value::Int(static_cast<int64_t>(d.content_size)));
  v.Set("content_sha256", json::Value::String(HexEncode(d.content_sha256)));
  return v;
}

void Print(bool json_out, const json::Value& v, const std::string& human) {
  if (json_out) {
    std::printf("%s\n", json::Write(v).c_str());
  } else if (!human.empty()) {
    std::printf("%s\n", human.c_str());
  }
}

}  // namespace carnet::fw::app
