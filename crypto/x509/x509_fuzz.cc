// Fuzz target for everything crypto/x509 parses from outside: certificates (DER and PEM),
// CRLs, CSRs and the Vitale CVC. The first byte picks the parser, the rest is its input.
#include <cstddef>
#include <cstdint>

#include "crypto/x509/csr.h"
#include "crypto/x509/cvc.h"
#include "crypto/x509/trust_store.h"

namespace {

using carnet::ByteView;
using carnet::crypto::Certificate;

void Exercise(const Certificate& c) {
  (void)c.SubjectString();
  (void)c.IssuerString();
  (void)c.CommonName();
  (void)c.NotBefore();
  (void)c.NotAfter();
  c.Holder().status().IgnoreError();
  for (auto p :
       {carnet::crypto::Purpose::kCardAuthentication, carnet::crypto::Purpose::kCardNonRepudiation,
        carnet::crypto::Purpose::kTlsServer, carnet::crypto::Purpose::kTlsClient,
        carnet::crypto::Purpose::kCertificateSigning, carnet::crypto::Purpose::kDeviceSigning}) {
    c.KeyUsageAllows(p).IgnoreError();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const ByteView in(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto c = Certificate::FromDer(in);
      if (c.ok()) Exercise(*c);
      break;
    }
    case 1: {
      auto certs = Certificate::FromPem(carnet::ToString(in));
      if (certs.ok()) {
        for (const Certificate& c : *certs) Exercise(c);
      }
      break;
    }
    case 2: {
      carnet::crypto::TrustStore store;
      store.AddCrlDer(in).IgnoreError();
      break;
    }
    case 3: {
      auto cvc = carnet::crypto::DecodeCvc(in);
      if (cvc.ok()) carnet::crypto::CvcPublicKey(*cvc).status().IgnoreError();
      break;
    }
    default:
      carnet::crypto::VerifyCsr(in).status().IgnoreError();
      break;
  }
  return 0;
}
