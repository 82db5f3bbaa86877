// Where a new node's keys and certificates come from: a test PKI, or generated here.
#include "node/app/node_init_material.h"

#include <fstream>
#include <initializer_list>

#include "crypto/x509/csr.h"
#include "crypto/x509/name.h"
#include "hal/base/json.h"

namespace carnet::node::app::internal {
namespace {

using crypto::Certificate;
using crypto::PrivateKey;
using crypto::PublicKey;

constexpr size_t kMaxFile = 1 << 20;

Result<std::string> ReadSmallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open " + path);
  std::string text(kMaxFile + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxFile) return OutOfRange(path + " is larger than 1 MiB");
  return text;
}

// The test PKI's index.json and the folder it describes.
class Index {
 public:
  static Result<Index> Open(const std::string& dir) {
    CARNET_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(dir + "/index.json"));
    auto root = json::Parse(text);
    if (!root.ok()) return root.status().Annotate(dir + "/index.json");
    const json::Value* format = root->Find("format");
    if (format == nullptr || format->as_string() != "carnet-test-pki/1") {
      return InvalidArgument(dir + "/index.json: not a carnet-test-pki/1 index");
    }
    return Index(dir, std::move(*root));
  }

  // The string at `keys` ("operator", "node_cert"), as a path under the PKI folder.
  Result<std::string> Path(std::initializer_list<std::string_view> keys) const {
    CARNET_ASSIGN_OR_RETURN(std::string rel, String(keys));
    // index.json names files inside its own folder; anything else is not a test PKI we made.
    if (rel.empty() || rel.front() == '/' || rel.find("..") != std::string::npos) {
      return InvalidArgument(dir_ + "/index.json: unexpected path '" + rel + "'");
    }
    return dir_ + "/" + rel;
  }

  Result<std::string> String(std::initializer_list<std::string_view> keys) const {
    const json::Value* v = &root_;
    std::string name;
    for (std::string_view k : keys) {
      name += (name.empty() ? "" : ".") + std::string(k);
      v = v->Find(k);
      if (v == nullptr) return InvalidArgument(dir_ + "/index.json: missing " + name);
    }
    if (!v->is(json::Kind::kString)) return InvalidArgument(dir_ + "/index.json: " + name);
    return v->as_string();
  }

 private:
  Index(std::string dir, json::Value root) : dir_(std::move(dir)), root_(std::move(root)) {}
  std::string dir_;
  json::Value root_;
};

Result<Certificate> LoadOneCert(const std::string& path) {
  CARNET_ASSIGN_OR_RETURN(auto certs, Certificate::FromPemFile(path));
  if (certs.empty()) return InvalidArgument(path + ": no certificate");
  return std::move(certs.front());
}

// A certificate with the key that goes with it: a mismatch would only show at the first TLS
// handshake or enrollment, far from its cause.
Status CheckPair(const Certificate& cert, const PrivateKey& key, const std::string& what) {
  if (cert.public_key().ToDer() != key.public_key().ToDer()) {
    return InvalidArgument(what + ": the private key is not the certificate's key");
  }
  return Status::Ok();
}

Result<std::string> LoadPublicKeyPem(const std::string& path) {
  CARNET_ASSIGN_OR_RETURN(std::string pem, ReadSmallFile(path));
  auto key = PublicKey::FromPem(pem);
  if (!key.ok()) return key.status().Annotate(path);
  return key->ToPem();
}

Result<TrustMaterial> TrustFromIndex(const Index& index) {
  TrustMaterial t;
  CARNET_ASSIGN_OR_RETURN(std::string root, index.Path({"igc_sante", "root", "cert"}));
  CARNET_ASSIGN_OR_RETURN(std::string inter, index.Path({"igc_sante", "intermediate", "cert"}));
  CARNET_ASSIGN_OR_RETURN(std::string crl, index.Path({"igc_sante", "crl_der"}));
  CARNET_ASSIGN_OR_RETURN(std::string root_crl, index.Path({"igc_sante", "root_crl_der"}));
  CARNET_ASSIGN_OR_RETURN(std::string vitale, index.Path({"vitale", "ca_public_key"}));
  CARNET_ASSIGN_OR_RETURN(std::string ecps, index.Path({"ecps_provider", "public_key"}));
  CARNET_ASSIGN_OR_RETURN(t.vitale_car, index.String({"vitale", "car"}));
  CARNET_ASSIGN_OR_RETURN(Certificate root_cert, LoadOneCert(root));
  CARNET_ASSIGN_OR_RETURN(Certificate inter_cert, LoadOneCert(inter));
  t.igc_roots.push_back(std::move(root_cert));
  t.igc_intermediates.push_back(std::move(inter_cert));
  CARNET_ASSIGN_OR_RETURN(std::string crl_der, ReadSmallFile(crl));
  CARNET_ASSIGN_OR_RETURN(std::string root_crl_der, ReadSmallFile(root_crl));
  t.igc_crl = ToBytes(crl_der);
  t.igc_root_crl = ToBytes(root_crl_der);
  CARNET_ASSIGN_OR_RETURN(t.vitale_ca_pem, LoadPublicKeyPem(vitale));
  CARNET_ASSIGN_OR_RETURN(t.ecps_provider_pem, LoadPublicKeyPem(ecps));
  return t;
}

Bytes Serial(Random& rng) {
  Bytes s = rng.Generate(16).value_or(Bytes(16, 0x5a));
  s[0] = static_cast<uint8_t>((s[0] & 0x3f) | 0x40);  // positive, 16 significant bytes
  return s;
}

}  // namespace

Result<Material> MaterialFromTestPki(const std::string& pki_dir) {
  CARNET_ASSIGN_OR_RETURN(Index index, Index::Open(pki_dir));
  Material m;
  CARNET_ASSIGN_OR_RETURN(std::string root, index.Path({"operator", "root_cert"}));
  CARNET_ASSIGN_OR_RETURN(std::string node, index.Path({"operator", "node_cert"}));
  CARNET_ASSIGN_OR_RETURN(std::string node_key, index.Path({"operator", "node_key"}));
  CARNET_ASSIGN_OR_RETURN(std::string tca, index.Path({"operator", "terminal_ca_cert"}));
  CARNET_ASSIGN_OR_RETURN(std::string tca_key, index.Path({"operator", "terminal_ca_key"}));
  CARNET_ASSIGN_OR_RETURN(std::string trace_key, index.Path({"trace_log", "key"}));
  CARNET_ASSIGN_OR_RETURN(m.operator_root, LoadOneCert(root));
  CARNET_ASSIGN_OR_RETURN(m.node_cert, LoadOneCert(node));
  CARNET_ASSIGN_OR_RETURN(m.node_key, PrivateKey::FromPemFile(node_key));
  CARNET_ASSIGN_OR_RETURN(m.terminal_ca, LoadOneCert(tca));
  CARNET_ASSIGN_OR_RETURN(m.terminal_ca_key, PrivateKey::FromPemFile(tca_key));
  CARNET_ASSIGN_OR_RETURN(m.trace_key, PrivateKey::FromPemFile(trace_key));
  CARNET_TRY(CheckPair(*m.node_cert, *m.node_key, node));
  CARNET_TRY(CheckPair(*m.terminal_ca, *m.terminal_ca_key, tca));
  if (m.trace_key->type() != crypto::KeyType::kEcP256) {
    return InvalidArgument(trace_key + ": the trace log key must be P-256 (ES256)");
  }
  CARNET_ASSIGN_OR_RETURN(m.trust, TrustFromIndex(index));
  return m;
}

Result<Material> GenerateMaterial(const InitOptions& options, Random& rng, UnixMillis now) {
  constexpr UnixMillis kDay = 86400000;
  Material m;
  CARNET_ASSIGN_OR_RETURN(m.operator_root_key, PrivateKey::GenerateEcP256(rng));
  CARNET_ASSIGN_OR_RETURN(m.node_key, PrivateKey::GenerateEcP256(rng));
  CARNET_ASSIGN_OR_RETURN(m.terminal_ca_key, PrivateKey::GenerateEcP256(rng));
  CARNET_ASSIGN_OR_RETURN(m.trace_key, PrivateKey::GenerateEcP256(rng));

  crypto::IssueParams ca;
  ca.not_before = now - kDay;  // tolerate terminals whose clock is a little behind
  ca.not_after = now + 10 * 365 * kDay;
  ca.key_usage = crypto::kKuKeyCertSign | crypto::kKuCrlSign;
  ca.is_ca = true;
  ca.path_len = 1;
  ca.serial = Serial(rng);
  auto root_name = crypto::SimpleName("FR", "Carnet operator", {}, "Carnet Operator Root CA");
  CARNET_ASSIGN_OR_RETURN(m.operator_root,
                          crypto::IssueCertificate(root_name, m.operator_root_key->public_key(), ca,
                                                   nullptr, *m.operator_root_key, rng));
  ca.path_len = 0;
  ca.serial = Serial(rng);
  auto tca_name = crypto::SimpleName("FR", "Carnet operator", {}, "Carnet Terminal CA");
  CARNET_ASSIGN_OR_RETURN(m.terminal_ca,
                          crypto::IssueCertificate(tca_name, m.terminal_ca_key->public_key(), ca,
                                                   &*m.operator_root, *m.operator_root_key, rng));

  crypto::IssueParams server;
  server.not_before = ca.not_before;
  server.not_after = now + 2 * 365 * kDay;
  server.key_usage = crypto::kKuDigitalSignature;
  server.ext_key_usage = {crypto::ExtendedKeyUsage::kServerAuth};
  server.dns_names = options.dns_names;
  server.ip_addresses = options.ip_addresses;
  server.serial = Serial(rng);
  std::string cn = options.dns_names.empty() ? "carnet-node" : options.dns_names.front();
  auto node_name = crypto::SimpleName("FR", "Carnet operator", {"node"}, cn);
  CARNET_ASSIGN_OR_RETURN(m.node_cert,
                          crypto::IssueCertificate(node_name, m.node_key->public_key(), server,
                                                   &*m.operator_root, *m.operator_root_key, rng));
  return m;
}

}  // namespace carnet::node::app::internal
