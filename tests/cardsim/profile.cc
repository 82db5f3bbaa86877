#include "tests/cardsim/profile.h"

#include <fstream>
#include <set>
#include <sstream>

#include "crypto/core/pk.h"
#include "hal/base/json.h"
#include "tests/cardsim/cps3_card.h"
#include "tests/cardsim/vitale_card.h"

namespace carnet::cardsim {

const char kSimUsage[] =
    "usage: carnet-cardsim --profile cps3|vitale [options]\n"
    "  --slot N            vpcd slot (port 35963+N), default 0     --port P / --host H\n"
    "  --config FILE       JSON object with any of these options (keys without --)\n"
    "  --pki DIR           test PKI (index.json) from carnet-crypto pki test-hierarchy\n"
    "  --professional ID   CPS holder from the PKI: RPPS, idNat or index (default 0)\n"
    "  --patient ID        Vitale holder from the PKI: NIR (15 chars) or index (default 0)\n"
    "  CPS3:   --pin 1234 --puk 12345678 --card-number DIGITS --id-nat --last-name\n"
    "          --first-name --civility --profession --specialty\n"
    "          --aut-key PEM --aut-cert PEM|DER --sig-key PEM --sig-cert PEM|DER\n"
    "  Vitale: --nir --last-name --first-name --birth-date YYYYMMDD --card-key PEM --cvc FILE\n"
    "          --beneficiaries \"NIR|SURNAME|GIVEN|YYYYMMDD;...\"\n"
    "  --control-socket PATH  UNIX socket for control commands (stdin is always read)\n"
    "  --log-apdus         log command headers and status words (never command data)\n"
    "  --seed N            deterministic card randomness (tests)\n"
    "Control commands (one per line, answered OK or ERR <why>): REMOVE, REINSERT, RESET,\n"
    "STALL <ms>, MALFORMED, STATUS, QUIT\n";

namespace {
const std::set<std::string> kKnown = {
    "profile",      "slot",           "port",      "host",       "config",      "pki",
    "professional", "patient",        "pin",       "puk",        "card-number", "id-nat",
    "last-name",    "first-name",     "civility",  "profession", "specialty",   "aut-key",
    "aut-cert",     "sig-key",        "sig-cert",  "nir",        "birth-date",  "card-key",
    "cvc",          "control-socket", "log-apdus", "seed",       "help",        "beneficiaries"};

std::string NoDashes(std::string date) {
  std::erase(date, '-');
  return date;
}

Result<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A certificate file: DER as is, or the first PEM block decoded.
Result<Bytes> ReadCert(const std::string& path) {
  CARNET_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  const auto begin = text.find("-----BEGIN");
  if (begin == std::string::npos) return ToBytes(text);
  const auto body = text.find('\n', begin);
  const auto end = text.find("-----END", body);
  if (body == std::string::npos || end == std::string::npos) {
    return InvalidArgument(path + ": truncated PEM");
  }
  std::string b64;
  for (char c : text.substr(body, end - body)) {
    if (c != '\n' && c != '\r' && c != ' ') b64.push_back(c);
  }
  return Base64Decode(b64);
}

std::string Str(const json::Value* v) {
  return v && v->is(json::Kind::kString) ? v->as_string() : "";
}

const json::Value* Pick(const json::Value& array,
                        const std::string& id,
                        std::initializer_list<const char*> keys) {
  const auto& items = array.as_array();
  if (items.empty()) return nullptr;
  if (id.empty()) return &items[0];
  for (const auto& item : items) {
    for (const char* k : keys) {
      if (Str(item.Find(k)) == id) return &item;
    }
  }
  if (id.size() < 4 && std::isdigit(static_cast<unsigned char>(id[0]))) {
    const size_t i = std::stoul(id);
    if (i < items.size()) return &items[i];
  }
  return nullptr;
}

void SetIfEmpty(SimOptions& o, const std::string& key, const std::string& value) {
  if (!value.empty() && o.values.count(key) == 0) o.values[key] = value;
}

Status MergePki(SimOptions& o) {
  const std::string dir = o.Get("pki");
  CARNET_ASSIGN_OR_RETURN(std::string text, ReadFile(dir + "/index.json"));
  CARNET_ASSIGN_OR_RETURN(json::Value index, json::Parse(text));
  if (o.Get("profile") == "vitale") {
    const json::Value* v = index.Find("vitale");
    const json::Value* patients = v ? v->Find("patients") : nullptr;
    const json::Value* p = patients ? Pick(*patients, o.Get("patient"), {"ins", "nir"}) : nullptr;
    if (p == nullptr) return NotFound("no such patient in " + dir + "/index.json");
    SetIfEmpty(o, "nir", Str(p->Find("ins")));
    SetIfEmpty(o, "last-name", Str(p->Find("surname")));
    SetIfEmpty(o, "first-name", Str(p->Find("given_name")));
    SetIfEmpty(o, "birth-date", NoDashes(Str(p->Find("birth_date"))));
    std::string bens;
    if (const json::Value* b = p->Find("beneficiaries")) {
      for (const auto& x : b->as_array()) {
        bens += (bens.empty() ? "" : ";") + Str(x.Find("ins")) + "|" + Str(x.Find("surname")) +
                "|" + Str(x.Find("given_name")) + "|" + NoDashes(Str(x.Find("birth_date")));
      }
    }
    SetIfEmpty(o, "beneficiaries", bens);
    SetIfEmpty(o, "card-key", dir + "/" + Str(p->Find("card_key")));
    SetIfEmpty(o, "cvc", dir + "/" + Str(p->Find("cvc")));
    return Status();
  }
  const json::Value* pros = index.Find("professionals");
  const json::Value* p = pros ? Pick(*pros, o.Get("professional"), {"rpps", "idnat"}) : nullptr;
  if (p == nullptr) return NotFound("no such professional in " + dir + "/index.json");
  SetIfEmpty(o, "id-nat", Str(p->Find("idnat")));
  SetIfEmpty(o, "last-name", Str(p->Find("surname")));
  SetIfEmpty(o, "first-name", Str(p->Find("given_name")));
  SetIfEmpty(o, "profession", Str(p->Find("profession")));
  // A professional without a specialty in the PKI (pharmacist, dentist) has none on the card
  // either: the engine's default (SM54) would contradict the node's directory.
  if (o.values.count("specialty") == 0) o.values["specialty"] = Str(p->Find("specialty"));
  SetIfEmpty(o, "aut-key", dir + "/" + Str(p->Find("aut_key")));
  SetIfEmpty(o, "aut-cert", dir + "/" + Str(p->Find("aut_cert_der")));
  SetIfEmpty(o, "sig-key", dir + "/" + Str(p->Find("sig_key")));
  SetIfEmpty(o, "sig-cert", dir + "/" + Str(p->Find("sig_cert_der")));
  return Status();
}

Result<std::unique_ptr<SimCard>> BuildCps3(const SimOptions& o, Random& rng) {
  Cps3Config c;
  c.pin = o.Get("pin", c.pin);
  c.puk = o.Get("puk", c.puk);
  if (c.pin.size() != 4 || c.puk.size() != 8) return InvalidArgument("PIN must be 4 digits, PUK 8");
  c.card_number = o.Get("card-number", c.card_number);
  Cps3Holder& h = c.holder;
  h.id_nat = o.Get("id-nat", h.id_nat);
  h.last_name = o.Get("last-name", h.last_name);
  h.first_name = o.Get("first-name", h.first_name);
  h.civility = o.Get("civility", h.civility);
  h.profession = o.Get("profession", h.profession);
  if (auto it = o.values.find("specialty"); it != o.values.end()) h.specialty = it->second;
  if (!o.Get("aut-key").empty()) {
    CARNET_ASSIGN_OR_RETURN(auto k, crypto::PrivateKey::FromPemFile(o.Get("aut-key")));
    c.aut_key = std::move(k);
  }
  if (!o.Get("sig-key").empty()) {
    CARNET_ASSIGN_OR_RETURN(auto k, crypto::PrivateKey::FromPemFile(o.Get("sig-key")));
    c.sig_key = std::move(k);
  }
  if (!o.Get("aut-cert").empty()) {
    CARNET_ASSIGN_OR_RETURN(c.aut_cert, ReadCert(o.Get("aut-cert")));
  }
  if (!o.Get("sig-cert").empty()) {
    CARNET_ASSIGN_OR_RETURN(c.sig_cert, ReadCert(o.Get("sig-cert")));
  }
  return std::unique_ptr<SimCard>(new Cps3Card(std::move(c), rng));
}

Result<std::unique_ptr<SimCard>> BuildVitale(const SimOptions& o, Random& rng) {
  VitaleConfig c;
  Beneficiary& b = c.beneficiaries[0];
  b.nir = o.Get("nir", b.nir);
  b.last_name = o.Get("last-name", b.last_name);
  b.first_name = o.Get("first-name", b.first_name);
  b.birth_date = o.Get("birth-date", b.birth_date);
  // --beneficiaries "NIR|SURNAME|GIVEN|YYYYMMDD;..." (children on the insured's card)
  std::stringstream list(o.Get("beneficiaries"));
  for (std::string item; std::getline(list, item, ';');) {
    std::stringstream fields(item);
    Beneficiary x;
    x.quality = "06";
    std::getline(fields, x.nir, '|');
    std::getline(fields, x.last_name, '|');
    std::getline(fields, x.first_name, '|');
    std::getline(fields, x.birth_date, '|');
    if (x.nir.size() != 15) return InvalidArgument("--beneficiaries: NIR must be 15 characters");
    c.beneficiaries.push_back(x);
  }
  if (!o.Get("card-key").empty()) {
    CARNET_ASSIGN_OR_RETURN(auto k, crypto::PrivateKey::FromPemFile(o.Get("card-key")));
    c.card_key = std::move(k);
  }
  if (!o.Get("cvc").empty()) {
    CARNET_ASSIGN_OR_RETURN(std::string cvc, ReadFile(o.Get("cvc")));
    c.cvc = ToBytes(cvc);
  }
  return std::unique_ptr<SimCard>(new VitaleCard(std::move(c), rng));
}

}  // namespace

std::string SimOptions::Get(const std::string& key, const std::string& fallback) const {
  auto it = values.find(key);
  return it == values.end() || it->second.empty() ? fallback : it->second;
}

Result<SimOptions> ParseSimArgs(const std::vector<std::string>& args) {
  SimOptions o;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) return InvalidArgument("unexpected argument '" + a + "'");
    std::string key = a.substr(2), value;
    if (auto eq = key.find('='); eq != std::string::npos) {
      value = key.substr(eq + 1);
      key = key.substr(0, eq);
    } else if (key != "log-apdus" && key != "help") {
      if (i + 1 >= args.size()) return InvalidArgument("--" + key + " needs a value");
      value = args[++i];
    } else {
      value = "1";
    }
    if (kKnown.count(key) == 0) return InvalidArgument("unknown option --" + key);
    o.values[key] = value;
  }
  return o;
}

Status ResolveSimOptions(SimOptions& o) {
  if (!o.Get("config").empty()) {
    CARNET_ASSIGN_OR_RETURN(std::string text, ReadFile(o.Get("config")));
    CARNET_ASSIGN_OR_RETURN(json::Value doc, json::Parse(text));
    if (!doc.is(json::Kind::kObject)) return InvalidArgument("profile file: not a JSON object");
    for (const auto& [k, v] : doc.as_object()) {
      if (kKnown.count(k) == 0) return InvalidArgument("profile file: unknown key " + k);
      std::string s = v.is(json::Kind::kInt) ? std::to_string(v.as_int()) : v.as_string();
      SetIfEmpty(o, k, s);
    }
  }
  if (!o.Get("pki").empty()) CARNET_TRY(MergePki(o));
  const std::string p = o.Get("profile");
  if (p != "cps3" && p != "vitale") return InvalidArgument("--profile must be cps3 or vitale");
  return Status();
}

Result<std::unique_ptr<SimCard>> BuildCard(const SimOptions& o, Random& rng) {
  if (o.Get("profile") == "vitale") return BuildVitale(o, rng);
  return BuildCps3(o, rng);
}

}  // namespace carnet::cardsim
