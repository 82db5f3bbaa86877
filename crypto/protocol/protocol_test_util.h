#pragma once
// Sample requests / responses and CBOR surgery shared by the protocol tests and the corpus
// generator test.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/cbor/decode.h"
#include "crypto/cbor/encode.h"
#include "crypto/cbor/value.h"
#include "crypto/core/hash.h"
#include "crypto/protocol/request.h"
#include "crypto/protocol/response.h"

namespace carnet::protocol::testing {

using crypto::cbor::Value;

// Test identities: RPPS 99700218896 (cards.md §4, Luhn-valid), NIR test vector of
// python-stdnum "2 95 10 99 126 111 93" (cards.md §4).
inline constexpr std::string_view kIdNat = "899700218896";
inline constexpr std::string_view kOtherIdNat = "899700075122";
inline constexpr std::string_view kIns = "295109912611193";

inline Bytes FixedRid() {
  Bytes rid(16);
  for (size_t i = 0; i < rid.size(); ++i) rid[i] = static_cast<uint8_t>(i);
  return rid;
}

inline DepositArgs SampleDeposit(Action action) {
  DepositArgs d;
  d.metadata.id = "doc-1";
  d.metadata.type_code = "11488-4";
  d.metadata.title = "Compte rendu de consultation";
  d.metadata.content_type = "application/pdf";
  d.metadata.masked = true;
  d.metadata.confidentiality = {"N"};
  if (action == Action::kReplace) d.metadata.replaces = "doc-0";
  d.content = ToBytes("%PDF-1.4 sample");
  d.content_sha256 = crypto::Sha256(d.content);
  return d;
}

inline Arguments SampleArgs(Action action) {
  switch (ArgsIndexFor(action)) {
    case 1:
      return OpenArgs{true};
    case 2:
      return SampleDeposit(action);
    case 3:
      return DocumentRef{"doc-1", 2};
    case 4:
      return ListFilter{"11488-4", 1000, 2000, true};
    case 5:
      return TargetArgs{std::string(kOtherIdNat), 1'800'000'000'000};
    case 6:
      return EmergencyPreferencesArgs{false, true, true};
    case 7:
      return DefaultMaskingArgs{true};
    case 8:
      return TraceRange{0, 1'800'000'000'000, 50};
    default:
      return NoArgs{};
  }
}

inline Request SampleRequest(Action action = Action::kRead) {
  Request r;
  r.request_id = FixedRid();
  r.issued_at = 1'700'000'000'000;
  r.terminal_id = "T-001";
  r.actor.idnat = std::string(kIdNat);
  r.actor.profession = "10";
  r.actor.specialty = "SM54";
  r.patient.ins = std::string(kIns);
  r.patient.ins_oid = std::string(kOidInsNirTest);
  r.patient.vitale = VitaleProof{Bytes{0x7f, 0x21, 0x01, 0x00}, Bytes(64, 0x5a)};
  r.action = action;
  r.args = SampleArgs(action);
  return r;
}

inline DocumentInfo SampleInfo() {
  DocumentInfo info;
  info.metadata = SampleDeposit(Action::kDeposit).metadata;
  info.version = 2;
  info.author = std::string(kIdNat);
  info.status = DocumentStatus::kCurrent;
  info.deposited_at = 1'700'000'000'000;
  info.content_size = 15;
  info.content_sha256 = crypto::Sha256(ToBytes("%PDF-1.4 sample"));
  return info;
}

inline TraceEntry SampleTrace() {
  TraceEntry t;
  t.index = 7;
  t.time = 1'700'000'000'001;
  t.actor = std::string(kIdNat);
  t.action = Action::kRead;
  t.mode = Mode::kBrisDeGlace;
  t.allowed = false;
  t.rule = "AUTHORIZATION_REQUIRED";
  t.document_id = "doc-1";
  t.terminal_id = "T-001";
  t.request_id = FixedRid();
  return t;
}

// One sample of each ResponseBody alternative.
inline std::vector<Response> SampleResponses() {
  std::vector<Response> out;
  out.push_back({FixedRid(), StatusResult{DossierState::kOpen, true, false}});
  out.push_back({FixedRid(), DocumentList{{SampleInfo(), SampleInfo()}}});
  out.push_back({FixedRid(), DocumentResult{SampleInfo(), ToBytes("%PDF-1.4 sample")}});
  out.push_back({FixedRid(), TraceList{{SampleTrace()}}});
  out.push_back({FixedRid(), Ack{"doc-1", 2, 42}});
  out.push_back({std::nullopt, Error{ErrorCode::kMalformed, "request.rid: missing", {}, {}}});
  out.push_back({FixedRid(), Error{ErrorCode::kDenied, "no", "AUTHORIZATION_REQUIRED", 9}});
  return out;
}

inline Value WithKeys(const Value& map,
                      const std::vector<std::string_view>& keys,
                      size_t depth,
                      const std::optional<Value>& value) {
  std::vector<crypto::cbor::MapEntry> entries;
  bool found = false;
  const auto map_entries = map.AsMap();
  for (const auto& [k, v] : *map_entries) {
    if (k != Value::Text(keys[depth])) {
      entries.emplace_back(k, v);
      continue;
    }
    found = true;
    if (depth + 1 < keys.size()) {
      entries.emplace_back(k, WithKeys(v, keys, depth + 1, value));
    } else if (value) {
      entries.emplace_back(k, *value);
    }
  }
  if (!found && depth + 1 == keys.size() && value) {
    entries.emplace_back(Value::Text(keys[depth]), *value);
  }
  return Value::Map(std::move(entries));
}

// A copy of `map` with `path` (keys from the top) set to `value` (added when absent), or
// removed when nullopt.
inline Value With(const Value& map,
                  std::initializer_list<std::string_view> path,
                  std::optional<Value> value) {
  return WithKeys(map, std::vector<std::string_view>(path), 0, value);
}

inline Value Parse(ByteView bytes) {
  crypto::cbor::DecodeLimits limits;
  limits.max_input_size = limits.max_string_length = 64 * 1024 * 1024;
  return *crypto::cbor::Decode(bytes, limits);
}

}  // namespace carnet::protocol::testing
