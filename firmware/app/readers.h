#pragma once
// What several carnet-terminal commands share: reaching pcscd, finding the reader that holds
// the card a command needs, and loading the trust anchors (IGC-Santé roots and CRLs for the
// CPS, the Vitale CA key for Vitale cards).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/x509/trust_store.h"
#include "firmware/app/options.h"
#include "firmware/vitale/presence_proof.h"
#include "hal/card/card_reader.h"

namespace carnet::fw::app {

// kUnavailable with "is pcscd running?" when the PC/SC service cannot be reached.
Result<std::unique_ptr<hal::CardReader>> OpenReaders();

// Every reader with its card state and ATR (one PC/SC status snapshot).
Result<std::vector<hal::ReaderState>> ReaderSnapshot(hal::CardReader& reader);

// The reader to use for the professional's card: `requested` when given (it must exist and
// hold a CPS3), else the first reader holding a CPS3. kNotFound with a message a person can
// act on ("insert the professional's CPS card").
Result<std::string> FindCpsReader(hal::CardReader& reader, const std::string& requested);

struct TrustConfig {
  std::optional<crypto::TrustStore> cps;      // absent: certificates not checked
  std::optional<vitale::VitaleTrust> vitale;  // absent: Vitale card not authenticated
  std::string cps_source;                     // for "not checked" messages
};

// From --pki-index FILE (the test PKI's index.json: IGC-Santé root, intermediate and CRLs,
// Vitale CA key and reference) and/or --trust-root PEM (repeatable), --intermediate PEM
// (repeatable), --crl PEM|DER (repeatable), --vitale-ca PEM with --vitale-car CAR.
Result<TrustConfig> LoadTrust(const Options& options);

// The option specs LoadTrust reads, for commands that accept them.
inline constexpr OptionSpec kTrustOptions[] = {
    {"pki-index", true, false}, {"trust-root", true, true}, {"intermediate", true, true},
    {"crl", true, true},        {"vitale-ca", true, false}, {"vitale-car", true, false},
};

}  // namespace carnet::fw::app
