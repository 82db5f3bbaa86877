// `carnet-terminal login` and `carnet-terminal status`: start a session (both cards checked,
// PIN verified, CPS authenticated) and show where the terminal stands.
//
// The CPS keeps its verified PIN while it stays powered (pcscd disconnects with LEAVE_CARD,
// and the session keeper — session_keeper.h — holds a handle so pcscd does not power it
// down), so later commands ask the card whether its PIN is verified instead of caching the
// PIN; the terminal stores only who logged in and when they last acted
// (state_dir/session.json), for the idle lock.
#include <cstdio>
#include <string>

#include "firmware/app/commands.h"
#include "firmware/app/session_flow.h"
#include "firmware/app/session_keeper.h"

namespace carnet::fw::app {
namespace {

constexpr char kLoginUsage[] =
    "usage: carnet-terminal login [--config FILE] [--pin-stdin] [--beneficiary RANK] [--json]\n"
    "\n"
    "Checks the professional's CPS (identity, AUT and SIG chains to IGC-Santé with the CRLs),\n"
    "verifies the PIN (reader's PIN pad, else the console; --pin-stdin: one line from standard\n"
    "input) and authenticates the card. When a Vitale card is inserted it is checked too (NIR\n"
    "keys, certificate under the Vitale CA, card authentication) and the beneficiary chosen\n"
    "(--beneficiary RANK, 0 = the insured, the default).\n"
    "The session then lasts while the CPS stays inserted and powered, until idle_timeout\n"
    "seconds pass without a command (the card is then reset: log in again).\n"
    "  --config FILE  terminal configuration (default $CARNET_TERMINAL_CONFIG or\n"
    "                 /etc/carnet/terminal.conf; firmware/app/README.md)\n"
    "  --json         {\"professional\":{...},\"patient\":{...}?} on stdout\n"
    "Exit: 0 logged in, 3 no CPS card, 4 wrong PIN, 5 PIN blocked, 1 card refused or failure,\n"
    "2 usage.\n";

constexpr char kStatusUsage[] =
    "usage: carnet-terminal status [--config FILE] [--dossier] [--json]\n"
    "\n"
    "Where the terminal stands: the cards in the readers, the session (who is logged in, since\n"
    "when idle, whether the CPS still holds its verified PIN), the node (reachable or not) and\n"
    "the requests waiting in the outbox. --dossier also asks the node for the patient's\n"
    "dossier state (needs a session and the patient's Vitale card).\n"
    "Exit: 0 shown, 2 usage; with --dossier the session commands' codes.\n";

std::string Name(const cps::HolderIdentity& id) {
  return id.given_name + " " + id.surname + " (idNat " + id.id_nat + ")";
}

int Rank(const Options& o, const char* command, int& rank) {
  const std::string r = o.Get("beneficiary", "0");
  if (r.empty() || r.size() > 2 || r.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(command, "--beneficiary takes a rank: 0 (the insured), 1, 2...", kExitUsage);
  }
  rank = std::stoi(r);
  return kExitOk;
}

}  // namespace

int RunLogin(Args args) {
  Options o;
  if (auto rc = ParseCommand("login", kLoginUsage, args,
                             {{"pin-stdin", false, false}, {"beneficiary", true, false}}, o)) {
    return *rc;
  }
  FlowOptions fo;
  fo.login = true;
  fo.pin_stdin = o.Has("pin-stdin");
  fo.need_patient = false;
  if (int rc = Rank(o, "login", fo.beneficiary); rc != kExitOk) return rc;
  auto env = LoadTerminalEnv(o);
  if (!env.ok()) return Fail("login", env.status().message(), kExitUsage);
  SessionFlow flow("login", *env, fo);
  if (int rc = flow.Start(); rc != kExitOk) return rc;
  json::Value v = json::Value::MakeObject();
  const auto& pro = *flow.runner().professional();
  v.Set("professional", ProfessionalJson(pro));
  std::string human = "logged in: " + Name(pro);
  if (const auto* p = flow.runner().patient()) {
    v.Set("patient", PatientJson(*p));
    human += "\npatient: " + p->given_name + " " + p->surname + ", NIR " + p->nir;
  } else {
    human += "\nno patient card: insert the patient's Vitale card";
  }
  v.Set("idle_timeout_s", json::Value::Int(env->config.idle_timeout.count()));
  // pcscd powers an unused card down within a second: keep a handle open for the session.
  if (Status k = StartSessionKeeper(*env, flow.professional_reader(), pro.card_number); !k.ok()) {
    return Fail("login", "logged in, but " + k.message() + ": the card will lose its PIN state",
                kExitFailure);
  }
  Print(o.Has("json"), v, human);
  return kExitOk;
}

int RunStatus(Args args) {
  Options o;
  if (auto rc = ParseCommand("status", kStatusUsage, args, {{"dossier", false, false}}, o)) {
    return *rc;
  }
  auto env = LoadTerminalEnv(o);
  if (!env.ok()) return Fail("status", env.status().message(), kExitUsage);
  const bool json_out = o.Has("json");
  if (o.Has("dossier")) {
    SessionFlow flow("status", *env, FlowOptions{});
    if (int rc = flow.Start(); rc != kExitOk) return rc;
    session::ActionRequest req;
    req.action = protocol::Action::kStatus;
    if (int rc = flow.Act(std::move(req)); rc != kExitOk) return rc;
    const auto* st = std::get_if<protocol::StatusResult>(&flow.response()->body);
    if (st == nullptr) return Fail("status", "the node answered something else", kExitFailure);
    json::Value v = json::Value::MakeObject();
    v.Set("dossier", json::Value::String(std::string(protocol::DossierStateName(st->state))));
    v.Set("authorized", json::Value::Bool(st->authorized));
    v.Set("treating_physician", json::Value::Bool(st->treating_physician));
    Print(json_out, v,
          "dossier: " + std::string(protocol::DossierStateName(st->state)) +
              (st->authorized ? ", you may read it" : ", reading needs the patient's consent"));
    return kExitOk;
  }
  json::Value v = json::Value::MakeObject();
  std::string human;
  v.Set("terminal_id", json::Value::String(env->terminal_id));
  human += "terminal: " + (env->terminal_id.empty() ? "not enrolled" : env->terminal_id) + "\n";
  const auto saved = LoadSavedSession(*env);
  json::Value s = json::Value::MakeObject();
  s.Set("logged_in", json::Value::Bool(saved.has_value()));
  if (saved) {
    const UnixMillis idle = SystemClock::Instance().Now() - saved->last_activity;
    const bool stale = idle > std::chrono::milliseconds(env->config.idle_timeout).count();
    s.Set("id_nat", json::Value::String(saved->id_nat));
    s.Set("last_activity", json::Value::String(FormatRfc3339(saved->last_activity)));
    s.Set("locked", json::Value::Bool(stale));
    human += "session: idNat " + saved->id_nat + ", last activity " +
             FormatRfc3339(saved->last_activity) + (stale ? " (locked: log in again)" : "") + "\n";
  } else {
    human += "session: none (carnet-terminal login)\n";
  }
  v.Set("session", std::move(s));
  bool reachable = false;
  std::string node_note = "not configured";
  if (auto node = MakeNodeClient(*env, 1); node.ok()) {
    auto reply = (*node)->Get("/");
    reachable = reply.ok();
    node_note = reachable ? "reachable" : "unreachable: " + reply.status().message();
  } else if (env->config.node_port != 0) {
    node_note = node.status().message();
  }
  json::Value n = json::Value::MakeObject();
  n.Set("address",
        json::Value::String(env->config.node_host + ":" + std::to_string(env->config.node_port)));
  n.Set("reachable", json::Value::Bool(reachable));
  v.Set("node", std::move(n));
  human += "node: " + node_note + "\n";
  if (auto box = OpenOutbox(*env); box.ok()) {
    const size_t waiting = (*box)->Size().value_or(0);
    v.Set("outbox", json::Value::Int(static_cast<int64_t>(waiting)));
    human += "outbox: " + std::to_string(waiting) + " waiting";
  } else {
    human += "outbox: " + box.status().message();
  }
  Print(json_out, v, human);
  return kExitOk;
}

}  // namespace carnet::fw::app
