// `carnet-terminal cards`: every reader, card present or not, ATR, recognised type, holder
// identity and the result of the certificate check (CPS: chain to the IGC-Santé roots with
// CRLs; Vitale: CVC under the Vitale CA plus card authentication).
// The JSON document is built first; the human-readable text is rendered from it, so the two
// outputs cannot disagree.
#include <cstdio>
#include <string>

#include "firmware/app/commands.h"
#include "firmware/app/options.h"
#include "firmware/app/readers.h"
#include "firmware/cps/cps_card.h"
#include "firmware/vitale/vitale_card.h"
#include "hal/base/json.h"

namespace carnet::fw::app {
namespace {

using json::Value;

constexpr char kUsage[] =
    "usage: carnet-terminal cards [--json] [--pki-index FILE | --trust-root PEM\n"
    "                             [--intermediate PEM]... [--crl PEM|DER]...]\n"
    "                             [--vitale-ca PEM --vitale-car CAR]\n"
    "\n"
    "Lists every reader, card present or not: ATR, card type (CPS3, Vitale, unknown), the\n"
    "holder's identity and the certificate check:\n"
    "  CPS3    AUT and SIG certificates chained to the trusted roots, with the CRLs\n"
    "          (ok, revoked, expired, untrusted, mismatch, malformed)\n"
    "  Vitale  card-verifiable certificate under the Vitale CA, then the card proves it holds\n"
    "          the certified key (ok, untrusted)\n"
    "Without trust anchors the check is reported as \"unchecked\".\n"
    "  --json            one JSON object {\"readers\": [...]} on stdout, for scripts\n"
    "  --pki-index FILE  the test PKI's index.json (carnet-crypto pki test-hierarchy):\n"
    "                    IGC-Santé root, intermediate and CRLs, Vitale CA key and reference\n"
    "Exit: 0 listed (whatever the verdicts), 1 PC/SC failure, 2 usage.\n";

Value Str(const std::string& s) { return Value::String(s); }

Value Verdict(std::string_view verdict, const std::string& reason) {
  Value v = Value::MakeObject();
  v.Set("verdict", Str(std::string(verdict)));
  if (!reason.empty()) v.Set("reason", Str(reason));
  return v;
}

Value Unchecked(const char* what) {
  return Verdict("unchecked", std::string("no ") + what + " configured");
}

void DescribeCps(hal::CardReader& reader, const TrustConfig& trust, UnixMillis now, Value& out) {
  cps::CpsCard card(reader);
  auto id = card.ReadIdentity();
  if (!id.ok()) {
    out.Set("error", Str(id.status().message()));
    return;
  }
  Value h = Value::MakeObject();
  h.Set("id_nat", Str(id->id_nat));
  h.Set("civility", Str(id->civility));
  h.Set("surname", Str(id->surname));
  h.Set("given_name", Str(id->given_name));
  h.Set("profession", Str(id->profession));
  h.Set("specialty", Str(id->specialty));
  h.Set("card_number", Str(id->card_number));
  out.Set("holder", std::move(h));
  if (!trust.cps) {
    out.Set("certificates", Unchecked("trust root (--pki-index or --trust-root)"));
    return;
  }
  const cps::CertificatesCheck check = cps::CheckCertificates(*id, *trust.cps, now);
  Value c = Verdict(cps::CertVerdictName(check.overall.verdict), check.overall.reason);
  c.Set("aut", Verdict(cps::CertVerdictName(check.aut.verdict), check.aut.reason));
  c.Set("sig", Verdict(cps::CertVerdictName(check.sig.verdict), check.sig.reason));
  out.Set("certificates", std::move(c));
}

Value Identity(const vitale::VitaleIdentity& id) {
  Value v = Value::MakeObject();
  v.Set("rank", Value::Int(id.rank));
  v.Set("nir", Str(id.nir));
  v.Set("surname", Str(id.surname));
  v.Set("given_name", Str(id.given_name));
  v.Set("birth_date", Str(id.birth_date));
  if (!id.quality.empty()) v.Set("quality", Str(id.quality));
  return v;
}

void DescribeVitale(hal::CardReader& reader, const TrustConfig& trust, UnixMillis now, Value& out) {
  vitale::VitaleCard card(reader);
  if (Status s = card.Read(); !s.ok()) {
    out.Set("error", Str(s.message()));
    return;
  }
  const auto& ids = card.contents().identities;
  out.Set("insured", Identity(ids.front()));
  Value bens = Value::MakeArray();
  for (size_t i = 1; i < ids.size(); ++i) bens.Append(Identity(ids[i]));
  out.Set("beneficiaries", std::move(bens));
  if (!trust.vitale) {
    out.Set("certificate", Unchecked("Vitale CA (--pki-index or --vitale-ca)"));
    return;
  }
  Status s = card.VerifyCertificate(*trust.vitale, now);
  if (s.ok()) s = card.Authenticate(SystemRandom::Instance());
  out.Set("certificate", s.ok() ? Verdict("ok", "") : Verdict("untrusted", s.message()));
}

Value DescribeReader(hal::CardReader& reader,
                     const hal::ReaderState& state,
                     const TrustConfig& trust,
                     UnixMillis now) {
  Value r = Value::MakeObject();
  r.Set("name", Str(state.name));
  r.Set("card_present", Value::Bool(state.card_present));
  if (!state.card_present) return r;
  r.Set("atr", Str(HexEncode(state.atr)));
  const cps::CardType type = cps::DetectCardType(state.atr);
  r.Set("type", Str(std::string(cps::CardTypeName(type))));
  if (state.mute || type == cps::CardType::kUnknown) return r;
  if (auto c = reader.Connect(state.name, hal::ShareMode::kShared); !c.ok()) {
    r.Set("error", Str(c.status().message()));
    return r;
  }
  if (type == cps::CardType::kCps3) DescribeCps(reader, trust, now, r);
  if (type == cps::CardType::kVitale) DescribeVitale(reader, trust, now, r);
  reader.Disconnect();
  return r;
}

std::string Field(const Value& v, const char* key) {
  const Value* f = v.Find(key);
  return f ? f->as_string() : std::string();
}

void PrintVerdict(const char* label, const Value* v) {
  if (v == nullptr) return;
  std::string reason = Field(*v, "reason");
  std::printf("  %s: %s%s%s\n", label, Field(*v, "verdict").c_str(), reason.empty() ? "" : " — ",
              reason.c_str());
}

void PrintPerson(const char* label, const Value& p) {
  std::printf("  %s: %s %s, NIR %s, born %s\n", label, Field(p, "given_name").c_str(),
              Field(p, "surname").c_str(), Field(p, "nir").c_str(), Field(p, "birth_date").c_str());
}

void PrintHuman(const Value& doc) {
  for (const Value& r : doc.Find("readers")->as_array()) {
    if (!r.Find("card_present")->as_bool()) {
      std::printf("%s: empty\n", Field(r, "name").c_str());
      continue;
    }
    std::printf("%s: %s card (ATR %s)\n", Field(r, "name").c_str(), Field(r, "type").c_str(),
                Field(r, "atr").c_str());
    if (const Value* h = r.Find("holder")) {
      std::printf("  holder: %s %s %s, idNat %s, profession %s%s%s, card %s\n",
                  Field(*h, "civility").c_str(), Field(*h, "given_name").c_str(),
                  Field(*h, "surname").c_str(), Field(*h, "id_nat").c_str(),
                  Field(*h, "profession").c_str(), Field(*h, "specialty").empty() ? "" : "/",
                  Field(*h, "specialty").c_str(), Field(*h, "card_number").c_str());
    }
    if (const Value* p = r.Find("insured")) PrintPerson("insured", *p);
    if (const Value* b = r.Find("beneficiaries")) {
      for (const Value& p : b->as_array()) PrintPerson("beneficiary", p);
    }
    PrintVerdict("certificates", r.Find("certificates"));
    PrintVerdict("certificate", r.Find("certificate"));
    if (const Value* e = r.Find("error")) std::printf("  error: %s\n", e->as_string().c_str());
  }
}

}  // namespace

int RunCards(Args args) {
  std::vector<OptionSpec> specs(std::begin(kTrustOptions), std::end(kTrustOptions));
  specs.push_back({"json", false, false});
  specs.push_back({"help", false, false});
  auto options = Options::Parse(args, specs);
  if (!options.ok()) {
    std::fputs(kUsage, stderr);
    return Fail("cards", options.status().message(), kExitUsage);
  }
  if (options->Has("help")) {
    std::fputs(kUsage, stdout);
    return kExitOk;
  }
  auto trust = LoadTrust(*options);
  if (!trust.ok()) return Fail("cards", trust.status().message(), kExitUsage);
  auto reader = OpenReaders();
  if (!reader.ok()) return Fail("cards", reader.status().message(), kExitFailure);
  auto states = ReaderSnapshot(**reader);
  if (!states.ok()) return Fail("cards", states.status().message(), kExitFailure);
  const UnixMillis now = SystemClock::Instance().Now();
  Value readers = Value::MakeArray();
  for (const hal::ReaderState& s : *states)
    readers.Append(DescribeReader(**reader, s, *trust, now));
  Value doc = Value::MakeObject();
  doc.Set("readers", std::move(readers));
  if (options->Has("json")) {
    std::printf("%s\n", json::Write(doc).c_str());
  } else if (states->empty()) {
    std::printf("no card reader attached\n");
  } else {
    PrintHuman(doc);
  }
  return kExitOk;
}

}  // namespace carnet::fw::app
