// `carnet-node retention sweep --config FILE [--now T] [--json]`: crypto-shredding of the
// closed dossiers past their retention (node/retention).
#include <cstdio>
#include <string>

#include "node/app/commands.h"
#include "node/app/operator_cli.h"
#include "node/retention/retention.h"

namespace carnet::node::app {
namespace {

constexpr char kUsage[] =
    "usage: carnet-node retention sweep --config FILE [--now T] [--json]\n"
    "\n"
    "Destroys the patient key of every closed dossier that is due (crypto-shredding): closed\n"
    "[retention] closed_years (10) ago or more, or whose patient asked for early deletion 3\n"
    "months ago or more — the instants at which the policy starts answering\n"
    "DOSSIER_RETENTION_EXPIRED / DOSSIER_DELETION_DUE. Each destruction and its trace entry\n"
    "(action destroy_key, terminal retention-sweep) are one transaction. Then lists every\n"
    "document whose key is destroyed (unreadable blobs until purged).\n"
    "A closed dossier whose settings cannot be read or that has no closure date is never\n"
    "destroyed: it is listed as a problem. Running the sweep again destroys nothing twice.\n"
    "\n"
    "  --now T   the sweep's time: RFC 3339 (2036-01-01T00:00:00Z or 2036-01-01) or unix\n"
    "            milliseconds; default now. For planning (what would a later sweep destroy?)\n"
    "            use a copy of the database: the sweep is not a dry run.\n"
    "  --json    {\"now\", \"destroyed\": [{ins, rule, closed_at, due_at, trace_index}],\n"
    "            \"kept\": [{ins, closed_at, due_at}], \"problems\": [{ins, reason}],\n"
    "            \"unreadable\": [{id, version, ins}]}\n"
    "\n"
    "Exit 0 done, 1 failed or problems found (the others were still swept), 2 usage error.\n";

constexpr std::string_view kCmd = "retention";

void PrintText(const retention::SweepReport& r) {
  std::printf("retention sweep at %s\n", FormatRfc3339(r.now).c_str());
  std::printf("destroyed: %zu\n", r.destroyed.size());
  for (const auto& d : r.destroyed) {
    std::printf("  %s  %s  closed %s, due %s, trace entry %llu\n", d.ins.c_str(), d.rule_id.c_str(),
                FormatRfc3339(d.closed_at).c_str(), FormatRfc3339(d.due_at).c_str(),
                static_cast<unsigned long long>(d.trace_index));
  }
  std::printf("kept (closed, not yet due): %zu\n", r.kept.size());
  for (const auto& k : r.kept) {
    std::printf("  %s  closed %s, due %s\n", k.ins.c_str(), FormatRfc3339(k.closed_at).c_str(),
                FormatRfc3339(k.due_at).c_str());
  }
  std::printf("problems: %zu\n", r.problems.size());
  for (const auto& p : r.problems) std::printf("  %s  %s\n", p.ins.c_str(), p.reason.c_str());
  std::printf("unreadable documents (key destroyed): %zu\n", r.unreadable.size());
  for (const auto& u : r.unreadable) {
    std::printf("  %s v%llu  patient %s\n", u.id.c_str(),
                static_cast<unsigned long long>(u.version), u.ins.c_str());
  }
}

}  // namespace

int RunRetention(Args args) {
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (args[0] != "sweep") {
    return UsageError(kCmd, kUsage, "unknown sub-command '" + std::string(args[0]) + "'");
  }
  OperatorArgs a = ParseOperatorArgs(args.subspan(1), {"--config", "--now"}, {"--json"});
  if (a.help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (!a.error.empty()) return UsageError(kCmd, kUsage, a.error);
  if (!a.positional.empty()) return UsageError(kCmd, kUsage, "unexpected " + a.positional[0]);
  if (a.Value("--config") == nullptr) return UsageError(kCmd, kUsage, "missing --config FILE");
  auto now = NowOption(a);
  if (!now.ok()) return UsageError(kCmd, kUsage, now.status().message());
  auto config = LoadOperatorConfig(*a.Value("--config"));
  if (!config.ok()) return Fail(kCmd, kExitFailed, config.status().message());
  auto opened = OpenNodeStore(*config);
  if (!opened.ok()) return Fail(kCmd, kExitFailed, opened.status().message());
  retention::RetentionRules rules{.closed_years = config->retention.closed_years};
  auto report = retention::Sweep(*opened->store, *opened->log, rules, *now);
  if (!report.ok()) return Fail(kCmd, kExitFailed, report.status().message());
  if (a.Has("--json")) {
    std::printf("%s\n", retention::ReportToJson(*report).c_str());
  } else {
    PrintText(*report);
  }
  return report->problems.empty() ? 0 : kExitFailed;
}

}  // namespace carnet::node::app
