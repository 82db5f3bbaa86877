#pragma once
// Internal to `carnet-node init`: the keys and certificates a new node directory receives,
// either read from a test PKI (index.json of `carnet-crypto pki test-hierarchy`) or generated.
// Everything is gathered in memory before anything is written, so that a bad test PKI leaves
// the node directory untouched.

#include <optional>
#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "crypto/x509/certificate.h"
#include "hal/base/bytes.h"
#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/base/status.h"
#include "node/app/node_init.h"

namespace carnet::node::app::internal {

// Card trust anchors (test PKI only).
struct TrustMaterial {
  std::vector<crypto::Certificate> igc_roots;
  std::vector<crypto::Certificate> igc_intermediates;
  Bytes igc_crl;       // DER, by the intermediate
  Bytes igc_root_crl;  // DER, by the root
  std::string vitale_ca_pem;
  std::string vitale_car;
  std::string ecps_provider_pem;
};

struct Material {
  std::optional<crypto::Certificate> operator_root;
  std::optional<crypto::PrivateKey> operator_root_key;  // generated PKI only
  std::optional<crypto::Certificate> node_cert;
  std::optional<crypto::PrivateKey> node_key;
  std::optional<crypto::Certificate> terminal_ca;
  std::optional<crypto::PrivateKey> terminal_ca_key;
  std::optional<crypto::PrivateKey> trace_key;
  std::optional<TrustMaterial> trust;
};

// Reads and checks (parses, key matches certificate) everything init takes from a test PKI.
Result<Material> MaterialFromTestPki(const std::string& pki_dir);

// A fresh operator root, node server certificate, terminal CA and trace-log key (P-256).
Result<Material> GenerateMaterial(const InitOptions& options, Random& rng, UnixMillis now);

}  // namespace carnet::node::app::internal
