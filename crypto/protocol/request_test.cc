#include <CppUTest/TestHarness.h>

#include <string>

#include "crypto/protocol/protocol_test_util.h"

namespace carnet::protocol {
namespace {

using namespace testing;

Request RoundTrip(const Request& in) {
  auto bytes = EncodePayload(in);
  CHECK_TEXT(bytes.ok(), bytes.status().message().c_str());
  auto out = DecodePayload(*bytes);
  CHECK_TEXT(out.ok(), out.status().message().c_str());
  // Canonical: decoding then encoding gives the same bytes.
  auto again = EncodePayload(*out);
  CHECK(again.ok());
  CHECK(*again == *bytes);
  return *out;
}

TEST_GROUP(ProtocolNames){};

TEST(ProtocolNames, ActionsModesAndKindsRoundTrip) {
  for (int i = 0; i < kActionCount; ++i) {
    auto a = static_cast<Action>(i);
    auto parsed = ParseAction(ActionName(a));
    CHECK(parsed.ok());
    CHECK(*parsed == a);
  }
  // Same text as node/policy/model.cc.
  STRCMP_EQUAL("designate_treating_physician",
               std::string(ActionName(Action::kDesignateTreatingPhysician)).c_str());
  STRCMP_EQUAL("bris_de_glace", std::string(ModeName(Mode::kBrisDeGlace)).c_str());
  STRCMP_EQUAL("centre_15", std::string(ModeName(Mode::kCentre15)).c_str());
  CHECK(*ParseMode("normal") == Mode::kNormal);
  CHECK_FALSE(ParseMode("Normal").ok());
  CHECK_FALSE(ParseAction("opened").ok());
  STRCMP_CONTAINS("unknown action \"x\"", ParseAction("x").status().message().c_str());
  CHECK(*ParseActorKind("legal_representative") == ActorKind::kLegalRepresentative);
}

TEST(ProtocolNames, InsShape) {
  CHECK_TRUE(InsShapeValid(kIns));
  CHECK_TRUE(InsShapeValid("295092A12345642"));   // Corsica: 2A counts as 19
  CHECK_FALSE(InsShapeValid("295092A12345641"));  // wrong key
  CHECK_FALSE(InsShapeValid("295109912611194"));
  CHECK_FALSE(InsShapeValid("29510991261119"));  // 14 characters
  CHECK_FALSE(InsShapeValid("2951099126111930"));
  CHECK_FALSE(InsShapeValid("29510991261119A"));
  CHECK_FALSE(InsShapeValid("2951X9912611193"));
}

TEST(ProtocolNames, IdNatShape) {
  CHECK_TRUE(IdNatShapeValid(kIdNat));
  CHECK_TRUE(IdNatShapeValid(kOtherIdNat));
  CHECK_FALSE(IdNatShapeValid("899700218897"));  // Luhn
  CHECK_FALSE(IdNatShapeValid("99700218896"));   // no leading 8
  CHECK_FALSE(IdNatShapeValid("999700218896"));
  CHECK_FALSE(IdNatShapeValid("8997002188960"));
}

TEST_GROUP(ProtocolRequest){};

TEST(ProtocolRequest, EveryActionRoundTrips) {
  for (int i = 0; i < kActionCount; ++i) {
    const auto action = static_cast<Action>(i);
    Request in = SampleRequest(action);
    Request out = RoundTrip(in);
    CHECK(out.action == action);
    CHECK_EQUAL(ArgsIndexFor(action), out.args.index());
    CHECK(out.request_id == in.request_id);
    CHECK_EQUAL(in.issued_at, out.issued_at);
    STRCMP_EQUAL(in.actor.specialty.c_str(), out.actor.specialty.c_str());
    CHECK(out.patient.vitale->signature == in.patient.vitale->signature);
  }
}

TEST(ProtocolRequest, DepositFieldsSurvive) {
  Request out = RoundTrip(SampleRequest(Action::kReplace));
  const auto& d = std::get<DepositArgs>(out.args);
  STRCMP_EQUAL("doc-0", d.metadata.replaces->c_str());
  CHECK_TRUE(d.metadata.masked);
  CHECK_FALSE(d.metadata.invisible_patient);
  CHECK_EQUAL(1u, d.metadata.confidentiality.size());
  CHECK(d.content == ToBytes("%PDF-1.4 sample"));
  CHECK(d.content_sha256 == crypto::Sha256(d.content));
}

TEST(ProtocolRequest, ModesActorsAndOptionalFieldsRoundTrip) {
  Request in = SampleRequest(Action::kRead);
  in.mode = Mode::kBrisDeGlace;
  in.justification = "patient inconscient";
  in.actor.id_token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
  in.patient.vitale.reset();
  in.patient.ins = "295092A12345642";
  Request out = RoundTrip(in);
  CHECK(out.mode == Mode::kBrisDeGlace);
  STRCMP_EQUAL("patient inconscient", out.justification->c_str());
  CHECK(out.actor.id_token == in.actor.id_token);
  CHECK_FALSE(out.patient.vitale.has_value());

  // Bris de glace without justification decodes: the policy engine denies it and traces it.
  in.justification.reset();
  CHECK_FALSE(RoundTrip(in).justification.has_value());

  Request portal = SampleRequest(Action::kBlock);
  portal.actor = Actor{ActorKind::kPatient, std::string(kIns), "", "", std::nullopt};
  portal.patient.vitale.reset();
  CHECK(RoundTrip(portal).actor.kind == ActorKind::kPatient);

  Request empty_filter = SampleRequest(Action::kList);
  empty_filter.args = ListFilter{};
  CHECK_FALSE(std::get<ListFilter>(RoundTrip(empty_filter).args).since.has_value());
  Request centre15 = SampleRequest(Action::kStatus);
  centre15.mode = Mode::kCentre15;
  CHECK(RoundTrip(centre15).mode == Mode::kCentre15);
}

// The canonical bytes of one small request, checked by hand against RFC 8949 §4.2.1: keys
// sorted by their encodings (shorter first, then bytewise): v, iat, rid, mode, actor, action,
// patient, terminal; inside actor: kind, idnat, profession; inside patient: ins, oid.
TEST(ProtocolRequest, CanonicalKnownBytes) {
  Request r;
  r.request_id = FixedRid();
  r.issued_at = 1'700'000'000'000;  // 0x18BCFE56800
  r.terminal_id = "T1";
  r.actor.idnat = std::string(kIdNat);
  r.actor.profession = "10";
  r.patient.ins = std::string(kIns);
  r.patient.ins_oid = std::string(kOidInsNir);
  r.action = Action::kStatus;
  auto bytes = EncodePayload(r);
  CHECK(bytes.ok());
  const std::string expected =
      "a8"      // map(8)
      "617601"  // "v": 1
      "63696174"
      "1b0000018bcfe56800"  // "iat": 1700000000000
      "63726964"
      "50000102030405060708090a0b0c0d0e0f"  // "rid": h'00..0f'
      "646d6f6465"
      "666e6f726d616c"  // "mode": "normal"
      "656163746f72"
      "a3"  // "actor": {
      "646b696e64"
      "6c70726f66657373696f6e616c"  //   "kind": "professional",
      "656964 6e6174"
      "6c383939373030323138383936"  //   "idnat": "899700218896",
      "6a70726f66657373696f6e"
      "623130"  //   "profession": "10" }
      "66616374696f6e"
      "66737461747573"  // "action": "status"
      "67706174696 56e74"
      "a2"  // "patient": {
      "63696e73"
      "6f323935313039393132363131313933"  //   "ins": "295109912611193",
      "636f6964"
      "73312e322e3235302e312e3231332e312e342e38"  //   "oid": "1.2.250.1.213.1.4.8" }
      "687465726d696e616c"
      "625431";  // "terminal": "T1"
  std::string compact;
  for (char c : expected) {
    if (c != ' ') compact += c;
  }
  STRCMP_EQUAL(compact.c_str(), HexEncode(*bytes).c_str());
  // Same request, same bytes.
  CHECK(*EncodePayload(r) == *bytes);
}

TEST(ProtocolRequest, DescribeNeverShowsContent) {
  Request r = SampleRequest(Action::kDeposit);
  r.actor.id_token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2VjcmV0";
  r.terminal_id = "T-001\nforged log line";
  const std::string d = DescribeRequest(r);
  STRCMP_CONTAINS("deposit by 899700218896 (professional, 10/SM54, e-CPS) for INS", d.c_str());
  STRCMP_CONTAINS("doc=doc-1 type=11488-4 size=15", d.c_str());
  STRCMP_CONTAINS("id=000102030405060708090a0b0c0d0e0f", d.c_str());
  CHECK(d.find("%PDF") == std::string::npos);
  CHECK(d.find("Compte rendu") == std::string::npos);
  CHECK(d.find("eyJ") == std::string::npos);
  CHECK(d.find('\n') == std::string::npos);
}

}  // namespace
}  // namespace carnet::protocol
