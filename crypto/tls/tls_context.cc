#include "crypto/tls/tls_context.h"

#include <mbedtls/ecp.h>
#include <mbedtls/pem.h>

#include <fstream>
#include <iterator>

#include "crypto/core/mbedtls_util.h"
#include "crypto/core/pk_internal.h"
#include "crypto/tls/tls_error.h"
#include "crypto/tls/tls_internal.h"

namespace carnet::crypto::tls {
namespace {

// The whole security policy of DESIGN.md §3 is in these four tables and ApplyPolicy().
// mbedTLS keeps pointers to them, so they are static.
const int kCipherSuites[] = {
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    0,
};
const mbedtls_ecp_group_id kCurves[] = {MBEDTLS_ECP_DP_SECP256R1, MBEDTLS_ECP_DP_NONE};
const int kSigHashes[] = {MBEDTLS_MD_SHA256, MBEDTLS_MD_SHA384, MBEDTLS_MD_SHA512, MBEDTLS_MD_NONE};
// Certificate chains: EC keys only (the leaf must be ECDSA for these suites anyway, and the
// operator hierarchy is EC), SHA-256 or better, P-256 / P-384.
const mbedtls_x509_crt_profile kCertProfile = {
    MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) | MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384) |
        MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA512),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1) | MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP384R1),
    2048,
};

constexpr char kPersonalization[] = "carnet tls context";

Status ApplyPolicy(mbedtls_ssl_config& conf) {
  // TLS 1.2 = protocol version 3.3.
  mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_max_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
  mbedtls_ssl_conf_ciphersuites(&conf, kCipherSuites);
  mbedtls_ssl_conf_curves(&conf, kCurves);
  mbedtls_ssl_conf_sig_hashes(&conf, kSigHashes);
  mbedtls_ssl_conf_cert_profile(&conf, &kCertProfile);
  mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_REQUIRED);
  // Renegotiation would let a peer change identity or parameters mid-connection; refuse it,
  // and refuse peers that do not even signal RFC 5746.
  mbedtls_ssl_conf_renegotiation(&conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
  mbedtls_ssl_conf_legacy_renegotiation(&conf, MBEDTLS_SSL_LEGACY_BREAK_HANDSHAKE);
  mbedtls_ssl_conf_extended_master_secret(&conf, MBEDTLS_SSL_EXTENDED_MS_ENABLED);
  return Status::Ok();
}

Status ParseChain(const std::vector<Bytes>& ders, mbedtls_x509_crt& out, std::string_view what) {
  if (ders.empty()) return InvalidArgument(std::string(what) + ": no certificate given");
  for (const Bytes& der : ders) {
    int ret = mbedtls_x509_crt_parse_der(&out, der.data(), der.size());
    if (ret != 0) return TlsError(ret, std::string("parsing ") + std::string(what));
  }
  return Status::Ok();
}

// Copies `key` into `out` (through DER, in a zeroizing buffer) after checking that it is an
// EC P-256 key and that it belongs to the leaf certificate.
Status CopyKey(const PrivateKey& key, const mbedtls_x509_crt& leaf, mbedtls_pk_context& out) {
  mbedtls_pk_context& src = key.impl()->pk;
  if (mbedtls_pk_get_type(&src) != MBEDTLS_PK_ECKEY ||
      mbedtls_pk_ec(src)->grp.id != MBEDTLS_ECP_DP_SECP256R1) {
    return InvalidArgument("TLS key must be an EC P-256 key (ECDHE-ECDSA suites only)");
  }
  SecretBytes der(512);
  int len = mbedtls_pk_write_key_der(&src, der.mutable_view().data(), der.size());
  if (len <= 0) return TlsError(len, "serializing the TLS key");
  // mbedtls_pk_write_key_der writes at the end of the buffer.
  ByteView written = der.view().last(static_cast<size_t>(len));
  int ret = mbedtls_pk_parse_key(&out, written.data(), written.size(), nullptr, 0);
  if (ret != 0) return TlsError(ret, "loading the TLS key");
  // A key that does not match the certificate would only fail later, at the peer.
  ret = mbedtls_pk_check_pair(&leaf.pk, &out);
  if (ret != 0)
    return MbedtlsError(ret, "TLS key does not match the certificate",
                        StatusCode::kInvalidArgument);
  return Status::Ok();
}

Status LoadOwn(TlsContext::Impl& impl, const std::vector<Bytes>& chain, const PrivateKey* key) {
  if (key == nullptr) return InvalidArgument("TLS certificate given without its private key");
  CARNET_TRY(ParseChain(chain, impl.own_chain, "own certificate chain"));
  CARNET_TRY(CopyKey(*key, impl.own_chain, impl.own_key));
  int ret = mbedtls_ssl_conf_own_cert(&impl.conf, &impl.own_chain, &impl.own_key);
  if (ret != 0) return TlsError(ret, "setting the TLS certificate");
  return Status::Ok();
}

Status Init(TlsContext::Impl& impl, int endpoint) {
  impl.entropy = &SystemRandom::Instance();
  const ByteView custom = AsBytes(kPersonalization);
  int ret =
      mbedtls_ctr_drbg_seed(&impl.drbg, &MbedRandom, impl.entropy, custom.data(), custom.size());
  if (ret != 0) return MbedtlsError(ret, "seeding the TLS DRBG", StatusCode::kUnavailable);
  ret = mbedtls_ssl_config_defaults(&impl.conf, endpoint, MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT);
  if (ret != 0) return TlsError(ret, "TLS config defaults");
  // ctr_drbg_random takes the DRBG's mutex: safe with sessions on several threads.
  mbedtls_ssl_conf_rng(&impl.conf, mbedtls_ctr_drbg_random, &impl.drbg);
  return ApplyPolicy(impl.conf);
}

}  // namespace

TlsContext::Impl::Impl() {
  mbedtls_ctr_drbg_init(&drbg);
  mbedtls_x509_crt_init(&own_chain);
  mbedtls_pk_init(&own_key);
  mbedtls_x509_crt_init(&anchors);
  mbedtls_x509_crl_init(&anchor_crls);
  mbedtls_ssl_ticket_init(&tickets);
  mbedtls_ssl_config_init(&conf);
}

TlsContext::Impl::~Impl() {
  mbedtls_ssl_config_free(&conf);
  mbedtls_ssl_ticket_free(&tickets);  // zeroizes the ticket keys
  mbedtls_x509_crt_free(&anchors);
  mbedtls_x509_crl_free(&anchor_crls);
  mbedtls_pk_free(&own_key);  // zeroizes the private key
  mbedtls_x509_crt_free(&own_chain);
  mbedtls_ctr_drbg_free(&drbg);
}

TlsContext::TlsContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsContext::~TlsContext() = default;

bool TlsContext::is_server() const { return impl_->is_server; }

void TlsContext::ForgetSession() const {
  std::lock_guard<std::mutex> lock(impl_->session_mutex);
  impl_->saved_session.Clear();
}

Result<std::shared_ptr<TlsContext>> TlsContext::Server(const ServerOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->is_server = true;
  CARNET_TRY(Init(*impl, MBEDTLS_SSL_IS_SERVER));
  CARNET_TRY(LoadOwn(*impl, options.chain_der, options.key));
  CARNET_TRY(ParseChain(options.client_ca_der, impl->anchors, "client CA"));
  for (const Bytes& crl : options.client_crls) {
    // mbedtls_x509_crl_parse takes DER, or PEM counted with a terminating NUL.
    Bytes copy = crl;
    if (copy.empty() || copy.front() != 0x30) copy.push_back(0);
    int crl_ret = mbedtls_x509_crl_parse(&impl->anchor_crls, copy.data(), copy.size());
    if (crl_ret != 0) return TlsError(crl_ret, "parsing a client CA revocation list");
  }
  mbedtls_ssl_conf_ca_chain(&impl->conf, &impl->anchors,
                            options.client_crls.empty() ? nullptr : &impl->anchor_crls);
  if (options.ticket_key_lifetime_s == 0) {
    return InvalidArgument("ticket key lifetime must be at least one second");
  }
  int ret = mbedtls_ssl_ticket_setup(&impl->tickets, mbedtls_ctr_drbg_random, &impl->drbg,
                                     MBEDTLS_CIPHER_AES_256_GCM, options.ticket_key_lifetime_s);
  if (ret != 0) return TlsError(ret, "setting up session tickets");
  mbedtls_ssl_conf_session_tickets_cb(&impl->conf, mbedtls_ssl_ticket_write,
                                      mbedtls_ssl_ticket_parse, &impl->tickets);
  return std::shared_ptr<TlsContext>(new TlsContext(std::move(impl)));
}

Result<std::shared_ptr<TlsContext>> TlsContext::Client(const ClientOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->is_server = false;
  if (options.server_name.empty()) {
    return InvalidArgument("TLS client needs the expected server name");
  }
  impl->server_name = options.server_name;
  impl->resume_sessions = options.resume_sessions;
  CARNET_TRY(Init(*impl, MBEDTLS_SSL_IS_CLIENT));
  if (!options.chain_der.empty() || options.key != nullptr) {
    if (options.chain_der.empty()) return InvalidArgument("TLS key given without a certificate");
    CARNET_TRY(LoadOwn(*impl, options.chain_der, options.key));
  }
  // The pinned operator CA is the only anchor: no system store, so a certificate from any
  // public CA for the node's name is still refused.
  CARNET_TRY(ParseChain(options.server_ca_der, impl->anchors, "pinned server CA"));
  mbedtls_ssl_conf_ca_chain(&impl->conf, &impl->anchors, nullptr);
  mbedtls_ssl_conf_session_tickets(&impl->conf, options.resume_sessions
                                                    ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                                    : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
  return std::shared_ptr<TlsContext>(new TlsContext(std::move(impl)));
}

Result<std::vector<Bytes>> CertificatesFromPem(std::string_view pem) {
  static constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
  static constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
  std::vector<Bytes> out;
  for (size_t pos = pem.find(kBegin); pos != std::string_view::npos; pos = pem.find(kBegin, pos)) {
    size_t end = pem.find(kEnd, pos);
    if (end == std::string_view::npos) return InvalidArgument("PEM certificate without END line");
    std::string block(pem.substr(pos, end + kEnd.size() - pos));
    mbedtls_pem_context ctx;
    mbedtls_pem_init(&ctx);
    size_t used = 0;
    int ret = mbedtls_pem_read_buffer(&ctx, kBegin.data(), kEnd.data(), AsBytes(block).data(),
                                      nullptr, 0, &used);
    if (ret == 0) out.emplace_back(ctx.buf, ctx.buf + ctx.buflen);
    mbedtls_pem_free(&ctx);
    if (ret != 0) return TlsError(ret, "decoding a PEM certificate");
    pos = end + kEnd.size();
  }
  if (out.empty()) return InvalidArgument("no PEM certificate found");
  return out;
}

Result<std::vector<Bytes>> CertificatesFromPemFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFound("cannot open '" + path + "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto certs = CertificatesFromPem(text);
  if (!certs.ok()) return certs.status().Annotate(path);
  return certs;
}

}  // namespace carnet::crypto::tls
