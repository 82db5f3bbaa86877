// carnet-crypto pki test-hierarchy OUTDIR [--seed TEXT] [--force]
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "crypto/cli/commands.h"
#include "crypto/x509/pki.h"

namespace carnet::crypto::cli {
namespace {

constexpr char kUsage[] =
    "usage: carnet-crypto pki test-hierarchy OUTDIR [--seed TEXT] [--force]\n"
    "\n"
    "Generates the TEST PKI used by the tests and the demo, under OUTDIR:\n"
    "  igc/            TEST AC RACINE IGC-SANTE FORT -> TEST AC IGC-SANTE FORT PERSONNES "
    "(RSA-2048),\n"
    "                  CRLs (DER and PEM)\n"
    "  professionals/  per RPPS: AUT and SIG certificates and keys of the simulated CPS cards\n"
    "  vitale/         the Vitale CA key and, per patient, the card key and its CVC\n"
    "  operator/       operator root, node server certificate (localhost), terminal CA,\n"
    "                  terminals TERM-0001/TERM-0002 and the portal client (ECDSA P-256)\n"
    "  trace/ ecps/    the trace-log signing key and the e-CPS provider key\n"
    "  index.json      every file, with the identities of professionals and patients\n"
    "\n"
    "  --seed TEXT     reproducible output: the same TEXT gives byte-identical files\n"
    "  --force         write into a non-empty OUTDIR (files of the same name are replaced)\n"
    "\n"
    "Private keys are written with mode 0600. These keys are for tests only.\n"
    "Exit codes: 0 success, 2 usage or input error.\n";

struct PkiArgs {
  std::string outdir;
  std::optional<std::string> seed;
  bool force = false;
};

// Returns nullopt (after printing why) when the arguments are wrong.
std::optional<PkiArgs> ParseArgs(const Args& args) {
  PkiArgs out;
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--seed") {
      if (i + 1 >= args.size()) {
        std::fputs("carnet-crypto pki: --seed needs a value\n", stderr);
        return std::nullopt;
      }
      out.seed = args[++i];
    } else if (a == "--force") {
      out.force = true;
    } else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "carnet-crypto pki: unknown option '%s'\n", a.c_str());
      return std::nullopt;
    } else if (out.outdir.empty()) {
      out.outdir = a;
    } else {
      std::fputs("carnet-crypto pki: only one OUTDIR\n", stderr);
      return std::nullopt;
    }
  }
  if (out.outdir.empty()) {
    std::fputs("carnet-crypto pki: OUTDIR is required\n", stderr);
    return std::nullopt;
  }
  return out;
}

void PrintSummary(const TestPki& pki, const std::string& outdir, double seconds) {
  std::printf("test PKI written to %s (%s, %.1f s)\n", outdir.c_str(),
              pki.reproducible ? "reproducible from --seed" : "random keys", seconds);
  std::printf("  IGC-Santé: %s -> %s, CRL with the revoked cards\n", kIgcRootCn,
              kIgcIntermediateCn);
  for (const TestProfessional& p : pki.professionals) {
    std::printf("  professional %s  %-20s %s %s (%s)%s\n", p.IdNat().c_str(), p.role.c_str(),
                p.given_name.c_str(), p.surname.c_str(), p.profession_label.c_str(),
                p.revoked ? "  REVOKED" : "");
  }
  for (const TestPatient& p : pki.patients) {
    std::printf("  patient NIR %s  %s %s, %zu beneficiar%s\n", p.nir.c_str(), p.given_name.c_str(),
                p.surname.c_str(), p.beneficiaries.size(),
                p.beneficiaries.size() == 1 ? "y" : "ies");
  }
  std::printf("  operator: root CA, node (localhost), terminal CA, %zu terminals, portal\n",
              pki.terminals.size());
  std::printf("  index: %s/index.json\n", outdir.c_str());
}

}  // namespace

int RunPki(const Args& args) {
  if (args.empty()) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h" || (args.size() > 1 && args[1] == "--help")) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (args[0] != "test-hierarchy") {
    std::fprintf(stderr, "carnet-crypto pki: unknown sub-command '%s'\n\n%s", args[0].c_str(),
                 kUsage);
    return 2;
  }
  std::optional<PkiArgs> parsed = ParseArgs(args);
  if (!parsed) return 2;
  const auto start = std::chrono::steady_clock::now();
  auto pki = BuildTestPki(TestPkiOptions{parsed->seed, false});
  if (!pki.ok()) {
    std::fprintf(stderr, "carnet-crypto pki: %s\n", pki.status().ToString().c_str());
    return 2;
  }
  Status written = WriteTestPki(*pki, parsed->outdir, parsed->force);
  if (!written.ok()) {
    std::fprintf(stderr, "carnet-crypto pki: %s\n", written.ToString().c_str());
    return 2;
  }
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  PrintSummary(*pki, parsed->outdir, took.count());
  return 0;
}

}  // namespace carnet::crypto::cli
