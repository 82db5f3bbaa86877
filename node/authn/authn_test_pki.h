#pragma once
// node/authn tests: one seeded small test PKI per test binary (RSA key generation dominates),
// the trust stores, directory and registry built from it, and request builders/signers.

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>
#include <vector>

#include "crypto/protocol/request.h"
#include "crypto/x509/pki.h"
#include "crypto/x509/trust_store.h"
#include "node/authn/authenticator.h"
#include "node/authn/terminal_registry.h"
#include "node/directory/directory.h"
#include "node/directory/testing.h"

namespace carnet::node::authn::testing {

inline constexpr UnixMillis kNow =
    1782864000000;  // 2026-07-01T00:00:00Z, inside the PKI's validity
inline constexpr char kIssuer[] = "https://ecps.test.carnet/";
inline constexpr char kPatientIns[] = "284037511502730";  // CAMILLE BERNARD, test PKI

struct Env {
  crypto::TestPki pki;
  node::testing::TempDir dir;
  crypto::TrustStore terminal_trust;           // terminal CA as root
  crypto::TrustStore igc_trust;                // IGC root + intermediate + CRL (revoked physician)
  directory::Directory directory;              // every professional of the PKI, active
  std::unique_ptr<TerminalRegistry> registry;  // TERM-0001, PORTAL-0001; TERM-0002 revoked

  const crypto::TestProfessional& Gp() const;
  const crypto::TestProfessional& Revoked() const;
  const crypto::CertAndKey& Terminal(int index) const;  // 0: TERM-0001, 1: TERM-0002
  TerminalCa Ca() const;
  std::vector<EcpsProvider> Providers() const;
  Authenticator MakeAuthenticator(AuthenticatorOptions options = {}) const;
};

// Built on first use, shared by every test of the binary.
Env& GetEnv();

// A read by the GP from TERM-0001, issued at kNow.
protocol::Request GpRequest(protocol::Action action = protocol::Action::kRead);
// A patient's request (actor = the patient, INS) from PORTAL-0001.
protocol::Request PatientRequest();

// COSE_Sign1 of `request` signed with `key` (RS256 for RSA keys, ES256 for EC), with `x5chain`.
Bytes SignWith(const protocol::Request& request,
               const crypto::PrivateKey& key,
               const std::vector<Bytes>& x5chain);
Bytes SignAut(const protocol::Request& request);  // GP's AUT key and certificate
Bytes SignSig(const protocol::Request& request);  // GP's SIG key and certificate

PeerInfo Peer(const crypto::Certificate& cert);
PeerInfo Term1();

// JSON claims of a valid id_token for the GP on TERM-0001 at kNow, to be edited by tests.
std::string GoodClaims();
std::string IdToken(const std::string& claims_json);  // signed RS256 by the PKI's provider key
// An e-CPS request: id_token in the actor, signed ES256 by TERM-0001's device key.
Bytes SignEcps(protocol::Request request, const std::string& id_token);

}  // namespace carnet::node::authn::testing

// Fails unless `result` is a rejection with `want` (and its HTTP status) whose reason contains
// `needle`.
#define CHECK_REJECTED(result, want, needle)                                           \
  do {                                                                                 \
    const auto& check_r = (result);                                                    \
    CHECK_TEXT(!check_r.ok(), "expected a rejection");                                 \
    const auto& check_rej = check_r.rejection();                                       \
    std::string check_msg = check_rej.code + ": " + check_rej.reason;                  \
    CHECK_TEXT(check_rej.reject_code == (want), check_msg.c_str());                    \
    LONGS_EQUAL(::carnet::node::authn::RejectHttpStatus(want), check_rej.http_status); \
    CHECK_TEXT(check_rej.reason.find(needle) != std::string::npos, check_msg.c_str()); \
  } while (0)

#define CHECK_ACCEPTED(result)                                                                \
  do {                                                                                        \
    const auto& check_a = (result);                                                           \
    CHECK_TEXT(check_a.ok(),                                                                  \
               check_a.ok()                                                                   \
                   ? ""                                                                       \
                   : (check_a.rejection().code + ": " + check_a.rejection().reason).c_str()); \
  } while (0)
