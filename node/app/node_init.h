#pragma once
// `carnet-node init`: makes a node directory that `carnet-node serve` can start from.
//
//   DIR/node.conf            every option with its documentation and default (node/config)
//   DIR/keys/        0700    kek.bin (0600), node.{crt,key}.pem, terminal-ca.{crt,key}.pem,
//                            operator-root.crt.pem (what terminals pin), trace-log.{key,pub}.pem
//                            (+ operator-root.key.pem when the operator PKI is generated here)
//   DIR/trust/               IGC-Santé root, intermediate and CRLs, Vitale CA and e-CPS provider
//                            public keys — only with a test PKI; otherwise left to configure
//   DIR/data/        0700    database (created by serve), directory.tsv, terminals.tsv
//
// Every private key file is 0600. A non-empty DIR is refused (kAlreadyExists) unless `force`.
// With `force`, no key is lost: an existing KEK is kept (replacing it would make every stored
// document unreadable), and any other file that would be rewritten is first renamed to
// `<name>.replaced-<UTC time>` and reported.

#include <string>
#include <vector>

#include "hal/base/clock.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::node::app {

struct InitOptions {
  std::string dir;
  // Folder written by `carnet-crypto pki test-hierarchy` (its index.json); "" = generate a
  // fresh operator root, node certificate and terminal CA, and leave the card trust anchors
  // unconfigured.
  std::string test_pki_dir;
  bool force = false;
  // Subject alternative names of a generated node certificate (the first DNS name is its CN).
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ip_addresses = {"127.0.0.1"};
};

struct InitReport {
  std::vector<std::string> written;   // paths relative to DIR
  std::vector<std::string> kept;      // existing keys left as they were
  std::vector<std::string> replaced;  // "old -> backup" for files moved aside (force)
  bool trust_configured = false;      // card trust anchors are in node.conf
};

Result<InitReport> InitNodeDirectory(const InitOptions& options, Random& rng, const Clock& clock);

// What the operator does next (configure trust, import the directory, serve, enroll).
std::string NextSteps(const InitOptions& options, const InitReport& report);

}  // namespace carnet::node::app
