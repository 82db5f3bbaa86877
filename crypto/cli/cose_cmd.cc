// carnet-crypto cose sign | verify: COSE_Sign1 messages from the command line.
//
//   cose sign --key PRIV.pem [--x5chain CERT.pem ...] --alg ES256|RS256|PS256 PAYLOAD
//   cose verify (--key PUB.pem | --x5chain-root ROOT.pem) MESSAGE.cbor
//
// Exit codes (commands.h): 0 success / "valid"; 1 "invalid: <reason>" (the message does not
// decode or does not verify); 2 usage or input errors (bad option, unreadable file, unusable
// key), with the reason on stderr.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "crypto/cli/commands.h"
#include "crypto/core/pk.h"
#include "crypto/cose/sign1.h"
#include "crypto/x509/certificate.h"
#include "crypto/x509/trust_store.h"
#include "hal/base/clock.h"

namespace carnet::crypto::cli {
namespace {

constexpr int kOk = 0;
constexpr int kInvalid = 1;
constexpr int kUsage = 2;
constexpr size_t kMaxFileSize = 16 * 1024 * 1024;

constexpr char kCoseUsage[] =
    "usage: carnet-crypto cose sign --key PRIV.pem [--x5chain CERT.pem...] "
    "--alg ES256|RS256|PS256 PAYLOAD > MESSAGE.cbor\n"
    "       carnet-crypto cose verify (--key PUB.pem | --x5chain-root ROOT.pem) MESSAGE.cbor\n"
    "Run 'carnet-crypto cose sign --help' or 'cose verify --help' for details.\n";

constexpr char kSignHelp[] =
    "usage: carnet-crypto cose sign --key PRIV.pem [--x5chain CERT.pem...]\n"
    "                               --alg ES256|RS256|PS256 PAYLOAD > MESSAGE.cbor\n"
    "\n"
    "Signs the file PAYLOAD as a tagged COSE_Sign1 (RFC 9052) written to stdout.\n"
    "  --key PRIV.pem      private key, PEM (PKCS#8, SEC1 or PKCS#1), EC P-256 or RSA\n"
    "  --alg ALG           ES256 (EC key), RS256 or PS256 (RSA key)\n"
    "  --x5chain CERT.pem  certificates for the protected x5chain header, signer first;\n"
    "                      may repeat, each file may hold several certificates\n"
    "Refuses to write to a terminal. Exit 0 on success, 2 on a usage or input error.\n";

constexpr char kVerifyHelp[] =
    "usage: carnet-crypto cose verify (--key PUB.pem | --x5chain-root ROOT.pem) MESSAGE.cbor\n"
    "\n"
    "Verifies a COSE_Sign1 message. Prints 'valid' (exit 0) or 'invalid: <reason>' (exit 1).\n"
    "  --key PUB.pem           the signer's public key (PEM SubjectPublicKeyInfo, EC or RSA)\n"
    "  --x5chain-root ROOT.pem verify the signer certificate of the message's x5chain up to\n"
    "                          this root, now; its key usage must allow digitalSignature or\n"
    "                          nonRepudiation; then the signature with its key\n"
    "Exit 2 on a usage or input error (unknown option, unreadable file, bad key).\n";

int UsageError(const std::string& message, const char* usage = kCoseUsage) {
  std::fprintf(stderr, "carnet-crypto cose: %s\n%s", message.c_str(), usage);
  return kUsage;
}

int InputError(const std::string& message) {
  std::fprintf(stderr, "carnet-crypto cose: %s\n", message.c_str());
  return kUsage;
}

int Help(const char* text) {
  std::fputs(text, stdout);
  return kOk;
}

int Invalid(const std::string& reason) {
  std::printf("invalid: %s\n", reason.c_str());
  return kInvalid;
}

Result<Bytes> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  Bytes data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.insert(data.end(), buf, buf + in.gcount());
    if (data.size() > kMaxFileSize) return OutOfRange(path + " is larger than 16 MiB");
  }
  if (in.bad()) return Unavailable("error reading " + path);
  return data;
}

struct Options {
  std::optional<std::string> key;
  std::optional<std::string> alg;
  std::optional<std::string> root;
  std::vector<std::string> x5chain;
  std::vector<std::string> files;
  bool help = false;
};

// Parses the options after "sign"/"verify". `allowed` lists the options with a value.
Result<Options> ParseOptions(const Args& args,
                             size_t first,
                             const std::vector<std::string>& allowed) {
  Options o;
  for (size_t i = first; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      o.help = true;
      continue;
    }
    if (a.rfind("--", 0) != 0 || a == "--") {
      o.files.push_back(a);
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), a) == allowed.end()) {
      return InvalidArgument("unknown option " + a);
    }
    if (i + 1 >= args.size()) return InvalidArgument(a + " needs a value");
    const std::string& v = args[++i];
    if (a == "--x5chain") {
      o.x5chain.push_back(v);
    } else {
      auto& slot = a == "--key" ? o.key : a == "--alg" ? o.alg : o.root;
      if (slot) return InvalidArgument(a + " given twice");
      slot = v;
    }
  }
  return o;
}

Result<std::vector<Bytes>> ReadChain(const std::vector<std::string>& paths) {
  std::vector<Bytes> chain;
  for (const auto& path : paths) {
    auto certs = Certificate::FromPemFile(path);
    if (!certs.ok()) return certs.status().Annotate(path);
    if (certs->empty()) return InvalidArgument(path + " holds no certificate");
    for (const auto& c : *certs) chain.push_back(c.der());
  }
  return chain;
}

// A message whose x5chain names another key could never verify: refuse to write it.
Status CheckLeafMatchesKey(const std::vector<Bytes>& chain, const PrivateKey& key) {
  if (chain.empty()) return Status::Ok();
  auto leaf = Certificate::FromDer(chain[0]);
  if (!leaf.ok()) return leaf.status();
  if (leaf->public_key().ToDer() != key.public_key().ToDer()) {
    return InvalidArgument("the first --x5chain certificate is not for the --key key");
  }
  return Status::Ok();
}

int WriteStdout(ByteView data) {
  if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size() || std::fflush(stdout)) {
    return InputError("cannot write to stdout");
  }
  return kOk;
}

int Sign(const Args& args) {
  auto opts = ParseOptions(args, 1, {"--key", "--alg", "--x5chain"});
  if (!opts.ok()) return UsageError(opts.status().message(), kSignHelp);
  if (opts->help) return Help(kSignHelp);
  if (!opts->key || !opts->alg || opts->files.size() != 1) {
    return UsageError("sign needs --key, --alg and exactly one PAYLOAD file", kSignHelp);
  }
  auto scheme = ParseSchemeName(*opts->alg);
  if (!scheme.ok()) return UsageError(scheme.status().message(), kSignHelp);
  auto key = PrivateKey::FromPemFile(*opts->key);
  if (!key.ok()) return InputError(*opts->key + ": " + key.status().message());
  auto chain = ReadChain(opts->x5chain);
  if (!chain.ok()) return InputError(chain.status().message());
  if (Status s = CheckLeafMatchesKey(*chain, *key); !s.ok()) return InputError(s.message());
  auto payload = ReadFile(opts->files[0]);
  if (!payload.ok()) return InputError(payload.status().message());
  if (isatty(STDOUT_FILENO)) {
    return InputError("refusing to write binary CBOR to a terminal; redirect stdout");
  }
  auto message = cose::Sign(*key, *scheme, *payload, *chain);
  if (!message.ok()) return InputError("signing failed: " + message.status().message());
  if (message->size() > cose::DecodeLimits{}.max_message_size) {
    return InputError("the message would exceed the 1 MiB that verifiers accept");
  }
  return WriteStdout(*message);
}

// Chooses the purpose the signer certificate allows: digitalSignature or nonRepudiation (the
// CPS signature key). x509's kCardAuthentication is the "digitalSignature, not a CA" row of
// its key-usage table with no EKU requirement, which is what "any signing use" means here
// (kDeviceSigning would also demand EKU clientAuth).
Result<Purpose> SigningPurpose(const cose::Sign1& message) {
  if (message.x5chain.empty()) return Unauthenticated("message has no x5chain");
  auto leaf = Certificate::FromDer(message.x5chain[0]);
  if (!leaf.ok()) return Unauthenticated("signer certificate: " + leaf.status().message());
  if (leaf->KeyUsageAllows(Purpose::kCardAuthentication).ok()) {
    return Purpose::kCardAuthentication;
  }
  if (leaf->KeyUsageAllows(Purpose::kCardNonRepudiation).ok()) {
    return Purpose::kCardNonRepudiation;
  }
  return Unauthenticated(
      "signer certificate allows neither digitalSignature nor "
      "nonRepudiation");
}

int VerifyDecoded(const cose::Sign1& message, const Options& opts) {
  Status st;
  if (opts.key) {
    auto pem = ReadFile(*opts.key);
    if (!pem.ok()) return InputError(pem.status().message());
    auto key = PublicKey::FromPem(ToString(*pem));
    if (!key.ok()) return InputError(*opts.key + ": " + key.status().message());
    st = cose::Verify(message, *key);
  } else {
    TrustStore store;
    if (Status s = store.AddRootPemFile(*opts.root); !s.ok()) {
      return InputError(*opts.root + ": " + s.message());
    }
    auto purpose = SigningPurpose(message);
    if (!purpose.ok()) return Invalid(purpose.status().message());
    st = cose::VerifyWithTrustStore(message, store, *purpose, SystemClock().Now());
  }
  if (!st.ok()) return Invalid(st.message());
  std::puts("valid");
  return kOk;
}

int Verify(const Args& args) {
  auto opts = ParseOptions(args, 1, {"--key", "--x5chain-root"});
  if (!opts.ok()) return UsageError(opts.status().message(), kVerifyHelp);
  if (opts->help) return Help(kVerifyHelp);
  if (opts->key.has_value() == opts->root.has_value()) {
    return UsageError("verify needs exactly one of --key and --x5chain-root", kVerifyHelp);
  }
  if (opts->files.size() != 1) return UsageError("verify needs one MESSAGE file", kVerifyHelp);
  auto bytes = ReadFile(opts->files[0]);
  if (!bytes.ok()) return InputError(bytes.status().message());
  auto message = cose::Decode(*bytes);
  if (!message.ok()) return Invalid(message.status().message());
  return VerifyDecoded(*message, *opts);
}

}  // namespace

int RunCose(const Args& args) {
  if (args.empty()) return UsageError("missing sub-command");
  if (args[0] == "--help" || args[0] == "-h") return Help(kCoseUsage);
  if (args[0] == "sign") return Sign(args);
  if (args[0] == "verify") return Verify(args);
  return UsageError("unknown sub-command '" + args[0] + "'");
}

}  // namespace carnet::crypto::cli
