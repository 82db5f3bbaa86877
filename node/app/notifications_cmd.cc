// `carnet-node notifications list|deliver --config FILE ...`: the notification records the
// request service stores when the policy asks for one (first access of a professional, each
// emergency access, each new visible document), for the operator's delivery channel.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "hal/base/json.h"
#include "node/app/commands.h"
#include "node/app/operator_cli.h"

namespace carnet::node::app {
namespace {

constexpr char kUsage[] =
    "usage: carnet-node notifications list --config FILE [--pending] [--json]\n"
    "       carnet-node notifications deliver --config FILE --id N [--now T]\n"
    "\n"
    "The notifications the policy requires (DESIGN.md §4 step 7), as the node stored them in\n"
    "the same transaction as the decision that caused them:\n"
    "  first_access      a professional's first access to a dossier -> the patient\n"
    "  emergency_access  each emergency access (bris de glace, centre 15) -> the patient and\n"
    "                    the treating physician\n"
    "  new_document      each new document visible to the patient -> the patient\n"
    "\n"
    "  list      every record (or only the pending ones with --pending): id, kind, recipients,\n"
    "            patient INS, professional idNat, document, created, trace entry, delivered\n"
    "  deliver   marks record N delivered (at --now T, default now) once the operator's channel\n"
    "            has sent it; delivering a record twice is refused\n"
    "  --json    list: one JSON array of {id, kind, recipients, ins, actor, document,\n"
    "            created_at, trace_index, delivered_at}\n"
    "\n"
    "Exit 0 done, 1 failed (unknown id, already delivered, unreadable node files), 2 usage.\n";

constexpr std::string_view kCmd = "notifications";

const char* Recipients(store::NotificationKind kind) {
  return kind == store::NotificationKind::kEmergencyAccess ? "patient,treating_physician"
                                                           : "patient";
}

json::Value ToJson(const store::NotificationRecord& n) {
  json::Value v = json::Value::MakeObject();
  v.Set("id", json::Value::Int(n.id));
  v.Set("kind", json::Value::String(std::string(store::NotificationKindName(n.kind))));
  v.Set("recipients", json::Value::String(Recipients(n.kind)));
  v.Set("ins", json::Value::String(n.ins));
  v.Set("actor", json::Value::String(n.actor_id_nat));
  v.Set("document", json::Value::String(n.document_id));
  v.Set("created_at", json::Value::String(FormatRfc3339(n.created_at)));
  v.Set("trace_index", json::Value::Int(static_cast<int64_t>(n.trace_index)));
  v.Set("delivered_at",
        n.delivered_at ? json::Value::String(FormatRfc3339(*n.delivered_at)) : json::Value());
  return v;
}

int List(store::SqliteStore& store, bool pending, bool json_out) {
  auto list = store.ListNotifications(pending);
  if (!list.ok()) return Fail(kCmd, kExitFailed, list.status().message());
  if (json_out) {
    json::Value arr = json::Value::MakeArray();
    for (const auto& n : *list) arr.Append(ToJson(n));
    std::printf("%s\n", json::Write(arr).c_str());
    return 0;
  }
  std::printf("%zu notification(s)%s\n", list->size(), pending ? " pending" : "");
  for (const auto& n : *list) {
    const std::string kind(store::NotificationKindName(n.kind));
    std::printf(
        "  #%lld %-16s to %-26s patient %s  by %s%s%s  at %s  trace %llu  %s\n",
        static_cast<long long>(n.id), kind.c_str(), Recipients(n.kind), n.ins.c_str(),
        n.actor_id_nat.c_str(), n.document_id.empty() ? "" : "  document ", n.document_id.c_str(),
        FormatRfc3339(n.created_at).c_str(), static_cast<unsigned long long>(n.trace_index),
        n.delivered_at ? ("delivered " + FormatRfc3339(*n.delivered_at)).c_str() : "pending");
  }
  return 0;
}

int Deliver(store::SqliteStore& store, const std::string& id_text, UnixMillis now) {
  char* end = nullptr;
  errno = 0;
  const long long id = std::strtoll(id_text.c_str(), &end, 10);
  if (errno != 0 || end == id_text.c_str() || *end != '\0' || id <= 0) {
    return Fail(kCmd, kExitUsage, "--id wants a notification number, got '" + id_text + "'");
  }
  auto all = store.ListNotifications(false);
  if (!all.ok()) return Fail(kCmd, kExitFailed, all.status().message());
  const store::NotificationRecord* found = nullptr;
  for (const auto& n : *all) {
    if (n.id == id) found = &n;
  }
  if (found == nullptr) {
    return Fail(kCmd, kExitFailed,
                "no notification #" + id_text + " ('notifications list' shows them)");
  }
  if (found->delivered_at) {
    return Fail(kCmd, kExitFailed,
                "notification #" + id_text + " was already delivered at " +
                    FormatRfc3339(*found->delivered_at) + "; nothing changed");
  }
  if (Status s = store.MarkNotificationDelivered(id, now); !s.ok()) {
    return Fail(kCmd, kExitFailed, s.message());
  }
  std::printf("notification #%s delivered at %s\n", id_text.c_str(), FormatRfc3339(now).c_str());
  return 0;
}

}  // namespace

int RunNotifications(Args args) {
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  const std::string sub(args[0]);
  if (sub != "list" && sub != "deliver") {
    return UsageError(kCmd, kUsage, "unknown sub-command '" + sub + "'");
  }
  OperatorArgs a =
      ParseOperatorArgs(args.subspan(1), {"--config", "--id", "--now"}, {"--pending", "--json"});
  if (a.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!a.error.empty()) return UsageError(kCmd, kUsage, a.error);
  if (!a.positional.empty()) return UsageError(kCmd, kUsage, "unexpected " + a.positional[0]);
  if (a.Value("--config") == nullptr) return UsageError(kCmd, kUsage, "missing --config FILE");
  if (sub == "deliver" && a.Value("--id") == nullptr) {
    return UsageError(kCmd, kUsage, "deliver needs --id N");
  }
  if (sub == "list" && (a.Value("--id") != nullptr || a.Value("--now") != nullptr)) {
    return UsageError(kCmd, kUsage, "--id and --now belong to deliver");
  }
  auto now = NowOption(a);
  if (!now.ok()) return UsageError(kCmd, kUsage, now.status().message());
  auto config = LoadOperatorConfig(*a.Value("--config"));
  if (!config.ok()) return Fail(kCmd, kExitFailed, config.status().message());
  auto opened = OpenNodeStore(*config);
  if (!opened.ok()) return Fail(kCmd, kExitFailed, opened.status().message());
  if (sub == "list") return List(*opened->store, a.Has("--pending"), a.Has("--json"));
  return Deliver(*opened->store, *a.Value("--id"), *now);
}

}  // namespace carnet::node::app
