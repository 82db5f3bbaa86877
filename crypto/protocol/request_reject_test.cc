// One test per way DecodePayload / EncodePayload refuses a request (README.md "Rejections").
#include <CppUTest/TestHarness.h>

#include <string>

#include "crypto/protocol/protocol_test_util.h"

namespace carnet::protocol {
namespace {

using namespace testing;

Value Base(Action action = Action::kRead) { return Parse(*EncodePayload(SampleRequest(action))); }

void ExpectRejectBytes(ByteView bytes,
                       const char* needle,
                       const Limits& limits = Limits{},
                       StatusCode code = StatusCode::kInvalidArgument) {
  auto r = DecodePayload(bytes, limits);
  CHECK_FALSE_TEXT(r.ok(), needle);
  STRCMP_CONTAINS(needle, r.status().message().c_str());
  CHECK_EQUAL_TEXT(static_cast<int>(code), static_cast<int>(r.status().code()), needle);
}

void ExpectReject(const Value& v,
                  const char* needle,
                  const Limits& limits = Limits{},
                  StatusCode code = StatusCode::kInvalidArgument) {
  ExpectRejectBytes(crypto::cbor::Encode(v), needle, limits, code);
}

TEST_GROUP(ProtocolRequestReject){};

TEST(ProtocolRequestReject, CborLevel) {
  Bytes good = crypto::cbor::Encode(Base());
  ExpectRejectBytes(Bytes{}, "request payload: empty");
  ExpectRejectBytes(ByteView(good.data(), good.size() - 1), "truncated");
  Bytes trailing = good;
  trailing.push_back(0x00);
  ExpectRejectBytes(trailing, "trailing bytes");
  // {"v": 1, "v": 1}: duplicate key.
  ExpectRejectBytes(*HexDecode("a2617601617601"), "duplicate map key");
  // {"rid": 1, "iat": 2}: keys out of canonical order.
  ExpectRejectBytes(*HexDecode("a263726964016369617402"), "canonical order");
  // 1 encoded on two bytes.
  ExpectRejectBytes(*HexDecode("a161761801"), "non-canonical head");
  // a float.
  ExpectRejectBytes(*HexDecode("a16176f93c00"), "floating-point");
  Limits small;
  small.max_content_size = 16;
  small.max_overhead = 64;
  ExpectRejectBytes(good, "exceeds", small, StatusCode::kOutOfRange);
}

TEST(ProtocolRequestReject, Structure) {
  ExpectReject(Value::Array({}), "request: not a map");
  Value int_key = Value::Map({{Value::Int(1), Value::Int(1)}});
  ExpectReject(int_key, "request: map key is not a text string");
  ExpectReject(With(Base(), {"x"}, Value::Int(1)), "request: unknown key \"x\"");
  ExpectReject(With(Base(), {"actor", "role"}, Value::Text("a")),
               "request.actor: unknown key \"role\"");
  ExpectReject(With(Base(), {"patient", "name"}, Value::Text("a")),
               "request.patient: unknown key \"name\"");
  ExpectReject(With(Base(), {"args", "extra"}, Value::Bool(true)),
               "request.args: unknown key \"extra\"");
  ExpectReject(With(Base(Action::kDeposit), {"args", "metadata", "author"}, Value::Text("a")),
               "request.args.metadata: unknown key \"author\"");
  ExpectReject(With(Base(), {"patient", "vitale", "pin"}, Value::Text("a")),
               "request.patient.vitale: unknown key \"pin\"");
  ExpectReject(With(Base(), {"actor"}, Value::Text("a")), "request.actor: not a map");
}

TEST(ProtocolRequestReject, MissingRequiredFields) {
  for (const char* key :
       {"v", "rid", "iat", "terminal", "mode", "actor", "patient", "action", "args"}) {
    std::string needle = std::string("request.") + key + ": missing";
    ExpectReject(With(Base(), {key}, std::nullopt), needle.c_str());
  }
  ExpectReject(With(Base(), {"actor", "kind"}, std::nullopt), "request.actor.kind: missing");
  ExpectReject(With(Base(), {"actor", "idnat"}, std::nullopt), "request.actor.idnat: missing");
  ExpectReject(With(Base(), {"actor", "profession"}, std::nullopt),
               "request.actor.profession: missing");
  ExpectReject(With(Base(), {"patient", "ins"}, std::nullopt), "request.patient.ins: missing");
  ExpectReject(With(Base(), {"patient", "oid"}, std::nullopt), "request.patient.oid: missing");
  ExpectReject(With(Base(), {"patient", "vitale", "cvc"}, std::nullopt),
               "request.patient.vitale.cvc: missing");
  ExpectReject(With(Base(), {"args", "id"}, std::nullopt), "request.args.id: missing");
}

TEST(ProtocolRequestReject, Envelope) {
  ExpectReject(With(Base(), {"v"}, Value::Int(2)), "request.v: unsupported version 2");
  ExpectReject(With(Base(), {"v"}, Value::Text("1")), "request.v: not an unsigned integer");
  ExpectReject(With(Base(), {"rid"}, Value::ByteString(Bytes(15, 1))),
               "request.rid: must be exactly 16 bytes, got 15");
  ExpectReject(With(Base(), {"rid"}, Value::ByteString(Bytes(17, 1))),
               "request.rid: must be exactly 16 bytes, got 17");
  ExpectReject(With(Base(), {"rid"}, Value::Text("0123456789abcdef")),
               "request.rid: not a byte string");
  ExpectReject(With(Base(), {"iat"}, Value::Int(-1)), "request.iat: not a non-negative integer");
  ExpectReject(With(Base(), {"iat"}, Value::Unsigned(UINT64_MAX)),
               "request.iat: time out of range");
  ExpectReject(With(Base(), {"terminal"}, Value::Text("")), "request.terminal: empty");
  ExpectReject(With(Base(), {"terminal"}, Value::Text(std::string(257, 't'))),
               "request.terminal: longer than 256 bytes");
  ExpectReject(With(Base(), {"terminal"}, Value::Int(1)), "request.terminal: not a text string");
  ExpectReject(With(Base(), {"mode"}, Value::Text("urgence")), "request.mode: unknown mode");
  ExpectReject(With(Base(), {"justification"}, Value::Text("why")),
               "request.justification: only allowed with mode bris_de_glace");
  Value btg = With(Base(), {"mode"}, Value::Text("bris_de_glace"));
  ExpectReject(With(btg, {"justification"}, Value::Text(std::string(1025, 'j'))),
               "request.justification: longer than 1024");
  ExpectReject(With(Base(), {"action"}, Value::Text("destroy")), "request.action: unknown action");
}

TEST(ProtocolRequestReject, Actor) {
  ExpectReject(With(Base(), {"actor", "kind"}, Value::Text("robot")),
               "request.actor.kind: unknown actor kind");
  ExpectReject(With(Base(), {"actor", "idnat"}, Value::Text("899700218897")),
               "request.actor.idnat: not \"8\" + RPPS");
  ExpectReject(With(Base(), {"actor", "id_token"}, Value::Text("not a jws")),
               "request.actor.id_token: not a compact JWS");
  ExpectReject(With(Base(), {"actor", "id_token"}, Value::Text("a.b")),
               "request.actor.id_token: not a compact JWS");
  Limits limits;
  limits.max_id_token_length = 8;
  ExpectReject(With(Base(), {"actor", "id_token"}, Value::Text("aaa.bbb.ccc")),
               "request.actor.id_token: longer than 8", limits);
  Value patient = With(Base(), {"actor", "kind"}, Value::Text("patient"));
  ExpectReject(patient, "request.actor.idnat: not a valid INS");
  patient = With(patient, {"actor", "idnat"}, Value::Text(std::string(kIns)));
  ExpectReject(patient, "request.actor: profession, specialty and id_token are for professionals");
}

TEST(ProtocolRequestReject, Patient) {
  ExpectReject(With(Base(), {"patient", "ins"}, Value::Text("295109912611194")),
               "request.patient.ins: not 13 characters + a matching 2-digit key");
  ExpectReject(With(Base(), {"patient", "ins"}, Value::Text("29510991261119")),
               "request.patient.ins: not 13 characters");
  ExpectReject(With(Base(), {"patient", "oid"}, Value::Text("1.2.250.1.213.1.4.12")),
               "request.patient.oid: not an INS OID");
  ExpectReject(With(Base(), {"patient", "vitale", "cvc"}, Value::ByteString({})),
               "request.patient.vitale.cvc: shorter than 1 bytes");
  ExpectReject(With(Base(), {"patient", "vitale", "signature"}, Value::ByteString(Bytes(4097))),
               "request.patient.vitale.signature: larger than 4096 bytes", Limits{},
               StatusCode::kOutOfRange);
  ExpectReject(With(Base(), {"patient", "vitale"}, Value::ByteString(Bytes(4))),
               "request.patient.vitale: not a map");
}

TEST(ProtocolRequestReject, ArgumentsForAction) {
  ExpectReject(With(Base(Action::kStatus), {"args"}, Value::Map({})),
               "request.args: action status takes no arguments");
  ExpectReject(With(Base(), {"args"}, Value::Array({})), "request.args: not a map");
  ExpectReject(With(Base(), {"args", "version"}, Value::Int(0)),
               "request.args.version: versions start at 1");
  ExpectReject(With(Base(Action::kBlock), {"args", "idnat"}, Value::Text("8123")),
               "request.args.idnat: not \"8\" + RPPS");
  ExpectReject(With(Base(Action::kList), {"args", "include_archived"}, std::nullopt),
               "request.args.include_archived: missing");
  ExpectReject(With(Base(Action::kList), {"args", "since"}, Value::Text("yesterday")),
               "request.args.since: not a non-negative integer");
  ExpectReject(With(Base(Action::kOpen), {"args", "patient_consent"}, Value::Int(1)),
               "request.args.patient_consent: not a boolean");
  ExpectReject(With(Base(Action::kSetEmergencyPreferences), {"args", "samu"}, std::nullopt),
               "request.args.samu: missing");
  ExpectReject(With(Base(Action::kSetDefaultMasking), {"args", "enabled"}, Value::Null()),
               "request.args.enabled: not a boolean");
  ExpectReject(With(Base(Action::kTraces), {"args", "limit"}, Value::Int(-5)),
               "request.args.limit: not an unsigned integer");
}

TEST(ProtocolRequestReject, Deposit) {
  const Value d = Base(Action::kDeposit);
  ExpectReject(With(d, {"args", "sha256"}, Value::ByteString(Bytes(32, 0))),
               "request.args.sha256: does not match SHA-256 of content");
  ExpectReject(With(d, {"args", "sha256"}, Value::ByteString(Bytes(31, 0))),
               "request.args.sha256: shorter than 32");
  ExpectReject(With(d, {"args", "content"}, Value::ByteString(ToBytes("%PDF-1.4 samplE"))),
               "does not match SHA-256 of content");
  Limits small;
  small.max_content_size = 8;
  ExpectRejectBytes(crypto::cbor::Encode(d), "request.args.content: larger than 8 bytes", small,
                    StatusCode::kOutOfRange);
  ExpectReject(With(d, {"args", "metadata"}, std::nullopt), "request.args.metadata: missing");
  ExpectReject(With(d, {"args", "metadata", "title"}, Value::Text(std::string(300, 't'))),
               "request.args.metadata.title: longer than 256");
  ExpectReject(With(d, {"args", "metadata", "masked"}, Value::Text("yes")),
               "request.args.metadata.masked: not a boolean");
  ExpectReject(With(d, {"args", "metadata", "type"}, std::nullopt),
               "request.args.metadata.type: missing");
  ExpectReject(With(d, {"args", "metadata", "confidentiality"}, Value::Text("N")),
               "request.args.metadata.confidentiality: not an array");
  ExpectReject(With(d, {"args", "metadata", "confidentiality"}, Value::Array({Value::Text("X")})),
               "\"X\" is not N, R or V");
  ExpectReject(With(d, {"args", "metadata", "confidentiality"},
                    Value::Array({Value::Text("N"), Value::Text("N")})),
               "\"N\" twice");
  ExpectReject(
      With(d, {"args", "metadata", "confidentiality"},
           Value::Array({Value::Text("N"), Value::Text("R"), Value::Text("V"), Value::Text("N")})),
      "more than 3 codes");
  ExpectReject(With(d, {"args", "metadata", "replaces"}, Value::Text("doc-0")),
               "request.args.metadata.replaces: only allowed with replace");
  ExpectReject(With(Base(Action::kReplace), {"args", "metadata", "replaces"}, std::nullopt),
               "request.args.metadata.replaces: missing (required by replace)");
}

TEST(ProtocolRequestReject, EncoderRefusesWhatTheDecoderWould) {
  Request r = SampleRequest(Action::kDeposit);
  r.args = DocumentRef{"doc-1", std::nullopt};
  auto bytes = EncodePayload(r);
  CHECK_FALSE(bytes.ok());
  STRCMP_CONTAINS("arguments do not match action deposit", bytes.status().message().c_str());

  r = SampleRequest(Action::kRead);
  r.issued_at = -1;
  STRCMP_CONTAINS("EncodePayload: request.iat", EncodePayload(r).status().message().c_str());
  r = SampleRequest(Action::kRead);
  r.request_id.pop_back();
  CHECK_FALSE(EncodePayload(r).ok());
  r = SampleRequest(Action::kDeposit);
  std::get<DepositArgs>(r.args).content.push_back('x');  // hash no longer matches
  STRCMP_CONTAINS("does not match", EncodePayload(r).status().message().c_str());
  r = SampleRequest(Action::kRead);
  r.terminal_id = "\xff";
  STRCMP_CONTAINS("UTF-8", EncodePayload(r).status().message().c_str());
}

}  // namespace
}  // namespace carnet::protocol
