#include "crypto/x509/trust_store.h"

#include <mbedtls/x509_crt.h>

#include <cstring>

#include "crypto/x509/certificate_internal.h"
#include "crypto/x509/crl_internal.h"

namespace carnet::crypto {
namespace {

constexpr size_t kMaxChainLength = 8;
constexpr size_t kMaxCrlFile = 16 * 1024 * 1024;

// SHA-256 or better, RSA of at least 2048 bits, EC keys on P-256 only: weaker algorithms in
// any certificate of the chain fail verification (a SHA-1 collision or a 1024-bit RSA key
// would let someone forge a card certificate).
const mbedtls_x509_crt_profile kProfile = {
    MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA256) | MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA384) |
        MBEDTLS_X509_ID_FLAG(MBEDTLS_MD_SHA512),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSA) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECKEY) |
        MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_ECDSA) | MBEDTLS_X509_ID_FLAG(MBEDTLS_PK_RSASSA_PSS),
    MBEDTLS_X509_ID_FLAG(MBEDTLS_ECP_DP_SECP256R1),
    2048,
};

// mbedTLS compares validity with the system clock; Carnet decides time against the `now` it
// is given (the node's clock, a test's fake clock), so those flags are dropped here and the
// check is redone below with `now`.
constexpr uint32_t kTimeFlags = MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE |
                                MBEDTLS_X509_BADCRL_EXPIRED | MBEDTLS_X509_BADCRL_FUTURE;

struct PathRecorder {
  std::vector<mbedtls_x509_crt*> path;  // index = depth: 0 the leaf, last the trust anchor
};

int RecordPath(void* ctx, mbedtls_x509_crt* crt, int depth, uint32_t* flags) {
  auto* rec = static_cast<PathRecorder*>(ctx);
  auto d = static_cast<size_t>(depth);
  if (rec->path.size() <= d) rec->path.resize(d + 1, nullptr);
  rec->path[d] = crt;
  *flags &= ~kTimeFlags;
  return 0;
}

std::string Subject(const mbedtls_x509_crt& crt) {
  char buf[512];
  int n = mbedtls_x509_dn_gets(buf, sizeof buf, &crt.subject);
  return n < 0 ? std::string("?") : std::string(buf, static_cast<size_t>(n));
}

bool SameName(const mbedtls_x509_buf& a, const mbedtls_x509_buf& b) {
  return a.len == b.len && std::memcmp(a.p, b.p, a.len) == 0;
}

}  // namespace

struct TrustStore::Impl {
  Impl() { mbedtls_x509_crt_init(&anchors); }
  ~Impl() { mbedtls_x509_crt_free(&anchors); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  mbedtls_x509_crt anchors;  // the roots, as the list mbedTLS wants
  std::vector<Certificate> roots;
  std::vector<Certificate> intermediates;
  std::vector<std::unique_ptr<ParsedCrl>> crls;

  // Why the top of a partial chain found no trusted parent: the most specific reason.
  std::string WhyUntrusted(const mbedtls_x509_crt& top) const;
  Status CheckValidity(const std::vector<mbedtls_x509_crt*>& path, UnixMillis now) const;
  Status CheckRevocation(const std::vector<mbedtls_x509_crt*>& path,
                         UnixMillis now,
                         bool require_crl) const;
};

TrustStore::TrustStore() : impl_(std::make_unique<Impl>()) {}
TrustStore::TrustStore(TrustStore&&) noexcept = default;
TrustStore& TrustStore::operator=(TrustStore&&) noexcept = default;
TrustStore::~TrustStore() = default;

Status TrustStore::AddRootPemFile(const std::string& path) {
  CARNET_ASSIGN_OR_RETURN(auto certs, Certificate::FromPemFile(path));
  for (const Certificate& c : certs) CARNET_TRY(AddRoot(c));
  return Status::Ok();
}

Status TrustStore::AddRoot(const Certificate& root) {
  // A trust anchor that is not a CA would make every certificate it "issued" a dead end; a
  // misconfigured leaf pinned as root is a configuration error worth reporting now.
  CARNET_TRY(root.KeyUsageAllows(Purpose::kCertificateSigning).Annotate("adding root"));
  int ret = mbedtls_x509_crt_parse_der(&impl_->anchors, root.der().data(), root.der().size());
  if (ret != 0) return MbedtlsError(ret, "adding root", StatusCode::kInvalidArgument);
  impl_->roots.push_back(root.Clone());
  return Status::Ok();
}

Status TrustStore::AddIntermediate(const Certificate& ca) {
  CARNET_TRY(ca.KeyUsageAllows(Purpose::kCertificateSigning).Annotate("adding intermediate"));
  impl_->intermediates.push_back(ca.Clone());
  return Status::Ok();
}

Status TrustStore::AddCrlPemOrDerFile(const std::string& path) {
  CARNET_ASSIGN_OR_RETURN(Bytes content, ReadSmallFile(path, kMaxCrlFile));
  std::string_view text(reinterpret_cast<const char*>(content.data()), content.size());
  if (text.find("-----BEGIN X509 CRL-----") == std::string_view::npos) {
    return AddCrlDer(content).Annotate(path);
  }
  CARNET_ASSIGN_OR_RETURN(auto blocks, DecodePemBlocks(text, "X509 CRL"));
  for (const Bytes& der : blocks) CARNET_TRY(AddCrlDer(der).Annotate(path));
  return Status::Ok();
}

Status TrustStore::AddCrlDer(ByteView der) {
  CARNET_ASSIGN_OR_RETURN(auto parsed, ParseCrlDer(der));
  // A CRL counts only when a CA of this store signed it: otherwise anyone could "un-revoke"
  // a stolen card by feeding an empty list, or deny service by revoking everybody.
  bool name_known = false;
  Status last = Status::Ok();
  auto try_ca = [&](const Certificate& ca) {
    mbedtls_x509_crt& crt = ca.impl()->crt;
    if (!SameName(crt.subject_raw, parsed->crl.issuer_raw)) return false;
    name_known = true;
    last = CheckCrlSignature(parsed->crl, crt);
    return last.ok();
  };
  bool accepted = false;
  for (const Certificate& ca : impl_->roots) accepted = accepted || try_ca(ca);
  for (const Certificate& ca : impl_->intermediates) accepted = accepted || try_ca(ca);
  if (!accepted) {
    if (!name_known) return NotFound("CRL issuer is not a root or intermediate of this store");
    return last.Annotate("CRL rejected: not signed by the CA it names");
  }
  impl_->crls.push_back(std::move(parsed));
  return Status::Ok();
}

std::string TrustStore::Impl::WhyUntrusted(const mbedtls_x509_crt& top) const {
  auto describe = [&top](const Certificate& cand) -> std::string {
    const mbedtls_x509_crt& c = cand.impl()->crt;
    if (!SameName(c.subject_raw, top.issuer_raw)) return {};
    if (!cand.IsCa()) return "issuer '" + cand.SubjectString() + "' is not a CA (basicConstraints)";
    if (!cand.KeyUsageAllows(Purpose::kCertificateSigning).ok()) {
      return "issuer '" + cand.SubjectString() + "' may not sign certificates (keyUsage)";
    }
    return "bad signature: '" + Subject(top) + "' does not verify under its issuer '" +
           cand.SubjectString() + "'";
  };
  for (const auto* list : {&roots, &intermediates}) {
    for (const Certificate& cand : *list) {
      if (std::string why = describe(cand); !why.empty()) return why;
    }
  }
  char issuer[512];
  int n = mbedtls_x509_dn_gets(issuer, sizeof issuer, &top.issuer);
  return "unknown issuer '" + std::string(n < 0 ? "?" : issuer) + "' of '" + Subject(top) + "'";
}

Status TrustStore::Impl::CheckValidity(const std::vector<mbedtls_x509_crt*>& path,
                                       UnixMillis now) const {
  for (const mbedtls_x509_crt* c : path) {
    if (c == nullptr) return Internal("certificate path with a hole");
    // A stolen card keeps working after its certificate expires unless the time is checked;
    // a certificate dated in the future is a sign of a mis-issued or back-dated certificate.
    if (now < X509TimeToMillis(c->valid_from)) {
      return Unauthenticated("certificate '" + Subject(*c) + "' not yet valid (notBefore " +
                             FormatRfc3339(X509TimeToMillis(c->valid_from)) + ")");
    }
    if (now > X509TimeToMillis(c->valid_to)) {
      return Unauthenticated("certificate '" + Subject(*c) + "' expired (notAfter " +
                             FormatRfc3339(X509TimeToMillis(c->valid_to)) + ")");
    }
  }
  return Status::Ok();
}

Status TrustStore::Impl::CheckRevocation(const std::vector<mbedtls_x509_crt*>& path,
                                         UnixMillis now,
                                         bool require_crl) const {
  for (size_t i = 0; i + 1 < path.size(); ++i) {
    mbedtls_x509_crt& cert = *path[i];
    mbedtls_x509_crt& issuer = *path[i + 1];
    bool current_found = false;
    std::string stale;
    for (const auto& stored : crls) {
      const mbedtls_x509_crl& crl = stored->crl;
      // The CRL must come from this certificate's actual issuer: same name AND a signature
      // under the issuer's key, so a CA that shares a name cannot speak for another.
      if (!SameName(crl.issuer_raw, cert.issuer_raw)) continue;
      if (!CheckCrlSignature(crl, issuer).ok()) continue;
      // Revocation is permanent: a serial listed on any genuine CRL, even an old one, stays
      // revoked.
      if (CrlListsSerial(crl, cert.serial)) {
        return Unauthenticated("certificate '" + Subject(cert) + "' is revoked (listed on the " +
                               "CRL of '" + Subject(issuer) + "')");
      }
      UnixMillis this_update = X509TimeToMillis(crl.this_update);
      bool has_next = crl.next_update.year != 0;
      UnixMillis next_update = has_next ? X509TimeToMillis(crl.next_update) : 0;
      if (now >= this_update && has_next && now <= next_update) {
        current_found = true;
      } else {
        stale = has_next ? "expired at " + FormatRfc3339(next_update) : "has no nextUpdate";
        if (now < this_update) stale = "not valid before " + FormatRfc3339(this_update);
      }
    }
    // Only the leaf's issuer must publish a current CRL; higher CAs are checked when they do.
    // Without this, an attacker who blocks CRL updates keeps a revoked card working.
    if (require_crl && i == 0 && !current_found) {
      return Unauthenticated(stale.empty() ? "no CRL from '" + Subject(issuer) + "'"
                                           : "CRL of '" + Subject(issuer) + "' " + stale);
    }
  }
  return Status::Ok();
}

Status TrustStore::Verify(const std::vector<Certificate>& chain,
                          Purpose purpose,
                          UnixMillis now,
                          bool require_crl) const {
  if (chain.empty()) return InvalidArgument("empty certificate chain");
  if (chain.size() > kMaxChainLength) return InvalidArgument("certificate chain too long");
  if (impl_->roots.empty()) return FailedPrecondition("trust store has no root");

  mbedtls_x509_crt candidates;
  mbedtls_x509_crt_init(&candidates);
  struct Free {
    mbedtls_x509_crt* c;
    ~Free() { mbedtls_x509_crt_free(c); }
  } free_candidates{&candidates};
  const std::vector<Certificate>& intermediates = impl_->intermediates;
  for (const std::vector<Certificate>* list : {&chain, &intermediates}) {
    for (const Certificate& c : *list) {
      int ret = mbedtls_x509_crt_parse_der(&candidates, c.der().data(), c.der().size());
      if (ret != 0) return MbedtlsError(ret, "loading chain", StatusCode::kInvalidArgument);
    }
  }

  PathRecorder rec;
  uint32_t flags = 0;
  int ret = mbedtls_x509_crt_verify_with_profile(&candidates, &impl_->anchors, nullptr, &kProfile,
                                                 nullptr, &flags, RecordPath, &rec);
  if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) {
    return Unauthenticated(rec.path.empty() || rec.path.back() == nullptr
                               ? "chain does not lead to a trusted root"
                               : impl_->WhyUntrusted(*rec.path.back()));
  }
  if (flags &
      (MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY)) {
    return Unauthenticated("algorithm or key not allowed (SHA-256+, RSA >= 2048, P-256 only)");
  }
  if (flags != 0) {
    char info[256];
    int n = mbedtls_x509_crt_verify_info(info, sizeof info, "", flags);
    return Unauthenticated("chain rejected: " + std::string(n < 0 ? "?" : info));
  }
  if (ret != 0) return MbedtlsError(ret, "verifying chain", StatusCode::kUnauthenticated);

  CARNET_TRY(impl_->CheckValidity(rec.path, now));
  CARNET_TRY(impl_->CheckRevocation(rec.path, now, require_crl));
  return chain.front().KeyUsageAllows(purpose);
}

}  // namespace carnet::crypto
