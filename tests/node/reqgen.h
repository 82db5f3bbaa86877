#pragma once
// carnet-reqgen: builds, signs and (on purpose) spoils requests for the node's end-to-end tests,
// decodes responses, and drives load. Test tool only: it reads private keys of the test PKI
// from files and never runs in production. README.md in this folder has the usage.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::tests::reqgen {

// Command-line options: `--name value` pairs (repeatable) and bare flags. Every option a
// command did not read is reported as unknown, so a typo cannot silently build another request.
class Options {
 public:
  // `flags` are the option names that take no value.
  static Result<Options> Parse(const std::vector<std::string_view>& args,
                               const std::vector<std::string_view>& flags);
  std::optional<std::string> Get(std::string_view name);
  std::vector<std::string> GetAll(std::string_view name);
  bool Flag(std::string_view name);
  Result<std::string> Required(std::string_view name);
  Result<std::optional<int64_t>> Int(std::string_view name);
  // kInvalidArgument naming the first option nobody read.
  Status CheckAllUsed() const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> values_;
  std::map<std::string, bool> used_;
  std::vector<std::string> positional_;
};

// The option names that are flags (no value), for Options::Parse.
const std::vector<std::string_view>& GenerateFlags();

// A signed request ready to POST, with what the tests need to follow it up.
struct Generated {
  Bytes cose;
  Bytes request_id;
  std::string document_id;  // deposit-like actions; empty otherwise
};

// What the load generator sets per request instead of the command line.
struct Overrides {
  std::optional<Bytes> request_id;
  std::optional<std::string> document_id;
};

// Builds the request of `action` from `opts` (see README.md), signs it and applies the
// requested spoiling (--flip-signature-bit, --corrupt-payload, --oversize, --stale-ms).
Result<Generated> Generate(std::string_view action, Options& opts, const Overrides& over = {});

// `carnet-reqgen decode-response FILE`: the CBOR response as one JSON object on stdout.
Result<std::string> ResponseToJson(ByteView cbor);

// `carnet-reqgen load ...` (load.cc).
int RunLoad(Options& opts);

}  // namespace carnet::tests::reqgen
