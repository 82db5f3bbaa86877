#include "crypto/x509/x509_test_support.h"

#include <cstdlib>

namespace carnet::crypto::testing {

const TestPki& SmallPki() {
  static const TestPki* pki = [] {
    auto built = BuildTestPki(TestPkiOptions{std::string(kSeed), true});
    if (!built.ok()) std::abort();
    return new TestPki(std::move(built).value());
  }();
  return *pki;
}

const TestProfessional& Gp() { return SmallPki().professionals.at(0); }
const TestProfessional& RevokedPhysician() { return SmallPki().professionals.at(1); }

}  // namespace carnet::crypto::testing
