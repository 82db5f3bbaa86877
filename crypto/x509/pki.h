#pragma once
// The test PKI: every certificate, key and card certificate the tests and the demo need,
// named like the real hierarchies (DESIGN.md §2) — IGC-Santé for professionals' cards, the
// Vitale CA for patients' cards, and the operator's own CA for nodes, terminals and the portal.
//
// With a seed the whole hierarchy is reproducible byte for byte: every key comes from its own
// CTR-DRBG seeded with SHA-256(seed) and personalised with the key's label, validity periods
// and serial numbers are fixed. Without a seed the keys and serials are random and the names
// are the same. Never use these keys outside a test or a demo.

#include <optional>
#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "crypto/x509/certificate.h"
#include "hal/base/bytes.h"

namespace carnet::crypto {

struct CertAndKey {
  Certificate cert;
  PrivateKey key;
};

struct TestProfessional {
  std::string role;  // "general-practitioner", "pharmacist", ..., "revoked-physician"
  std::string rpps;  // 11 digits, Luhn-valid
  std::string surname;
  std::string given_name;
  std::string profession;        // TRE_G15 code, "10"
  std::string profession_label;  // "Médecin" (also the certificate's title)
  std::string specialty;         // TRE_R38 code ("SM54") or empty
  std::string specialty_label;
  std::string organization;
  bool revoked = false;           // AUT and SIG serials are on the CRL
  std::optional<CertAndKey> aut;  // RSA-2048, digitalSignature, EKU clientAuth
  std::optional<CertAndKey> sig;  // RSA-2048, nonRepudiation only
  std::string IdNat() const { return "8" + rpps; }
};

struct TestBeneficiary {
  std::string nir;  // 13 characters + 2-digit key
  std::string surname;
  std::string given_name;
  std::string birth_date;  // YYYY-MM-DD
};

struct TestPatient {
  std::string nir;  // 13 characters + 2-digit key (the INS matricule for these tests)
  std::string surname;
  std::string given_name;
  std::string birth_date;
  std::vector<TestBeneficiary> beneficiaries;
  std::optional<PrivateKey> card_key;  // EC P-256
  Bytes cvc;                           // 7F21 TLV, see cvc.h
};

struct TestTerminal {
  std::string id;  // "TERM-0001"
  std::optional<CertAndKey> credentials;
};

struct TestPki {
  bool reproducible = false;
  UnixMillis not_before = 0;
  UnixMillis not_after = 0;
  std::optional<CertAndKey> igc_root;          // RSA-2048
  std::optional<CertAndKey> igc_intermediate;  // RSA-2048
  Bytes igc_crl;                               // DER, by the intermediate: the revoked cards
  Bytes igc_root_crl;                          // DER, by the root: empty
  std::vector<TestProfessional> professionals;
  std::string vitale_car;  // "FRVITALETESTCA01"
  std::optional<PrivateKey> vitale_ca_key;
  std::vector<TestPatient> patients;
  std::optional<CertAndKey> operator_root;  // all operator keys EC P-256
  std::optional<CertAndKey> node;
  std::optional<CertAndKey> terminal_ca;
  std::vector<TestTerminal> terminals;
  std::optional<CertAndKey> portal;
  std::optional<PrivateKey> trace_log_key;      // EC P-256
  std::optional<PrivateKey> ecps_provider_key;  // RSA-2048
};

struct TestPkiOptions {
  std::optional<std::string> seed;  // reproducible when set
  // Only the general practitioner and the revoked physician (fewer RSA keys: unit tests).
  bool small = false;
};

Result<TestPki> BuildTestPki(const TestPkiOptions& options);

// Writes the hierarchy under `outdir` (created if missing) with index.json; private keys get
// mode 0600. Refuses a non-empty `outdir` unless `force`.
Status WriteTestPki(const TestPki& pki, const std::string& outdir, bool force);

// NIR key: 97 - (N mod 97) with 2A -> 19, 2B -> 18 (cards.md §4). -1 if `nir13` is not 13
// characters of that shape.
int NirKey(std::string_view nir13);

// The IGC-Santé test names, for the tools that look them up.
inline constexpr char kIgcRootCn[] = "TEST AC RACINE IGC-SANTE FORT";
inline constexpr char kIgcIntermediateCn[] = "TEST AC IGC-SANTE FORT PERSONNES";
inline constexpr char kVitaleTestCar[] = "FRVITALETESTCA01";

}  // namespace carnet::crypto
