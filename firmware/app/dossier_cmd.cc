// The patient's dossier from the desk: open-dossier, deposit, list, read, consent and
// emergency. Each runs the session (session_flow.h) to `ready`, builds one request, has the
// Vitale card sign its id and the CPS sign it (AUT for reads, SIG for deposits), sends it,
// and prints the node's answer. A deposit the node cannot take now waits in the outbox.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>

#include "firmware/app/commands.h"
#include "firmware/app/session_flow.h"

namespace carnet::fw::app {
namespace {

using protocol::Action;

constexpr char kCommon[] =
    "  --config FILE  terminal configuration (firmware/app/README.md)\n"
    "  --beneficiary RANK  the identity on the Vitale card (0 = the insured, the default)\n"
    "  --json         the result as one JSON object on stdout\n"
    "  --pin-stdin    when the CPS no longer holds its verified PIN (pcscd powers an idle card\n"
    "                 down), read it from standard input instead of failing with exit 7\n"
    "Exit: 0 done (or queued), 3 a card is missing, 7 log in first, 6 the node refused\n"
    "(reason printed), 1 failure (node unreachable for a read, card error), 2 usage.\n";

std::string Usage(const char* head) { return std::string(head) + kCommon; }

struct Run {
  const char* command;
  Options options;
  std::optional<TerminalEnv> env;
  std::unique_ptr<SessionFlow> flow;
};

// Parses, loads the configuration and starts the session; an exit code when it must stop.
// `check` validates the options before any card or node is touched.
using Check = std::function<std::optional<int>(const Options&)>;
std::optional<int> Begin(Run& run,
                         const std::string& usage,
                         Args args,
                         std::vector<OptionSpec> specs,
                         const Check& check = nullptr) {
  specs.push_back({"beneficiary", true, false});
  specs.push_back({"pin-stdin", false, false});
  if (auto rc = ParseCommand(run.command, usage.c_str(), args, std::move(specs), run.options)) {
    return rc;
  }
  if (check) {
    if (auto rc = check(run.options)) return rc;
  }
  const std::string rank = run.options.Get("beneficiary", "0");
  if (rank.empty() || rank.size() > 2 ||
      rank.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(run.command, "--beneficiary takes a rank: 0 (the insured), 1, 2...", kExitUsage);
  }
  auto env = LoadTerminalEnv(run.options);
  if (!env.ok()) return Fail(run.command, env.status().message(), kExitUsage);
  run.env = std::move(env).value();
  FlowOptions fo;
  fo.beneficiary = std::stoi(rank);
  fo.json_out = run.options.Has("json");
  fo.pin_stdin = run.options.Has("pin-stdin");
  run.flow = std::make_unique<SessionFlow>(run.command, *run.env, fo);
  if (int rc = run.flow->Start(); rc != kExitOk) return rc;
  return std::nullopt;
}

// Sends `req`; prints "queued" or hands the answer to `show`.
template <typename Show>
int Finish(Run& run, session::ActionRequest req, Show show) {
  if (int rc = run.flow->Act(std::move(req)); rc != kExitOk) return rc;
  const bool json_out = run.options.Has("json");
  if (run.flow->queued()) {
    json::Value v = json::Value::MakeObject();
    v.Set("result", json::Value::String("queued"));
    v.Set("queued", json::Value::Bool(true));
    v.Set("request_id", json::Value::String(run.flow->request_id_hex()));
    Print(json_out, v, "queued in the outbox: request " + run.flow->request_id_hex());
    return kExitOk;
  }
  json::Value v = json::Value::MakeObject();
  v.Set("result", json::Value::String("accepted"));
  v.Set("request_id", json::Value::String(run.flow->request_id_hex()));
  std::string human;
  if (int rc = show(run.flow->response()->body, v, human); rc != kExitOk) return rc;
  Print(json_out, v, human);
  return kExitOk;
}

int ShowAck(const protocol::ResponseBody& body,
            json::Value& v,
            std::string& human,
            const char* done) {
  const auto* ack = std::get_if<protocol::Ack>(&body);
  if (ack == nullptr)
    return Fail("carnet-terminal", "unexpected answer from the node", kExitFailure);
  human = done;
  if (ack->document_id) {
    v.Set("document_id", json::Value::String(*ack->document_id));
    human += ": document " + *ack->document_id;
  }
  if (ack->version) {
    v.Set("version", json::Value::Int(static_cast<int64_t>(*ack->version)));
    human += " version " + std::to_string(*ack->version);
  }
  v.Set("trace_index", json::Value::Int(static_cast<int64_t>(ack->trace_index)));
  human += " (trace " + std::to_string(ack->trace_index) + ")";
  return kExitOk;
}

int ShowList(const protocol::ResponseBody& body, json::Value& v, std::string& human) {
  const auto* list = std::get_if<protocol::DocumentList>(&body);
  if (list == nullptr) return Fail("list", "unexpected answer from the node", kExitFailure);
  json::Value docs = json::Value::MakeArray();
  for (const auto& d : list->documents) {
    docs.Append(DocumentJson(d));
    human += d.metadata.id + "  v" + std::to_string(d.version) + "  " + d.metadata.type_code +
             "  " + FormatRfc3339(d.deposited_at) + "  " + d.metadata.title + "\n";
  }
  if (list->documents.empty()) human = "no document visible to you\n";
  human.pop_back();
  v.Set("documents", std::move(docs));
  return kExitOk;
}

// Writes the read document to `path` (0600, never over an existing file) or stdout.
int ShowDocument(const protocol::ResponseBody& body,
                 json::Value& v,
                 std::string& human,
                 const std::string& path,
                 bool json_out) {
  const auto* doc = std::get_if<protocol::DocumentResult>(&body);
  if (doc == nullptr) return Fail("read", "unexpected answer from the node", kExitFailure);
  v.Set("document", DocumentJson(doc->info));
  if (path.empty() && json_out) {
    v.Set("content_base64", json::Value::String(Base64Encode(doc->content)));
    return kExitOk;
  }
  if (path.empty()) {
    std::fwrite(doc->content.data(), 1, doc->content.size(), stdout);
    std::fprintf(stderr, "%s v%llu, %zu bytes\n", doc->info.metadata.id.c_str(),
                 static_cast<unsigned long long>(doc->info.version), doc->content.size());
    return kExitOk;
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return Fail("read", "cannot create " + path + " (it must not exist)", kExitFailure);
  const ssize_t n = ::write(fd, doc->content.data(), doc->content.size());
  ::close(fd);
  if (n != static_cast<ssize_t>(doc->content.size())) {
    return Fail("read", "cannot write " + path, kExitFailure);
  }
  v.Set("out", json::Value::String(path));
  human = doc->info.metadata.id + " v" + std::to_string(doc->info.version) + " written to " + path +
          " (" + std::to_string(doc->content.size()) + " bytes)";
  return kExitOk;
}

std::string GuessContentType(const std::string& file) {
  const auto dot = file.find_last_of('.');
  const std::string ext = dot == std::string::npos ? "" : file.substr(dot + 1);
  if (ext == "pdf") return "application/pdf";
  if (ext == "txt") return "text/plain";
  if (ext == "xml") return "text/xml";
  return "application/octet-stream";
}

// `read` takes the document id as its first word.
void SplitId(Args& args, std::string& id) {
  if (args.empty() || args[0].empty() || args[0][0] == '-') return;
  id = std::string(args[0]);
  args = args.subspan(1);
}

}  // namespace

int RunOpenDossier(Args args) {
  const std::string usage = Usage(
      "usage: carnet-terminal open-dossier --patient-consent [--config FILE] [--json]\n\n"
      "Opens the patient's dossier. The patient must have agreed: --patient-consent records\n"
      "that they did (the request carries it, signed with the CPS AUT key).\n");
  Run run{"open-dossier", {}, {}, {}};
  auto check = [](const Options& o) -> std::optional<int> {
    if (o.Has("patient-consent")) return std::nullopt;
    return Fail("open-dossier", "ask the patient's consent, then pass --patient-consent",
                kExitUsage);
  };
  if (auto rc = Begin(run, usage, args, {{"patient-consent", false, false}}, check)) return *rc;
  session::ActionRequest req;
  req.action = Action::kOpen;
  req.args = protocol::OpenArgs{true};
  return Finish(run, std::move(req), [](const auto& body, auto& v, auto& human) {
    return ShowAck(body, v, human, "dossier opened");
  });
}

int RunDeposit(Args args) {
  const std::string usage = Usage(
      "usage: carnet-terminal deposit --type CODE --file F [--title T] [--content-type MIME]\n"
      "                               [--mask] [--invisible-patient] [--invisible-legal-reps]\n"
      "                               [--config FILE] [--json]\n\n"
      "Deposits a document (JDV_J66 type CODE, e.g. 11488-4) in the patient's dossier, signed\n"
      "with the CPS SIG (non-repudiation) key. --mask hides it from other professionals\n"
      "(MASQUE_PS), --invisible-patient from the patient until revealed, --invisible-legal-reps\n"
      "from the patient's legal representatives. When the node is unreachable the signed\n"
      "request waits in the outbox ('carnet-terminal outbox flush' sends it).\n");
  Run run{"deposit", {}, {}, {}};
  Bytes content;
  if (auto rc = Begin(
          run, usage, args,
          {{"type", true, false},
           {"file", true, false},
           {"title", true, false},
           {"content-type", true, false},
           {"mask", false, false},
           {"invisible-patient", false, false},
           {"invisible-legal-reps", false, false}},
          [&content](const Options& o) -> std::optional<int> {
            if (!o.Has("type") || !o.Has("file")) {
              return Fail("deposit", "--type CODE and --file F are required", kExitUsage);
            }
            std::ifstream in(o.Get("file"), std::ios::binary);
            if (!in) return Fail("deposit", "cannot read " + o.Get("file"), kExitUsage);
            content.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
            return std::nullopt;
          })) {
    return *rc;
  }
  const Options& o = run.options;
  const std::string file = o.Get("file");
  session::DepositChoice c;
  c.type_code = o.Get("type");
  const auto slash = file.find_last_of('/');
  c.title = o.Get("title", slash == std::string::npos ? file : file.substr(slash + 1));
  c.content_type = o.Get("content-type", GuessContentType(file));
  c.masked = o.Has("mask");
  c.invisible_patient = o.Has("invisible-patient");
  c.invisible_legal_reps = o.Has("invisible-legal-reps");
  auto a = session::MakeDepositArgs(c, std::move(content), SystemRandom::Instance());
  if (!a.ok()) return Fail("deposit", a.status().message(), kExitUsage);
  session::ActionRequest req;
  req.action = Action::kDeposit;
  req.args = std::move(a).value();
  return Finish(run, std::move(req), [](const auto& body, auto& v, auto& human) {
    return ShowAck(body, v, human, "deposited");
  });
}

int RunList(Args args) {
  const std::string usage = Usage(
      "usage: carnet-terminal list [--type CODE] [--archived] [--config FILE] [--json]\n\n"
      "Lists the patient's documents this professional may see (signed with the AUT key).\n");
  Run run{"list", {}, {}, {}};
  if (auto rc = Begin(run, usage, args, {{"type", true, false}, {"archived", false, false}})) {
    return *rc;
  }
  protocol::ListFilter f;
  if (run.options.Has("type")) f.type_code = run.options.Get("type");
  f.include_archived = run.options.Has("archived");
  session::ActionRequest req;
  req.action = Action::kList;
  req.args = f;
  return Finish(run, std::move(req), ShowList);
}

int RunRead(Args args) {
  const std::string usage = Usage(
      "usage: carnet-terminal read ID [--version N] [--out FILE] [--config FILE] [--json]\n\n"
      "Reads one document: its content goes to FILE (created 0600, never overwritten) or to\n"
      "standard output.\n");
  std::string id;
  SplitId(args, id);
  Run run{"read", {}, {}, {}};
  if (id.empty() && !(args.size() == 1 && args[0] == "--help")) {
    std::fputs(usage.c_str(), stderr);
    return Fail("read", "the document ID is required", kExitUsage);
  }
  auto check = [](const Options& o) -> std::optional<int> {
    const std::string v = o.Get("version", "1");
    if (v.empty() || v.size() > 9 || v.find_first_not_of("0123456789") != std::string::npos) {
      return Fail("read", "--version takes a number", kExitUsage);
    }
    return std::nullopt;
  };
  if (auto rc = Begin(run, usage, args, {{"version", true, false}, {"out", true, false}}, check)) {
    return *rc;
  }
  protocol::DocumentRef ref{id, std::nullopt};
  if (run.options.Has("version")) ref.version = std::stoull(run.options.Get("version"));
  session::ActionRequest req;
  req.action = Action::kRead;
  req.args = ref;
  const std::string out = run.options.Get("out");
  const bool json_out = run.options.Has("json");
  return Finish(run, std::move(req), [&out, json_out](const auto& body, auto& v, auto& human) {
    return ShowDocument(body, v, human, out, json_out);
  });
}

int RunConsent(Args args) {
  const std::string usage = Usage(
      "usage: carnet-terminal consent [--until DATE] [--config FILE] [--json]\n\n"
      "Records that the patient consents to this professional reading their dossier (until\n"
      "DATE, YYYY-MM-DD, when given).\n");
  Run run{"consent", {}, {}, {}};
  auto check = [](const Options& o) -> std::optional<int> {
    if (!o.Has("until")) return std::nullopt;
    auto until = ParseRfc3339(o.Get("until"));
    if (until.ok()) return std::nullopt;
    return Fail("consent", "--until: " + until.status().message(), kExitUsage);
  };
  if (auto rc = Begin(run, usage, args, {{"until", true, false}}, check)) return *rc;
  protocol::TargetArgs t;
  t.idnat = run.flow->runner().professional()->id_nat;
  if (run.options.Has("until")) t.until = ParseRfc3339(run.options.Get("until")).value();
  session::ActionRequest req;
  req.action = Action::kRecordConsent;
  req.args = t;
  return Finish(run, std::move(req), [](const auto& body, auto& v, auto& human) {
    return ShowAck(body, v, human, "consent recorded");
  });
}

int RunEmergency(Args args) {
  const std::string usage = Usage(
      "usage: carnet-terminal emergency (--justification TEXT | --samu) [--read ID [--out F]]\n"
      "                                 [--config FILE] [--json]\n\n"
      "Emergency access: lists the patient's documents (or reads one with --read) in\n"
      "bris de glace mode with the written justification, or as the SAMU (centre 15) with\n"
      "--samu. The patient and their treating physician are notified; refused when the patient\n"
      "opposed it.\n");
  Run run{"emergency", {}, {}, {}};
  if (auto rc = Begin(run, usage, args,
                      {{"justification", true, false},
                       {"samu", false, false},
                       {"read", true, false},
                       {"out", true, false}},
                      [](const Options& o) -> std::optional<int> {
                        if (o.Has("samu") != o.Has("justification")) return std::nullopt;
                        return Fail("emergency",
                                    "give either --justification TEXT (bris de glace) or --samu",
                                    kExitUsage);
                      })) {
    return *rc;
  }
  const Options& o = run.options;
  session::ActionRequest req;
  req.mode = o.Has("samu") ? protocol::Mode::kCentre15 : protocol::Mode::kBrisDeGlace;
  if (o.Has("justification")) req.justification = o.Get("justification");
  if (o.Has("read")) {
    req.action = Action::kRead;
    req.args = protocol::DocumentRef{o.Get("read"), std::nullopt};
    const std::string out = o.Get("out");
    const bool json_out = o.Has("json");
    return Finish(run, std::move(req), [&out, json_out](const auto& body, auto& v, auto& human) {
      return ShowDocument(body, v, human, out, json_out);
    });
  }
  req.action = Action::kList;
  req.args = protocol::ListFilter{};
  return Finish(run, std::move(req), ShowList);
}

}  // namespace carnet::fw::app
