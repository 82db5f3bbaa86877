// Building the test PKI in memory (pki_write.cc puts it on disk).
#include "crypto/x509/pki.h"

#include <cstdlib>

#include "crypto/core/hash.h"
#include "crypto/core/random.h"
#include "crypto/x509/crl.h"
#include "crypto/x509/csr.h"
#include "crypto/x509/cvc.h"
#include "crypto/x509/seeded_drbg.h"

namespace carnet::crypto {
namespace {

constexpr UnixMillis k20250101 = 1735689600000;  // 2025-01-01T00:00:00Z
constexpr UnixMillis k20350101 = 2051222400000;  // 2035-01-01T00:00:00Z
constexpr char kIgcOrganization[] = "ASIP-SANTE (test)";
constexpr char kIgcUnit[] = "IGC-SANTE TEST";
constexpr char kOperatorOrganization[] = "Carnet Test Operator";

struct ProfessionalSpec {
  const char* role;
  const char* rpps;  // Luhn-valid, in the "997" test range (cards.md §4)
  const char* surname;
  const char* given_name;
  const char* profession;
  const char* profession_label;
  const char* specialty;
  const char* specialty_label;
  const char* organization;
  bool revoked;
  bool in_small;
};

// Codes and labels from dmp-rules.md §1.3 (TRE_G15 professions, TRE_R38 specialties).
constexpr ProfessionalSpec kProfessionals[] = {
    {"general-practitioner", "99700100011", "DUBOIS", "CLAIRE", "10", "Médecin", "SM54",
     "Médecine générale", "CABINET MEDICAL DES TILLEULS", false, true},
    {"pharmacist", "99700100029", "LEROY", "ANTOINE", "21", "Pharmacien", "", "",
     "PHARMACIE DU MARCHE", false, false},
    {"dentist", "99700100037", "MOREAU", "SOPHIE", "40", "Chirurgien-Dentiste", "", "",
     "CABINET DENTAIRE REPUBLIQUE", false, false},
    {"nurse", "99700100045", "GIRARD", "JULIEN", "60", "Infirmier", "", "",
     "CABINET INFIRMIER DU PARC", false, false},
    {"blocked-physician", "99700100052", "FONTAINE", "MARC", "10", "Médecin", "SM04", "Cardiologie",
     "CLINIQUE SAINT-LOUIS", false, false},
    {"revoked-physician", "99700100060", "ROUSSEL", "HELENE", "10", "Médecin", "SM54",
     "Médecine générale", "CENTRE DE SANTE BELLEVILLE", true, true},
};

// NIRs: sex, year, month, department (2A = Corse-du-Sud), commune, order; keys from NirKey.
struct PatientSpec {
  TestBeneficiary holder;
  std::vector<TestBeneficiary> beneficiaries;
};
const PatientSpec kPatients[] = {
    {{"284037511502730", "BERNARD", "CAMILLE", "1984-03-12"},
     {{"116097511523106", "BERNARD", "LUCAS", "2016-09-05"}}},
    {{"157112A00401283", "PETIT", "JEAN", "1957-11-30"}, {}},
};

class Builder {
 public:
  explicit Builder(const Sha256Digest& seed) : seed_(seed) {}

  Result<PrivateKey> Key(KeyType type, std::string_view label) {
    CARNET_ASSIGN_OR_RETURN(auto rng, SeededDrbg::Create(seed_, "key:" + std::string(label)));
    return type == KeyType::kRsa ? PrivateKey::GenerateRsa(*rng, 2048)
                                 : PrivateKey::GenerateEcP256(*rng);
  }

  // 16 bytes, positive, high byte non-zero: unique per label, fixed per seed.
  Bytes Serial(std::string_view label) const {
    Bytes input(seed_.begin(), seed_.end());
    Append(input, AsBytes("serial:" + std::string(label)));
    Sha256Digest d = Sha256(input);
    Bytes serial(d.begin(), d.begin() + 16);
    serial[0] = static_cast<uint8_t>((serial[0] & 0x3F) | 0x40);
    return serial;
  }

  Result<CertAndKey> Issue(std::string_view label,
                           KeyType type,
                           const DistinguishedName& subject,
                           IssueParams params,
                           const CertAndKey* issuer) {
    CARNET_ASSIGN_OR_RETURN(PrivateKey key, Key(type, label));
    params.serial = Serial(label);
    params.not_before = k20250101;
    params.not_after = k20350101;
    CARNET_ASSIGN_OR_RETURN(auto rng, SeededDrbg::Create(seed_, "sign:" + std::string(label)));
    const PrivateKey& signer = issuer != nullptr ? issuer->key : key;
    CARNET_ASSIGN_OR_RETURN(
        Certificate cert,
        IssueCertificate(subject, key.public_key(), params,
                         issuer != nullptr ? &issuer->cert : nullptr, signer, *rng));
    return CertAndKey{std::move(cert), std::move(key)};
  }

  Result<Bytes> Crl(const CertAndKey& ca, std::string_view label, CrlParams params) {
    CARNET_ASSIGN_OR_RETURN(auto rng, SeededDrbg::Create(seed_, "sign:" + std::string(label)));
    params.this_update = k20250101;
    params.next_update = k20350101;
    return MakeCrl(ca.cert, ca.key, params, *rng);
  }

  Random& SigningRng(std::string_view label) {
    auto rng = SeededDrbg::Create(seed_, "sign:" + std::string(label));
    if (!rng.ok()) std::abort();  // mbedTLS cannot fail to seed from a fixed buffer
    last_rng_ = std::move(rng).value();
    return *last_rng_;
  }

 private:
  Sha256Digest seed_;
  std::unique_ptr<SeededDrbg> last_rng_;
};

IssueParams CaParams(int path_len) {
  IssueParams p;
  p.is_ca = true;
  p.path_len = path_len;
  p.key_usage = kKuKeyCertSign | kKuCrlSign;
  return p;
}

IssueParams LeafParams(unsigned ku, std::vector<ExtendedKeyUsage> eku) {
  IssueParams p;
  p.key_usage = ku;
  p.ext_key_usage = std::move(eku);
  return p;
}

Status BuildIgc(Builder& b, const TestPkiOptions& options, TestPki& pki) {
  auto igc_name = [](const char* cn) { return SimpleName("FR", kIgcOrganization, {kIgcUnit}, cn); };
  CARNET_ASSIGN_OR_RETURN(pki.igc_root, b.Issue("igc-root", KeyType::kRsa, igc_name(kIgcRootCn),
                                                CaParams(-1), nullptr));
  CARNET_ASSIGN_OR_RETURN(pki.igc_intermediate,
                          b.Issue("igc-intermediate", KeyType::kRsa, igc_name(kIgcIntermediateCn),
                                  CaParams(0), &*pki.igc_root));
  CrlParams crl;
  for (const ProfessionalSpec& s : kProfessionals) {
    if (options.small && !s.in_small) continue;
    // A typo in the table would give the demo a professional no real check accepts.
    if (!RppsLuhnValid(s.rpps)) return Internal(std::string("bad RPPS in table: ") + s.rpps);
    TestProfessional p{s.role,         s.rpps,
                       s.surname,      s.given_name,
                       s.profession,   s.profession_label,
                       s.specialty,    s.specialty_label,
                       s.organization, s.revoked,
                       std::nullopt,   std::nullopt};
    HolderName holder{p.IdNat(), p.surname, p.given_name, p.profession_label};
    DistinguishedName name = HolderDistinguishedName(holder, p.organization);
    const std::string label = "professional:" + p.rpps;
    CARNET_ASSIGN_OR_RETURN(
        p.aut, b.Issue(label + ":aut", KeyType::kRsa, name,
                       LeafParams(kKuDigitalSignature, {ExtendedKeyUsage::kClientAuth}),
                       &*pki.igc_intermediate));
    CARNET_ASSIGN_OR_RETURN(
        p.sig, b.Issue(label + ":sig", KeyType::kRsa, name, LeafParams(kKuNonRepudiation, {}),
                       &*pki.igc_intermediate));
    if (p.revoked) {
      crl.revoked.push_back({p.aut->cert.SerialNumber(), k20250101});
      crl.revoked.push_back({p.sig->cert.SerialNumber(), k20250101});
    }
    pki.professionals.push_back(std::move(p));
  }
  CARNET_ASSIGN_OR_RETURN(pki.igc_crl, b.Crl(*pki.igc_intermediate, "igc-crl", crl));
  CARNET_ASSIGN_OR_RETURN(pki.igc_root_crl, b.Crl(*pki.igc_root, "igc-root-crl", CrlParams{}));
  return Status::Ok();
}

// A typo in the table would give the demo a patient whose NIR no real check accepts.
Status CheckNir(const TestBeneficiary& person) {
  const std::string& nir = person.nir;
  if (nir.size() != 15 || NirKey(nir.substr(0, 13)) != std::atoi(nir.substr(13).c_str())) {
    return Internal("bad NIR in table: " + nir);
  }
  return Status::Ok();
}

Status BuildVitale(Builder& b, TestPki& pki) {
  pki.vitale_car = kVitaleTestCar;
  CARNET_ASSIGN_OR_RETURN(pki.vitale_ca_key, b.Key(KeyType::kEcP256, "vitale-ca"));
  for (const PatientSpec& spec : kPatients) {
    CARNET_TRY(CheckNir(spec.holder));
    for (const TestBeneficiary& child : spec.beneficiaries) CARNET_TRY(CheckNir(child));
    TestPatient p{spec.holder.nir,
                  spec.holder.surname,
                  spec.holder.given_name,
                  spec.holder.birth_date,
                  spec.beneficiaries,
                  std::nullopt,
                  {}};
    CARNET_ASSIGN_OR_RETURN(p.card_key, b.Key(KeyType::kEcP256, "vitale-card:" + p.nir));
    Bytes spki = p.card_key->public_key().ToDer();
    CvcFields f;
    f.car = pki.vitale_car;
    // The uncompressed point is the last 65 bytes of a P-256 SubjectPublicKeyInfo.
    f.public_point.assign(spki.end() - 65, spki.end());
    f.chr = p.nir;
    f.effective = CvDateFromMillis(k20250101);
    f.expiry = CvDateFromMillis(k20350101);
    CARNET_ASSIGN_OR_RETURN(p.cvc, EncodeCvc(f, *pki.vitale_ca_key, b.SigningRng("cvc:" + p.nir)));
    pki.patients.push_back(std::move(p));
  }
  return Status::Ok();
}

Status BuildOperator(Builder& b, TestPki& pki) {
  auto name = [](const std::string& ou, const std::string& cn) {
    return SimpleName("FR", kOperatorOrganization,
                      ou.empty() ? std::vector<std::string>{} : std::vector<std::string>{ou}, cn);
  };
  const KeyType ec = KeyType::kEcP256;
  CARNET_ASSIGN_OR_RETURN(
      pki.operator_root,
      b.Issue("operator-root", ec, name("", "Carnet Test Operator Root CA"), CaParams(1), nullptr));
  IssueParams server = LeafParams(kKuDigitalSignature, {ExtendedKeyUsage::kServerAuth});
  server.dns_names = {"localhost"};
  server.ip_addresses = {"127.0.0.1"};
  CARNET_ASSIGN_OR_RETURN(
      pki.node, b.Issue("node", ec, name("node", "localhost"), server, &*pki.operator_root));
  CARNET_ASSIGN_OR_RETURN(
      pki.terminal_ca, b.Issue("terminal-ca", ec, name("", "Carnet Test Terminal CA"), CaParams(0),
                               &*pki.operator_root));
  const IssueParams client = LeafParams(kKuDigitalSignature, {ExtendedKeyUsage::kClientAuth});
  for (const char* id : {"TERM-0001", "TERM-0002"}) {
    TestTerminal t{id, std::nullopt};
    CARNET_ASSIGN_OR_RETURN(t.credentials,
                            b.Issue(std::string("terminal:") + id, ec, name("terminal", id), client,
                                    &*pki.terminal_ca));
    pki.terminals.push_back(std::move(t));
  }
  CARNET_ASSIGN_OR_RETURN(
      pki.portal, b.Issue("portal", ec, name("portal", "PORTAL-0001"), client, &*pki.terminal_ca));
  CARNET_ASSIGN_OR_RETURN(pki.trace_log_key, b.Key(ec, "trace-log"));
  CARNET_ASSIGN_OR_RETURN(pki.ecps_provider_key, b.Key(KeyType::kRsa, "ecps-provider"));
  return Status::Ok();
}

}  // namespace

int NirKey(std::string_view nir13) {
  if (nir13.size() != 13) return -1;
  uint64_t n = 0;
  for (size_t i = 0; i < nir13.size(); ++i) {
    char c = nir13[i];
    if (i == 6 && c == 'A' && nir13[5] == '2') {
      n = (n / 10) * 100 + 19;  // "2A" -> 19
    } else if (i == 6 && c == 'B' && nir13[5] == '2') {
      n = (n / 10) * 100 + 18;  // "2B" -> 18
    } else if (c >= '0' && c <= '9') {
      n = n * 10 + static_cast<uint64_t>(c - '0');
    } else {
      return -1;
    }
  }
  return static_cast<int>(97 - n % 97);
}

Result<TestPki> BuildTestPki(const TestPkiOptions& options) {
  Sha256Digest seed{};
  TestPki pki;
  pki.reproducible = options.seed.has_value();
  if (options.seed) {
    seed = Sha256(AsBytes(*options.seed));
  } else {
    CARNET_TRY(Drbg::ForThread().Fill(seed));
  }
  pki.not_before = k20250101;
  pki.not_after = k20350101;
  Builder b(seed);
  CARNET_TRY(BuildIgc(b, options, pki));
  CARNET_TRY(BuildVitale(b, pki));
  CARNET_TRY(BuildOperator(b, pki));
  return pki;
}

}  // namespace carnet::crypto
