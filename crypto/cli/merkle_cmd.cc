// carnet-crypto merkle: RFC 6962 tree roots and proofs over files (one leaf per file, the
// leaf being the file's bytes), and verification of proofs given as hex. Forms (issue 2):
//
//   merkle root FILE...
//   merkle leaf-hash FILE...
//   merkle inclusion --index I FILE...
//   merkle verify-inclusion --index I --size N --root HEX (--leaf FILE | --leaf-hash HEX)
//                           [PATHHEX... | -]
//   merkle consistency --old-size M FILE...
//   merkle verify-consistency --old-size M --old-root HEX --size N --root HEX
//                             [PROOFHEX... | -]
//
// Hashes are printed as lower-case hex, one per line. "-" reads the proof hashes from stdin
// (whitespace separated). Exit codes: 0 success / valid, 1 invalid (prints "invalid: <reason>"
// on stdout), 2 usage or input error (message on stderr).
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "crypto/cli/commands.h"
#include "crypto/merkle/merkle.h"
#include "crypto/merkle/verify.h"

namespace carnet::crypto::cli {
namespace {

namespace mk = carnet::crypto::merkle;

constexpr int kOk = 0;
constexpr int kInvalid = 1;
constexpr int kUsage = 2;

constexpr char kHelp[] =
    "usage: carnet-crypto merkle <subcommand> [args...]\n"
    "\n"
    "RFC 6962 Merkle trees; a leaf is the whole content of one file, leaves in argument order.\n"
    "\n"
    "  root FILE...                     print the tree root (hex)\n"
    "  leaf-hash FILE...                print each file's leaf hash SHA-256(0x00||bytes)\n"
    "  inclusion --index I FILE...      print the audit path of leaf I, one hex hash per line\n"
    "  verify-inclusion --index I --size N --root HEX (--leaf FILE | --leaf-hash HEX)\n"
    "                   [PATHHEX... | -]\n"
    "                                   check an audit path ('-': read it from stdin)\n"
    "  consistency --old-size M FILE... print the consistency proof from size M to all FILEs\n"
    "  verify-consistency --old-size M --old-root HEX --size N --root HEX [PROOFHEX... | -]\n"
    "                                   check a consistency proof ('-': read it from stdin)\n"
    "\n"
    "Indices count from 0. Verification prints 'valid' (exit 0) or 'invalid: <reason>'\n"
    "(exit 1). Usage or input errors exit 2.\n";

// Parsed command line: --name VALUE (or --name=VALUE) options and positional arguments.
struct Parsed {
  std::map<std::string, std::string> options;
  std::vector<std::string> positional;
  bool help = false;
};

int UsageError(const std::string& message) {
  std::fprintf(stderr, "carnet-crypto: %s\n(see 'carnet-crypto merkle --help')\n", message.c_str());
  return kUsage;
}

Result<Parsed> ParseArgs(const Args& args, size_t first, const std::vector<std::string>& known) {
  Parsed p;
  for (size_t i = first; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      p.help = true;
    } else if (a.size() > 2 && a.compare(0, 2, "--") == 0) {
      std::string name = a.substr(2);
      std::string value;
      if (size_t eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      } else if (i + 1 < args.size()) {
        value = args[++i];
      } else {
        return InvalidArgument("option --" + name + " needs a value");
      }
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        return InvalidArgument("unknown option --" + name);
      }
      if (!p.options.emplace(name, value).second) {
        return InvalidArgument("option --" + name + " given twice");
      }
    } else {
      p.positional.push_back(a);
    }
  }
  return p;
}

Result<uint64_t> ParseCount(const Parsed& p, const std::string& name) {
  auto it = p.options.find(name);
  if (it == p.options.end()) return InvalidArgument("missing --" + name);
  const std::string& s = it->second;
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) {
    return InvalidArgument("--" + name + " is not a non-negative integer: '" + s + "'");
  }
  return v;
}

Result<mk::Hash> ParseHash(const std::string& hex, const std::string& what) {
  Result<Bytes> bytes = HexDecode(hex);
  mk::Hash h{};
  if (!bytes.ok() || bytes->size() != h.size()) {
    return InvalidArgument(what + " is not 64 hex digits: '" + hex + "'");
  }
  std::copy(bytes->begin(), bytes->end(), h.begin());
  return h;
}

Result<mk::Hash> ParseHashOption(const Parsed& p, const std::string& name) {
  auto it = p.options.find(name);
  if (it == p.options.end()) return InvalidArgument("missing --" + name);
  return ParseHash(it->second, "--" + name);
}

Result<Bytes> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open '" + path + "'");
  Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return DataLoss("cannot read '" + path + "'");
  return data;
}

Result<std::vector<mk::Hash>> LeafHashesOfFiles(const std::vector<std::string>& files) {
  if (files.empty()) return InvalidArgument("no FILE given");
  std::vector<mk::Hash> leaves;
  leaves.reserve(files.size());
  for (const std::string& f : files) {
    CARNET_ASSIGN_OR_RETURN(Bytes data, ReadFile(f));
    leaves.push_back(mk::LeafHash(data));
  }
  return leaves;
}

// Proof hashes from the positional arguments, or from stdin when the only one is "-".
Result<mk::Proof> ProofFromArgs(const std::vector<std::string>& args) {
  std::vector<std::string> words = args;
  if (args.size() == 1 && args[0] == "-") {
    words.clear();
    for (std::string w; std::cin >> w;) words.push_back(w);
  }
  mk::Proof proof;
  for (size_t i = 0; i < words.size(); ++i) {
    CARNET_ASSIGN_OR_RETURN(mk::Hash h, ParseHash(words[i], "proof hash #" + std::to_string(i)));
    proof.push_back(h);
  }
  return proof;
}

void PrintHashes(const mk::Proof& hashes) {
  for (const mk::Hash& h : hashes) std::printf("%s\n", HexEncode(h).c_str());
}

int Verdict(const Status& s) {
  if (s.ok()) {
    std::printf("valid\n");
    return kOk;
  }
  std::printf("invalid: %s\n", s.message().c_str());
  return kInvalid;
}

int RunRoot(const Parsed& p) {
  Result<std::vector<mk::Hash>> leaves = LeafHashesOfFiles(p.positional);
  if (!leaves.ok()) return UsageError(leaves.status().message());
  std::printf("%s\n", HexEncode(mk::Root(*leaves)).c_str());
  return kOk;
}

int RunLeafHash(const Parsed& p) {
  Result<std::vector<mk::Hash>> leaves = LeafHashesOfFiles(p.positional);
  if (!leaves.ok()) return UsageError(leaves.status().message());
  PrintHashes(*leaves);
  return kOk;
}

int RunInclusion(const Parsed& p) {
  Result<uint64_t> index = ParseCount(p, "index");
  if (!index.ok()) return UsageError(index.status().message());
  Result<std::vector<mk::Hash>> leaves = LeafHashesOfFiles(p.positional);
  if (!leaves.ok()) return UsageError(leaves.status().message());
  Result<mk::Proof> proof = mk::InclusionProof(*leaves, *index);
  if (!proof.ok()) return UsageError(proof.status().message());
  PrintHashes(*proof);
  return kOk;
}

int RunConsistency(const Parsed& p) {
  Result<uint64_t> old_size = ParseCount(p, "old-size");
  if (!old_size.ok()) return UsageError(old_size.status().message());
  Result<std::vector<mk::Hash>> leaves = LeafHashesOfFiles(p.positional);
  if (!leaves.ok()) return UsageError(leaves.status().message());
  Result<mk::Proof> proof = mk::ConsistencyProof(*leaves, *old_size);
  if (!proof.ok()) return UsageError(proof.status().message());
  PrintHashes(*proof);
  return kOk;
}

Result<mk::Hash> LeafHashFromOptions(const Parsed& p) {
  bool has_file = p.options.count("leaf") != 0;
  bool has_hash = p.options.count("leaf-hash") != 0;
  if (has_file == has_hash) return InvalidArgument("give exactly one of --leaf or --leaf-hash");
  if (has_hash) return ParseHashOption(p, "leaf-hash");
  CARNET_ASSIGN_OR_RETURN(Bytes data, ReadFile(p.options.at("leaf")));
  return mk::LeafHash(data);
}

int RunVerifyInclusion(const Parsed& p) {
  Result<uint64_t> index = ParseCount(p, "index");
  Result<uint64_t> size = ParseCount(p, "size");
  Result<mk::Hash> root = ParseHashOption(p, "root");
  Result<mk::Hash> leaf = LeafHashFromOptions(p);
  Result<mk::Proof> proof = ProofFromArgs(p.positional);
  for (const Status& s :
       {index.status(), size.status(), root.status(), leaf.status(), proof.status()}) {
    if (!s.ok()) return UsageError(s.message());
  }
  return Verdict(mk::VerifyInclusion(*index, *size, *leaf, *proof, *root));
}

int RunVerifyConsistency(const Parsed& p) {
  Result<uint64_t> old_size = ParseCount(p, "old-size");
  Result<uint64_t> size = ParseCount(p, "size");
  Result<mk::Hash> old_root = ParseHashOption(p, "old-root");
  Result<mk::Hash> root = ParseHashOption(p, "root");
  Result<mk::Proof> proof = ProofFromArgs(p.positional);
  for (const Status& s :
       {old_size.status(), size.status(), old_root.status(), root.status(), proof.status()}) {
    if (!s.ok()) return UsageError(s.message());
  }
  return Verdict(mk::VerifyConsistency(*old_size, *size, *old_root, *root, *proof));
}

struct Subcommand {
  const char* name;
  std::vector<std::string> options;
  int (*run)(const Parsed&);
};

const std::vector<Subcommand>& Subcommands() {
  static const std::vector<Subcommand> kSubcommands = {
      {"root", {}, RunRoot},
      {"leaf-hash", {}, RunLeafHash},
      {"inclusion", {"index"}, RunInclusion},
      {"verify-inclusion", {"index", "size", "root", "leaf", "leaf-hash"}, RunVerifyInclusion},
      {"consistency", {"old-size"}, RunConsistency},
      {"verify-consistency", {"old-size", "old-root", "size", "root"}, RunVerifyConsistency},
  };
  return kSubcommands;
}

}  // namespace

int RunMerkle(const Args& args) {
  if (args.empty()) return UsageError("missing subcommand");
  if (args[0] == "--help" || args[0] == "-h") {
    std::fputs(kHelp, stdout);
    return kOk;
  }
  for (const Subcommand& sub : Subcommands()) {
    if (args[0] != sub.name) continue;
    Result<Parsed> parsed = ParseArgs(args, 1, sub.options);
    if (!parsed.ok()) return UsageError(parsed.status().message());
    if (parsed->help) {
      std::fputs(kHelp, stdout);
      return kOk;
    }
    return sub.run(*parsed);
  }
  return UsageError("unknown subcommand '" + args[0] + "'");
}

}  // namespace carnet::crypto::cli
