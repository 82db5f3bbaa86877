#include "crypto/x509/seeded_drbg.h"

#include <mbedtls/ctr_drbg.h>

#include <algorithm>
#include <climits>

#include "crypto/core/pk_internal.h"

namespace carnet::crypto {
namespace {

// The entropy source: block i is SHA-256(seed || BE32(i)), an endless deterministic stream.
struct SeedStream {
  Sha256Digest seed;
  uint32_t counter = 0;
};

int SeedEntropy(void* p, unsigned char* out, size_t len) {
  auto* s = static_cast<SeedStream*>(p);
  size_t done = 0;
  while (done < len) {
    Bytes input(s->seed.begin(), s->seed.end());
    AppendU32Be(input, s->counter++);
    Sha256Digest block = Sha256(input);
    size_t n = std::min(block.size(), len - done);
    std::copy_n(block.begin(), n, out + done);
    done += n;
  }
  return 0;
}

}  // namespace

struct SeededDrbg::Impl {
  Impl() { mbedtls_ctr_drbg_init(&ctx); }
  ~Impl() { mbedtls_ctr_drbg_free(&ctx); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  SeedStream stream;
  mbedtls_ctr_drbg_context ctx;
};

SeededDrbg::SeededDrbg() : impl_(std::make_unique<Impl>()) {}
SeededDrbg::~SeededDrbg() = default;

Result<std::unique_ptr<SeededDrbg>> SeededDrbg::Create(const Sha256Digest& seed,
                                                       std::string_view label) {
  std::unique_ptr<SeededDrbg> drbg(new SeededDrbg());
  drbg->impl_->stream.seed = seed;
  const ByteView custom = AsBytes(label);
  int ret = mbedtls_ctr_drbg_seed(&drbg->impl_->ctx, &SeedEntropy, &drbg->impl_->stream,
                                  custom.data(), custom.size());
  if (ret != 0) return MbedtlsError(ret, "seeding the test DRBG");
  // Reseeding would read the (deterministic) stream again and still be reproducible, but
  // never reseeding keeps the output independent of mbedTLS's reseed policy.
  mbedtls_ctr_drbg_set_reseed_interval(&drbg->impl_->ctx, INT_MAX);
  return drbg;
}

Status SeededDrbg::DoFill(MutableByteView out) {
  size_t done = 0;
  while (done < out.size()) {
    size_t n = std::min<size_t>(MBEDTLS_CTR_DRBG_MAX_REQUEST, out.size() - done);
    int ret = mbedtls_ctr_drbg_random(&impl_->ctx, out.data() + done, n);
    if (ret != 0) return MbedtlsError(ret, "test DRBG output");
    done += n;
  }
  return Status::Ok();
}

}  // namespace carnet::crypto
