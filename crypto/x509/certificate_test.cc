#include "crypto/x509/certificate.h"

#include "crypto/x509/x509_test_support.h"

namespace carnet::crypto {
namespace {

using testing::Gp;
using testing::SmallPki;

TEST_GROUP(Certificate){};

TEST(Certificate, HolderFieldsOfACardCertificate) {
  auto holder = Gp().aut->cert.Holder();
  CHECK_OK(holder);
  STRCMP_EQUAL("899700100011", holder->id_nat.c_str());
  STRCMP_EQUAL("DUBOIS", holder->surname.c_str());
  STRCMP_EQUAL("CLAIRE", holder->given_name.c_str());
  STRCMP_EQUAL("Médecin", holder->title.c_str());
  STRCMP_EQUAL("899700100011", Gp().aut->cert.CommonName().c_str());
}

TEST(Certificate, SubjectIsOneMultiValuedRdn) {
  // mbedTLS prints the attributes of one RDN joined by " + ".
  std::string subject = Gp().sig->cert.SubjectString();
  STRCMP_CONTAINS("CN=899700100011", subject.c_str());
  STRCMP_CONTAINS(" + ", subject.c_str());
  STRCMP_CONTAINS("TEST AC IGC-SANTE FORT PERSONNES", Gp().sig->cert.IssuerString().c_str());
}

TEST(Certificate, HolderRejectsACnThatIsNotAnIdNat) {
  CHECK_FAILS_WITH(SmallPki().node->cert.Holder(), StatusCode::kInvalidArgument, "not an idNat");
}

TEST(Certificate, RppsLuhn) {
  // Public RPPS numbers and test-card numbers quoted in cards.md §4.
  CHECK_TRUE(RppsLuhnValid("10005173140"));
  CHECK_TRUE(RppsLuhnValid("99700075122"));
  CHECK_FALSE(RppsLuhnValid("10101201234"));
  CHECK_FALSE(RppsLuhnValid("1000517314"));
  CHECK_FALSE(RppsLuhnValid("1000517314a"));
}

TEST(Certificate, DerRoundTripAndAccessors) {
  const Certificate& c = Gp().aut->cert;
  auto again = Certificate::FromDer(c.der());
  CHECK_OK(again);
  CHECK(again->der() == c.der());
  LONGS_EQUAL(16, c.SerialNumber().size());
  CHECK(c.NotBefore() == SmallPki().not_before);
  CHECK(c.NotAfter() == SmallPki().not_after);
  CHECK_FALSE(c.IsCa());
  CHECK_TRUE(SmallPki().igc_root->cert.IsCa());
  CHECK(c.public_key().type() == KeyType::kRsa);
  LONGS_EQUAL(2048, c.public_key().bits());
}

TEST(Certificate, PemChainInFileOrder) {
  std::string pem = Gp().aut->cert.ToPem() + SmallPki().igc_intermediate->cert.ToPem();
  auto certs = Certificate::FromPem(pem);
  CHECK_OK(certs);
  LONGS_EQUAL(2, certs->size());
  CHECK((*certs)[1].der() == SmallPki().igc_intermediate->cert.der());
}

TEST(Certificate, RejectsGarbageTrailingBytesAndEmptyInput) {
  CHECK_FAILS_WITH(Certificate::FromDer({}), StatusCode::kInvalidArgument, "empty");
  Bytes der = Gp().aut->cert.der();
  der.push_back(0);
  CHECK_FAILS_WITH(Certificate::FromDer(der), StatusCode::kInvalidArgument, "trailing");
  Bytes cut(Gp().aut->cert.der().begin(), Gp().aut->cert.der().end() - 10);
  CHECK_FAILS_WITH(Certificate::FromDer(cut), StatusCode::kInvalidArgument, "parsing");
  CHECK_FAILS_WITH(Certificate::FromDer(Bytes(20000, 0x30)), StatusCode::kOutOfRange, "larger");
  CHECK_FAILS_WITH(Certificate::FromPem("no pem here"), StatusCode::kInvalidArgument, "no PEM");
  CHECK_FAILS_WITH(Certificate::FromPem("-----BEGIN CERTIFICATE-----\nAAAA"),
                   StatusCode::kInvalidArgument, "END");
}

TEST_GROUP(KeyUsage){};

TEST(KeyUsage, CardCertificatesEachDoOneThing) {
  CHECK_OK(Gp().aut->cert.KeyUsageAllows(Purpose::kCardAuthentication));
  CHECK_OK(Gp().sig->cert.KeyUsageAllows(Purpose::kCardNonRepudiation));
  // The AUT key signs challenges chosen by others: never a deposit signature.
  CHECK_FAILS_WITH(Gp().aut->cert.KeyUsageAllows(Purpose::kCardNonRepudiation),
                   StatusCode::kPermissionDenied, "lacks a required bit");
  // The SIG certificate cannot log in.
  CHECK_FAILS_WITH(Gp().sig->cert.KeyUsageAllows(Purpose::kCardAuthentication),
                   StatusCode::kPermissionDenied, "lacks a required bit");
  CHECK_FAILS_WITH(Gp().sig->cert.KeyUsageAllows(Purpose::kTlsClient),
                   StatusCode::kPermissionDenied, "lacks a required bit");
}

TEST(KeyUsage, TlsClientAndServerAreNotInterchangeable) {
  const TestPki& pki = SmallPki();
  CHECK_OK(pki.node->cert.KeyUsageAllows(Purpose::kTlsServer));
  CHECK_OK(pki.terminals[0].credentials->cert.KeyUsageAllows(Purpose::kTlsClient));
  CHECK_OK(pki.terminals[0].credentials->cert.KeyUsageAllows(Purpose::kDeviceSigning));
  CHECK_OK(pki.portal->cert.KeyUsageAllows(Purpose::kTlsClient));
  CHECK_FAILS_WITH(pki.terminals[0].credentials->cert.KeyUsageAllows(Purpose::kTlsServer),
                   StatusCode::kPermissionDenied, "extendedKeyUsage");
  CHECK_FAILS_WITH(pki.node->cert.KeyUsageAllows(Purpose::kTlsClient),
                   StatusCode::kPermissionDenied, "extendedKeyUsage");
  CHECK_FAILS_WITH(pki.node->cert.KeyUsageAllows(Purpose::kDeviceSigning),
                   StatusCode::kPermissionDenied, "extendedKeyUsage");
  CHECK_FAILS_WITH(Gp().sig->cert.KeyUsageAllows(Purpose::kTlsServer),
                   StatusCode::kPermissionDenied, "keyUsage");
}

TEST(KeyUsage, OnlyCasSignCertificates) {
  CHECK_OK(SmallPki().igc_intermediate->cert.KeyUsageAllows(Purpose::kCertificateSigning));
  CHECK_OK(SmallPki().terminal_ca->cert.KeyUsageAllows(Purpose::kCertificateSigning));
  CHECK_FAILS_WITH(Gp().aut->cert.KeyUsageAllows(Purpose::kCertificateSigning),
                   StatusCode::kPermissionDenied, "keyUsage");
  // A CA certificate is not an end entity, whatever its key usage.
  CHECK_FAILS_WITH(SmallPki().terminal_ca->cert.KeyUsageAllows(Purpose::kTlsClient),
                   StatusCode::kPermissionDenied, "keyUsage");
  CHECK(PurposeName(Purpose::kTlsServer) == "TLS server");
}

}  // namespace
}  // namespace carnet::crypto
