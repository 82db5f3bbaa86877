// carnet-reqgen: requests for the node's end-to-end tests (README.md in this folder).
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tests/node/reqgen.h"

namespace carnet::tests::reqgen {
namespace {

constexpr char kUsage[] = R"(usage:
  carnet-reqgen ACTION --terminal ID --out FILE [identity] [arguments] [spoiling]
      writes a signed request (COSE_Sign1) to FILE and prints its request id (hex)
  carnet-reqgen decode-response FILE     a CBOR response as JSON on stdout
  carnet-reqgen load --connect HOST:PORT --cert C --key K --ca CA --ack-log FILE
      [--concurrency N] [--count M] [--action deposit] [--keep-dir DIR] ACTION options...

ACTION: open status deposit replace delete archive reveal list read traces record_consent
  record_care_team record_opposition block unblock mask unmask set_default_masking
  set_emergency_preferences designate_treating_physician designate_administrator
  add_own_document close request_deletion
identity: --pki DIR (index.json of `carnet-crypto pki test-hierarchy`) with
    --professional ROLE [--key-usage aut|sig] (default sig for deposit/replace/add_own_document)
    or --portal (device-signed, actor = patient); --patient-index N (default 0)
  or --signer-key K --signer-cert C [--chain C2]... --ins INS
  overrides: --idnat X --profession P --specialty S --actor-kind K --ins INS --ins-oid OID
header: --request-id HEX --issued-at MS --mode M --justification TEXT
arguments: --doc-id ID --type CODE --title T --content-type MIME --file F --confidentiality C...
  --masked --invisible-patient --invisible-legal-reps --replaces ID --version N --target IDNAT
  --until MS --since MS --include-archived --limit N --no-consent --enabled --no-samu
  --no-bris-de-glace --masked-in-emergency --pss (RSA-PSS instead of PKCS#1 v1.5)
spoiling: --stale-ms MS (issued-at this much in the past) --flip-signature-bit
  --corrupt-payload (signed payload with a trailing byte) --oversize BYTES (deposit content)
)";

Result<Bytes> ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return ToBytes(s.str());
}

int Fail(const Status& s, int code) {
  std::fprintf(stderr, "carnet-reqgen: %s\n", s.ToString().c_str());
  return code;
}

int DecodeResponse(Options& opts) {
  if (opts.positional().size() != 1) return Fail(InvalidArgument("decode-response FILE"), 2);
  auto bytes = ReadBytes(opts.positional()[0]);
  if (!bytes.ok()) return Fail(bytes.status(), 2);
  auto text = ResponseToJson(*bytes);
  if (!text.ok()) return Fail(text.status(), 1);
  std::printf("%s\n", text->c_str());
  return 0;
}

int GenerateOne(const std::string& action, Options& opts) {
  auto out = opts.Required("out");
  if (!out.ok()) return Fail(out.status(), 2);
  auto g = Generate(action, opts);
  if (!g.ok()) return Fail(g.status(), 2);
  if (Status s = opts.CheckAllUsed(); !s.ok()) return Fail(s, 2);
  if (!opts.positional().empty()) {
    return Fail(InvalidArgument("unexpected argument " + opts.positional()[0]), 2);
  }
  std::ofstream f(*out, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(g->cose.data()),
          static_cast<std::streamsize>(g->cose.size()));
  if (!f) return Fail(Internal("cannot write " + *out), 1);
  std::printf("%s\n", HexEncode(g->request_id).c_str());
  return 0;
}

}  // namespace
}  // namespace carnet::tests::reqgen

int main(int argc, char** argv) {
  using namespace carnet::tests::reqgen;
  if (argc < 2 || std::string_view(argv[1]) == "--help" || std::string_view(argv[1]) == "-h") {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::vector<std::string_view> args(argv + 2, argv + argc);
  auto opts = Options::Parse(args, GenerateFlags());
  if (!opts.ok()) return Fail(opts.status(), 2);
  const std::string command = argv[1];
  if (command == "decode-response") return DecodeResponse(*opts);
  if (command == "load") return RunLoad(*opts);
  return GenerateOne(command, *opts);
}
