// `carnet-node policy ...`: the operator's and auditor's view of the policy engine.
//   explain SCENARIO.json  one decision as JSON; exit 0 allow, 3 deny, 2 invalid scenario
//   matrix                 the habilitation matrix, resolved per (profession, type)
//   rules                  every rule id with its meaning
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "node/app/commands.h"
#include "node/policy/codes.h"
#include "node/policy/engine.h"
#include "node/policy/scenario.h"

namespace carnet::node::app {
namespace {

using namespace carnet::node::policy;

constexpr int kInvalid = 2;
constexpr int kDeny = 3;

constexpr char kUsage[] =
    "usage: carnet-node policy <explain|matrix|rules> [options]\n"
    "\n"
    "  explain [--matrix FILE] SCENARIO.json   decide one scenario ('-' reads stdin)\n"
    "      prints {\"decision\",\"rule\",\"reason\",\"obligations\"[,\"visible\"]};\n"
    "      exit 0 allow, 3 deny, 2 invalid scenario or matrix (message on stderr)\n"
    "  matrix [--matrix FILE] [--profession CODE] [--specialty CODE] [--type CODE]\n"
    "      prints the resolved cells (profession, specialty, type, class, read, basis,\n"
    "      line, citation) and a count of sourced / assumed / default cells\n"
    "  rules                                   every rule id and its meaning\n"
    "\n"
    "The matrix compiled into the binary is used unless --matrix names a file.\n"
    "Schema and rule list: node/policy/README.md.\n";

int Fail(const std::string& message) {
  std::fprintf(stderr, "carnet-node policy: %s\n", message.c_str());
  return kInvalid;
}

bool IsHelp(Args args) {
  for (std::string_view a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ostringstream buf;
  if (path == "-") {
    buf << std::cin.rdbuf();
    return buf.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgument("cannot open " + path);
  buf << in.rdbuf();
  return buf.str();
}

// Options common to the sub-commands: "--name VALUE" pairs plus positional arguments.
struct Options {
  std::optional<std::string> matrix, profession, specialty, type;
  std::vector<std::string> positional;
};

Result<Options> ParseOptions(Args args) {
  Options o;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    std::optional<std::string>* slot = a == "--matrix"       ? &o.matrix
                                       : a == "--profession" ? &o.profession
                                       : a == "--specialty"  ? &o.specialty
                                       : a == "--type"       ? &o.type
                                                             : nullptr;
    if (slot == nullptr) {
      if (a.size() > 1 && a[0] == '-') return InvalidArgument("unknown option " + std::string(a));
      o.positional.emplace_back(a);
      continue;
    }
    if (i + 1 >= args.size()) return InvalidArgument(std::string(a) + " needs a value");
    *slot = std::string(args[++i]);
  }
  return o;
}

Result<HabilitationMatrix> Matrix(const Options& o) {
  if (!o.matrix) return LoadEmbeddedMatrix();
  CARNET_ASSIGN_OR_RETURN(std::string text, ReadFile(*o.matrix));
  return LoadMatrix(text, *o.matrix);
}

int Explain(Args args) {
  if (IsHelp(args)) return std::fputs(kUsage, stdout), 0;
  Result<Options> o = ParseOptions(args);
  if (!o.ok()) return Fail(o.status().message());
  if (o->positional.size() != 1 || o->profession || o->type || o->specialty) {
    return Fail("explain takes one SCENARIO.json (and optionally --matrix FILE)");
  }
  Result<HabilitationMatrix> matrix = Matrix(*o);
  if (!matrix.ok()) return Fail(matrix.status().message());
  Result<std::string> text = ReadFile(o->positional[0]);
  if (!text.ok()) return Fail(text.status().message());
  Result<Request> request = ParseScenario(*text);
  if (!request.ok()) return Fail(o->positional[0] + ": " + request.status().message());
  Decision d = Engine(*matrix).Decide(*request);
  std::printf("%s\n", DecisionToJson(d, *request).c_str());
  return d.allow ? 0 : kDeny;
}

std::vector<std::string> Professions(const HabilitationMatrix& m, const Options& o) {
  if (o.profession) return {*o.profession};
  std::vector<std::string> out;
  for (const MatrixCell& c : m.cells()) {
    if (std::find(out.begin(), out.end(), c.profession) == out.end()) out.push_back(c.profession);
  }
  return out;
}

int PrintMatrix(Args args) {
  if (IsHelp(args)) return std::fputs(kUsage, stdout), 0;
  Result<Options> o = ParseOptions(args);
  if (!o.ok()) return Fail(o.status().message());
  if (!o->positional.empty()) return Fail("matrix takes options only");
  Result<HabilitationMatrix> m = Matrix(*o);
  if (!m.ok()) return Fail(m.status().message());
  if (o->profession && !IsProfessionCode(*o->profession)) return Fail("unknown profession code");
  if (o->specialty && !IsSpecialtyCode(*o->specialty)) return Fail("unknown specialty code");
  if (o->type && m->FindType(*o->type) == nullptr) return Fail("unknown type code");
  std::printf("# matrix %s, effective %s\n", m->version().c_str(),
              FormatRfc3339(m->effective()).substr(0, 10).c_str());
  std::printf("# profession\tspecialty\ttype\tclass\tread\tbasis\tline\tcitation\n");
  int sourced = 0, assumed = 0, defaulted = 0;
  const std::string spec = o->specialty.value_or("");
  for (const std::string& p : Professions(*m, *o)) {
    for (const MatrixType& t : m->types()) {
      if (o->type && t.code != *o->type) continue;
      MatrixAnswer a = m->Lookup(p, spec, t.code);
      const char* basis = a.cell == nullptr ? "default" : a.cell->assumed ? "assumed" : "source";
      (a.cell == nullptr ? defaulted : a.cell->assumed ? assumed : sourced)++;
      std::printf("%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", p.c_str(), spec.empty() ? "*" : spec.c_str(),
                  t.code.c_str(), t.class_code.c_str(), a.may_read ? "yes" : "no", basis,
                  a.cell ? a.cell->line : 0,
                  a.cell ? a.cell->citation.c_str() : m->default_reason().c_str());
    }
  }
  std::printf("# resolved cells: %d sourced, %d assumed, %d default\n", sourced, assumed,
              defaulted);
  return 0;
}

int PrintRules(Args args) {
  if (IsHelp(args)) return std::fputs(kUsage, stdout), 0;
  for (int i = 0; i < kRuleCount; ++i) {
    const auto r = static_cast<Rule>(i);
    std::printf("%.*s\t%.*s\n", static_cast<int>(RuleId(r).size()), RuleId(r).data(),
                static_cast<int>(RuleMeaning(r).size()), RuleMeaning(r).data());
  }
  return 0;
}

}  // namespace

int RunPolicy(Args args) {
  if (args.empty()) return std::fputs(kUsage, stderr), kInvalid;
  if (args[0] == "--help" || args[0] == "-h") return std::fputs(kUsage, stdout), 0;
  if (args[0] == "explain") return Explain(args.subspan(1));
  if (args[0] == "matrix") return PrintMatrix(args.subspan(1));
  if (args[0] == "rules") return PrintRules(args.subspan(1));
  return Fail("unknown sub-command '" + std::string(args[0]) + "' (see --help)");
}

}  // namespace carnet::node::app
