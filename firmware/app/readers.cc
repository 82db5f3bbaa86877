#include "firmware/app/readers.h"

#include <fstream>
#include <sstream>

#include "crypto/x509/certificate.h"
#include "firmware/cps/cps_card.h"
#include "hal/base/json.h"
#include "hal/card/pcsc_card_reader.h"

namespace carnet::fw::app {
namespace {

Result<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (ss.str().size() > (1u << 20)) return OutOfRange(path + " is larger than 1 MiB");
  return ss.str();
}

Status AddCertificates(crypto::TrustStore& store, const std::string& path, bool root) {
  CARNET_ASSIGN_OR_RETURN(auto certs, crypto::Certificate::FromPemFile(path));
  for (const auto& c : certs) CARNET_TRY(root ? store.AddRoot(c) : store.AddIntermediate(c));
  return Status();
}

Result<vitale::VitaleTrust> VitaleTrustFrom(const std::string& pem_path, const std::string& car) {
  CARNET_ASSIGN_OR_RETURN(std::string pem, Slurp(pem_path));
  CARNET_ASSIGN_OR_RETURN(auto key, crypto::PublicKey::FromPem(pem));
  if (car.empty()) return InvalidArgument("--vitale-ca needs --vitale-car (the CA reference)");
  return vitale::VitaleTrust{std::move(key), car};
}

// Member `key` of object `v`, as a path relative to `dir`; empty if absent.
std::string IndexPath(const json::Value* v, const char* key, const std::string& dir) {
  const json::Value* f = v ? v->Find(key) : nullptr;
  return (f && f->is(json::Kind::kString)) ? dir + "/" + f->as_string() : std::string();
}

Status LoadIndex(const std::string& index_path, TrustConfig& out) {
  CARNET_ASSIGN_OR_RETURN(std::string text, Slurp(index_path));
  CARNET_ASSIGN_OR_RETURN(json::Value index, json::Parse(text));
  const size_t slash = index_path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "." : index_path.substr(0, slash);
  const json::Value* igc = index.Find("igc_sante");
  const json::Value* root = igc ? igc->Find("root") : nullptr;
  const json::Value* inter = igc ? igc->Find("intermediate") : nullptr;
  const std::string root_cert = IndexPath(root, "cert", dir);
  if (root_cert.empty()) return InvalidArgument(index_path + ": no igc_sante.root.cert");
  out.cps.emplace();
  CARNET_TRY(AddCertificates(*out.cps, root_cert, true));
  if (std::string p = IndexPath(inter, "cert", dir); !p.empty()) {
    CARNET_TRY(AddCertificates(*out.cps, p, false));
  }
  for (const char* crl : {"crl_der", "root_crl_der"}) {
    if (std::string p = IndexPath(igc, crl, dir); !p.empty()) {
      CARNET_TRY(out.cps->AddCrlPemOrDerFile(p));
    }
  }
  out.cps_source = index_path;
  const json::Value* vit = index.Find("vitale");
  const json::Value* car = vit ? vit->Find("car") : nullptr;
  if (std::string p = IndexPath(vit, "ca_public_key", dir); !p.empty() && car) {
    CARNET_ASSIGN_OR_RETURN(auto trust, VitaleTrustFrom(p, car->as_string()));
    out.vitale = std::move(trust);
  }
  return Status();
}

}  // namespace

Result<std::unique_ptr<hal::CardReader>> OpenReaders() {
  auto r = hal::PcscCardReader::Create();
  if (!r.ok()) {
    return Unavailable("cannot reach the PC/SC service (is pcscd running?): " +
                       r.status().message());
  }
  return std::unique_ptr<hal::CardReader>(std::move(r).value());
}

Result<std::vector<hal::ReaderState>> ReaderSnapshot(hal::CardReader& reader) {
  std::vector<hal::ReaderState> states;
  // The first call reports the current snapshot at once (card_reader.h).
  CARNET_TRY(reader.WaitForChange(states, std::chrono::milliseconds(0)));
  return states;
}

Result<std::string> FindCpsReader(hal::CardReader& reader, const std::string& requested) {
  CARNET_ASSIGN_OR_RETURN(auto states, ReaderSnapshot(reader));
  if (states.empty()) return NotFound("no card reader is attached");
  for (const hal::ReaderState& s : states) {
    if (!requested.empty() && s.name != requested) continue;
    if (s.card_present && cps::DetectCardType(s.atr) == cps::CardType::kCps3) return s.name;
    if (!requested.empty()) {
      return NotFound("insert the professional's CPS card in reader '" + requested + "'");
    }
  }
  if (!requested.empty()) return NotFound("no reader named '" + requested + "'");
  return NotFound("insert the professional's CPS card");
}

Result<TrustConfig> LoadTrust(const Options& options) {
  TrustConfig out;
  if (options.Has("pki-index")) CARNET_TRY(LoadIndex(options.Get("pki-index"), out));
  const auto roots = options.GetAll("trust-root");
  if (!roots.empty()) {
    if (!out.cps) out.cps.emplace();
    for (const auto& r : roots) CARNET_TRY(AddCertificates(*out.cps, r, true));
    out.cps_source = roots.front();
  }
  for (const auto& p : options.GetAll("intermediate")) {
    if (!out.cps) return InvalidArgument("--intermediate needs --trust-root or --pki-index");
    CARNET_TRY(AddCertificates(*out.cps, p, false));
  }
  for (const auto& p : options.GetAll("crl")) {
    if (!out.cps) return InvalidArgument("--crl needs --trust-root or --pki-index");
    CARNET_TRY(out.cps->AddCrlPemOrDerFile(p));
  }
  if (options.Has("vitale-ca")) {
    CARNET_ASSIGN_OR_RETURN(auto v,
                            VitaleTrustFrom(options.Get("vitale-ca"), options.Get("vitale-car")));
    out.vitale = std::move(v);
  } else if (options.Has("vitale-car")) {
    return InvalidArgument("--vitale-car needs --vitale-ca");
  }
  return out;
}

}  // namespace carnet::fw::app
