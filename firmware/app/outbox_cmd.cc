// `carnet-terminal outbox list|flush`: the signed deposits waiting for the node
// (firmware/outbox). flush sends them in order over the node client; each is removed only with
// the node's final answer, and the node answers a request id it already has with its first
// answer, so a flush interrupted and run again never stores a document twice.
#include <cstdio>
#include <string>

#include "firmware/app/commands.h"
#include "firmware/app/session_flow.h"

namespace carnet::fw::app {
namespace {

constexpr char kUsage[] =
    "usage: carnet-terminal outbox list|flush [--config FILE] [--json]\n"
    "\n"
    "  list   the requests waiting (sequence, request id, created, attempts, last error,\n"
    "         description); never their content\n"
    "  flush  sends them in order; stops at the first that cannot be delivered now (node\n"
    "         unreachable, 408, 429, 5xx). A refusal (4xx) is final: recorded and removed.\n"
    "Exit: 0 done (flush: queue emptied), 1 flush stopped (reason printed) or failure,\n"
    "6 at least one request was refused by the node, 2 usage.\n";

json::Value ItemJson(const outbox::OutboxItem& i) {
  json::Value v = json::Value::MakeObject();
  v.Set("seq", json::Value::Int(i.seq));
  v.Set("request_id", json::Value::String(HexEncode(i.request_id)));
  v.Set("created", json::Value::String(FormatRfc3339(i.created)));
  v.Set("attempts", json::Value::Int(i.attempts));
  if (!i.last_error.empty()) v.Set("last_error", json::Value::String(i.last_error));
  v.Set("description", json::Value::String(i.description));
  return v;
}

int List(outbox::Outbox& box, bool json_out) {
  auto items = box.List();
  if (!items.ok()) return Fail("outbox", items.status().message(), kExitFailure);
  json::Value arr = json::Value::MakeArray();
  std::string human;
  for (const auto& i : *items) {
    arr.Append(ItemJson(i));
    human += std::to_string(i.seq) + "  " + HexEncode(i.request_id) + "  " +
             FormatRfc3339(i.created) + "  attempts " + std::to_string(i.attempts) + "  " +
             i.description + (i.last_error.empty() ? "" : "  (" + i.last_error + ")") + "\n";
  }
  if (items->empty()) human = "the outbox is empty\n";
  human.pop_back();
  json::Value v = json::Value::MakeObject();
  v.Set("entries", std::move(arr));
  Print(json_out, v, human);
  return kExitOk;
}

int Flush(const TerminalEnv& env, outbox::Outbox& box, bool json_out) {
  std::unique_ptr<transport::NodeClient> node;
  outbox::SendFn send = [&](ByteView, ByteView cose) -> Result<outbox::NodeAnswer> {
    if (!node) {
      CARNET_ASSIGN_OR_RETURN(node, MakeNodeClient(env));
    }
    CARNET_ASSIGN_OR_RETURN(auto reply, node->Post(kRequestsPath, kCoseContentType, cose));
    std::string note;
    if (reply.status < 200 || reply.status > 299)
      note = DescribeNodeError(reply.status, reply.body);
    return outbox::NodeAnswer{reply.status, note};
  };
  auto report = box.Flush(send);
  if (!report.ok()) return Fail("outbox", report.status().message(), kExitFailure);
  json::Value answered = json::Value::MakeArray();
  std::string human;
  bool refused = false;
  for (const auto& d : report->answered) {
    json::Value a = json::Value::MakeObject();
    a.Set("request_id", json::Value::String(HexEncode(d.request_id)));
    a.Set("http_status", json::Value::Int(d.http_status));
    a.Set("refused", json::Value::Bool(d.refused));
    if (!d.note.empty()) a.Set("note", json::Value::String(d.note));
    answered.Append(std::move(a));
    refused = refused || d.refused;
    human += HexEncode(d.request_id) + (d.refused ? "  refused: " + d.note : "  delivered") + "\n";
  }
  json::Value v = json::Value::MakeObject();
  v.Set("answered", std::move(answered));
  v.Set("remaining", json::Value::Int(static_cast<int64_t>(report->remaining)));
  if (!report->stopped.ok()) v.Set("stopped", json::Value::String(report->stopped.message()));
  human += std::to_string(report->answered.size()) + " answered, " +
           std::to_string(report->remaining) + " waiting";
  if (!report->stopped.ok()) human += " (stopped: " + report->stopped.message() + ")";
  Print(json_out, v, human);
  if (!report->stopped.ok()) return kExitFailure;
  return refused ? kExitRefused : kExitOk;
}

}  // namespace

int RunOutbox(Args args) {
  std::string verb;
  if (!args.empty() && (args[0] == "list" || args[0] == "flush")) {
    verb = std::string(args[0]);
    args = args.subspan(1);
  }
  Options o;
  if (auto rc = ParseCommand("outbox", kUsage, args, {}, o)) return *rc;
  if (verb.empty()) {
    std::fputs(kUsage, stderr);
    return Fail("outbox", "say 'list' or 'flush'", kExitUsage);
  }
  auto env = LoadTerminalEnv(o);
  if (!env.ok()) return Fail("outbox", env.status().message(), kExitUsage);
  auto box = OpenOutbox(*env);
  if (!box.ok()) return Fail("outbox", box.status().message(), kExitFailure);
  if (verb == "list") return List(**box, o.Has("json"));
  return Flush(*env, **box, o.Has("json"));
}

}  // namespace carnet::fw::app
