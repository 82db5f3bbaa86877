// Keys: parsing, generation, serialization. Signing and verification are in pk_sign.cc.
#include <fcntl.h>
#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <mbedtls/rsa.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "crypto/core/mbedtls_util.h"
#include "crypto/core/pk_internal.h"

namespace carnet::crypto {
namespace {

constexpr size_t kMaxDer = 4096;        // SPKI of an 8192-bit RSA key is ~1.1 KB
constexpr size_t kMaxPem = 16384;       // PEM of an 8192-bit RSA private key is ~6.4 KB
constexpr off_t kMaxKeyFile = 1 << 20;  // a key file is never this big; refuse to slurp more

// Only RSA and "id-ecPublicKey" keys are Carnet keys; ECDH-only and other types are refused
// at the door so that nothing later has to ask.
Status CheckSupportedType(const mbedtls_pk_context& pk) {
  switch (mbedtls_pk_get_type(&pk)) {
    case MBEDTLS_PK_RSA:
    case MBEDTLS_PK_ECKEY:
      return Status::Ok();
    default:
      return InvalidArgument(std::string("unsupported key type ") + mbedtls_pk_get_name(&pk));
  }
}

// RSA contexts carry a default padding used by mbedtls_pk_sign (TLS, X.509 writers): PKCS#1
// v1.5 there. hash_id = SHA-256 is what mbedtls_rsa_rsassa_pss_sign_ext takes for MGF1. Set
// once when the key is made, so signing never mutates a key shared between threads.
void SetRsaDefaults(mbedtls_pk_context& pk) {
  if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA) {
    mbedtls_rsa_set_padding(mbedtls_pk_rsa(pk), MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_SHA256);
  }
}

KeyType TypeOf(const mbedtls_pk_context& pk) {
  if (mbedtls_pk_get_type(&pk) == MBEDTLS_PK_RSA) return KeyType::kRsa;
  return mbedtls_pk_ec(pk)->grp.id == MBEDTLS_ECP_DP_SECP256R1 ? KeyType::kEcP256
                                                               : KeyType::kEcOther;
}

Result<Bytes> WritePublicDer(mbedtls_pk_context& pk) {
  Bytes buf(kMaxDer);
  // mbedTLS writes DER backwards, ending at the end of the buffer.
  int n = mbedtls_pk_write_pubkey_der(&pk, buf.data(), buf.size());
  if (n < 0) return MbedtlsError(n, "writing SubjectPublicKeyInfo");
  return Bytes(buf.end() - n, buf.end());
}

Status ErrnoStatus(int err, const std::string& what) {
  std::string message = what + ": " + std::strerror(err);
  if (err == ENOENT) return NotFound(message);
  if (err == EACCES || err == EPERM) return PermissionDenied(message);
  return Unavailable(message);
}

Result<SecretBytes> ReadSmallFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "opening " + path);
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxKeyFile) {
    close(fd);
    return InvalidArgument(path + " is not a regular file of at most 1 MiB");
  }
  SecretBytes data(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = read(fd, data.mutable_view().data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int err = n < 0 ? errno : EIO;
      close(fd);
      return ErrnoStatus(err, "reading " + path);
    }
    done += static_cast<size_t>(n);
  }
  close(fd);
  return data;
}

Status WriteAll(int fd, ByteView data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoStatus(n < 0 ? errno : EIO, "writing key file");
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

std::string_view SchemeName(SignatureScheme s) {
  switch (s) {
    case SignatureScheme::kEs256:
      return "ES256";
    case SignatureScheme::kRs256:
      return "RS256";
    case SignatureScheme::kPs256:
      return "PS256";
  }
  return "unknown";
}

Result<SignatureScheme> ParseSchemeName(std::string_view name) {
  for (auto s : {SignatureScheme::kEs256, SignatureScheme::kRs256, SignatureScheme::kPs256}) {
    if (name == SchemeName(s)) return s;
  }
  return InvalidArgument("unknown signature scheme \"" + std::string(name) +
                         "\" (expected ES256, RS256 or PS256)");
}

// ---- PublicKey -------------------------------------------------------------------------

PublicKey::PublicKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PublicKey::PublicKey(PublicKey&&) noexcept = default;
PublicKey& PublicKey::operator=(PublicKey&&) noexcept = default;
PublicKey::~PublicKey() = default;

Result<PublicKey> PublicKey::FromDer(ByteView der) {
  if (der.empty()) return InvalidArgument("empty public key");
  auto impl = std::make_unique<Impl>();
  int ret = mbedtls_pk_parse_public_key(&impl->pk, der.data(), der.size());
  if (ret != 0) return MbedtlsError(ret, "parsing public key", StatusCode::kInvalidArgument);
  CARNET_TRY(CheckSupportedType(impl->pk));
  SetRsaDefaults(impl->pk);
  return PublicKey(std::move(impl));
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem) {
  if (pem.find("-----BEGIN") == std::string_view::npos) {
    return InvalidArgument("not a PEM public key (no -----BEGIN line)");
  }
  std::string text(pem);  // mbedTLS wants PEM NUL-terminated, the NUL counted in the length
  return FromDer(ByteView(reinterpret_cast<const uint8_t*>(text.c_str()), text.size() + 1));
}

PublicKey PublicKey::Clone() const {
  auto der = WritePublicDer(impl_->pk);
  auto copy = der.ok() ? FromDer(*der) : Result<PublicKey>(der.status());
  if (!copy.ok()) std::abort();  // a key we hold always re-encodes: an invariant, not input
  return std::move(copy).value();
}

KeyType PublicKey::type() const { return TypeOf(impl_->pk); }
size_t PublicKey::bits() const { return mbedtls_pk_get_bitlen(&impl_->pk); }

Bytes PublicKey::ToDer() const {
  auto der = WritePublicDer(impl_->pk);
  if (!der.ok()) std::abort();  // bounded by kMaxDer for every key mbedTLS can hold
  return std::move(der).value();
}

std::string PublicKey::ToPem() const {
  std::string buf(kMaxPem, '\0');
  int ret = mbedtls_pk_write_pubkey_pem(&impl_->pk, reinterpret_cast<unsigned char*>(buf.data()),
                                        buf.size());
  if (ret != 0) std::abort();
  buf.resize(std::strlen(buf.c_str()));
  return buf;
}

Bytes PublicKey::RsaModulus() const {
  if (mbedtls_pk_get_type(&impl_->pk) != MBEDTLS_PK_RSA) return {};
  const mbedtls_rsa_context* rsa = mbedtls_pk_rsa(impl_->pk);
  Bytes n(mbedtls_rsa_get_len(rsa));
  if (mbedtls_mpi_write_binary(&rsa->N, n.data(), n.size()) != 0) return {};
  return n;
}

Bytes PublicKey::RsaPublicExponent() const {
  if (mbedtls_pk_get_type(&impl_->pk) != MBEDTLS_PK_RSA) return {};
  const mbedtls_rsa_context* rsa = mbedtls_pk_rsa(impl_->pk);
  Bytes e(mbedtls_mpi_size(&rsa->E));
  if (mbedtls_mpi_write_binary(&rsa->E, e.data(), e.size()) != 0) return {};
  return e;
}

Result<PublicKey> PublicKeyFromMbedtls(mbedtls_pk_context& pk) {
  CARNET_ASSIGN_OR_RETURN(Bytes der, WritePublicDer(pk));
  return PublicKey::FromDer(der);
}

// ---- PrivateKey ------------------------------------------------------------------------

PrivateKey::PrivateKey(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

Result<PrivateKey> PrivateKey::FromPem(const SecretBytes& pem) {
  ByteView text = pem.view();
  while (!text.empty() && text.back() == 0) text = text.first(text.size() - 1);
  if (text.empty()) return InvalidArgument("empty private key PEM");
  SecretBytes terminated(text.size() + 1);  // NUL-terminated, as mbedTLS's PEM reader needs
  std::memcpy(terminated.mutable_view().data(), text.data(), text.size());
  auto impl = std::make_unique<Impl>();
  int ret =
      mbedtls_pk_parse_key(&impl->pk, terminated.view().data(), terminated.size(), nullptr, 0);
  if (ret != 0) return MbedtlsError(ret, "parsing private key", StatusCode::kInvalidArgument);
  CARNET_TRY(CheckSupportedType(impl->pk));
  SetRsaDefaults(impl->pk);
  return PrivateKey(std::move(impl));
}

Result<PrivateKey> PrivateKey::FromPemFile(const std::string& path) {
  CARNET_ASSIGN_OR_RETURN(SecretBytes pem, ReadSmallFile(path));
  auto key = FromPem(pem);
  if (!key.ok()) return key.status().Annotate(path);
  return key;
}

Result<PrivateKey> PrivateKey::GenerateEcP256(Random& rng) {
  auto impl = std::make_unique<Impl>();
  int ret = mbedtls_pk_setup(&impl->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
  if (ret != 0) return MbedtlsError(ret, "setting up an EC key");
  ret = mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(impl->pk), &MbedRandom, &rng);
  if (ret != 0) return MbedtlsError(ret, "generating a P-256 key", StatusCode::kUnavailable);
  return PrivateKey(std::move(impl));
}

Result<PrivateKey> PrivateKey::GenerateRsa(Random& rng, unsigned bits) {
  // Under 2048 bits only to test that verification refuses such keys.
  if (bits < 1024 || bits > 4096 || bits % 2 != 0) {
    return InvalidArgument("RSA key size must be an even number of bits in 1024..4096");
  }
  auto impl = std::make_unique<Impl>();
  int ret = mbedtls_pk_setup(&impl->pk, mbedtls_pk_info_from_type(MBEDTLS_PK_RSA));
  if (ret != 0) return MbedtlsError(ret, "setting up an RSA key");
  ret = mbedtls_rsa_gen_key(mbedtls_pk_rsa(impl->pk), &MbedRandom, &rng, bits, 65537);
  if (ret != 0) return MbedtlsError(ret, "generating an RSA key", StatusCode::kUnavailable);
  SetRsaDefaults(impl->pk);
  return PrivateKey(std::move(impl));
}

KeyType PrivateKey::type() const { return TypeOf(impl_->pk); }

PublicKey PrivateKey::public_key() const {
  auto der = WritePublicDer(impl_->pk);
  auto key = der.ok() ? PublicKey::FromDer(*der) : Result<PublicKey>(der.status());
  if (!key.ok()) std::abort();  // our own key always re-encodes
  return std::move(key).value();
}

Result<SecretBytes> PrivateKey::ToPem() const {
  SecretBytes buf(kMaxPem);
  int ret = mbedtls_pk_write_key_pem(&impl_->pk, buf.mutable_view().data(), buf.size());
  if (ret != 0) return MbedtlsError(ret, "writing private key PEM");
  const size_t len = strnlen(reinterpret_cast<const char*>(buf.view().data()), buf.size());
  return SecretBytes(buf.view().first(len));
}

Status PrivateKey::WritePemFile(const std::string& path) const {
  CARNET_ASSIGN_OR_RETURN(SecretBytes pem, ToPem());
  // Written to a temporary file that mkostemp creates with mode 0600, then renamed over
  // `path`: the key is never readable under a wider mode, not even by someone who opened an
  // older, world-readable file at `path` before we started.
  std::string tmp = path + ".XXXXXX";
  int fd = mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "creating a temporary file next to " + path);
  Status s = fchmod(fd, 0600) == 0 ? Status::Ok() : ErrnoStatus(errno, "chmod 0600 " + tmp);
  if (s.ok()) s = WriteAll(fd, pem.view());
  if (s.ok() && fsync(fd) != 0) s = ErrnoStatus(errno, "fsync " + tmp);
  if (close(fd) != 0 && s.ok()) s = ErrnoStatus(errno, "closing " + tmp);
  if (s.ok() && rename(tmp.c_str(), path.c_str()) != 0)
    s = ErrnoStatus(errno, "renaming to " + path);
  if (!s.ok()) unlink(tmp.c_str());
  return s;
}

}  // namespace carnet::crypto
