// `carnet-terminal enroll`: makes the terminal's ECDSA P-256 device key inside the key store
// and prints its PKCS#10 certificate request. The operator has the request signed
// (`carnet-node enroll-terminal`), and the certificate becomes the terminal's TLS client
// certificate and e-CPS request signer. The private key is written only to the key store: it is
// never printed, logged or written anywhere else.
#include <cstdio>
#include <string>

#include "crypto/core/pk.h"
#include "crypto/core/random.h"
#include "crypto/x509/csr.h"
#include "crypto/x509/name.h"
#include "firmware/app/commands.h"
#include "firmware/app/options.h"
#include "firmware/hardening/seccomp_filter.h"
#include "hal/keystore/key_store.h"

namespace carnet::fw::app {
namespace {

// The key store entry of the device key (hal/keystore README).
constexpr char kDeviceKeyEntry[] = "device-key";
constexpr char kDefaultKeyStore[] = "/var/lib/carnet-terminal/keys";

constexpr char kEnrollUsage[] =
    "usage: carnet-terminal enroll --id ID [--key-store DIR] [--force]\n"
    "\n"
    "Makes the terminal's device key (ECDSA P-256) in the key store and prints its certificate\n"
    "request (PKCS#10, PEM) on stdout, with subject CN=ID. Give the request to the operator:\n"
    "  carnet-node enroll-terminal --id ID --csr FILE\n"
    "The private key never leaves the key store.\n"
    "  --id ID          the terminal id: 1..64 characters of A-Z a-z 0-9 . _ -\n"
    "  --key-store DIR  the key store folder (created 0700 if missing; default\n"
    "                   /var/lib/carnet-terminal/keys)\n"
    "  --force          replace an existing device key (the certificate issued for the old key\n"
    "                   stops working: the terminal must be enrolled again)\n"
    "Exit: 0 request printed, 1 failure (key store, existing key without --force), 2 usage.\n";

bool ValidTerminalId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

// Makes the key, stores it (Create refuses an existing entry atomically, so two enrolls at
// once cannot both win), then the CSR from the key in memory.
Result<std::string> Enroll(hal::keystore::KeyStore& store, const std::string& id, bool force) {
  Random& rng = crypto::Drbg::ForThread();
  CARNET_ASSIGN_OR_RETURN(crypto::PrivateKey key, crypto::PrivateKey::GenerateEcP256(rng));
  CARNET_ASSIGN_OR_RETURN(crypto::SecretBytes pem, key.ToPem());
  const Status stored = force ? store.Replace(kDeviceKeyEntry, pem.view())
                              : store.Create(kDeviceKeyEntry, pem.view());
  if (stored.code() == StatusCode::kAlreadyExists) {
    return AlreadyExists(
        "the key store already holds a device key; --force replaces it (the "
        "terminal must then be enrolled again)");
  }
  CARNET_TRY(stored);
  CARNET_ASSIGN_OR_RETURN(Bytes csr, crypto::MakeCsr(key, crypto::SimpleName("", "", {}, id), rng));
  return crypto::CsrToPem(csr);
}

}  // namespace

int RunEnroll(Args args) {
  static constexpr OptionSpec kSpecs[] = {{"id", true, false},
                                          {"key-store", true, false},
                                          {"force", false, false},
                                          {"help", false, false}};
  auto o = Options::Parse(args, kSpecs);
  if (!o.ok()) {
    std::fputs(kEnrollUsage, stderr);
    return Fail("enroll", o.status().message(), kExitUsage);
  }
  if (o->Has("help")) {
    std::fputs(kEnrollUsage, stdout);
    return kExitOk;
  }
  const std::string id = o->Get("id");
  if (!o->Has("id")) return Fail("enroll", "--id ID is required (the terminal id)", kExitUsage);
  if (!ValidTerminalId(id)) {
    return Fail("enroll", "terminal id '" + id + "': use 1..64 characters of A-Z a-z 0-9 . _ -",
                kExitUsage);
  }
  const std::string dir = o->Get("key-store", kDefaultKeyStore);
  auto store = hal::keystore::DirectoryKeyStore::Open(dir, {.create_if_missing = true});
  if (!store.ok())
    return Fail("enroll", "key store " + dir + ": " + store.status().message(), kExitFailure);
  // Initialisation done (the key store is open): from here on, only the allow-list.
  if (Status f = hardening::InstallSeccompFilter(); !f.ok()) {
    if (f.code() != StatusCode::kUnimplemented) return Fail("enroll", f.message(), kExitFailure);
    std::fprintf(stderr, "carnet-terminal enroll: warning: %s\n", f.message().c_str());
  }
  auto pem = Enroll(**store, id, o->Has("force"));
  if (!pem.ok()) return Fail("enroll", pem.status().message(), kExitFailure);
  std::fputs(pem->c_str(), stdout);
  std::fprintf(stderr, "carnet-terminal enroll: device key stored in %s/%s; request for CN=%s\n",
               dir.c_str(), kDeviceKeyEntry, id.c_str());
  return kExitOk;
}

}  // namespace carnet::fw::app
