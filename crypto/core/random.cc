#include "crypto/core/random.h"

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "crypto/core/mbedtls_util.h"
#include "crypto/core/secret.h"

namespace carnet::crypto {
namespace {

constexpr size_t kMaxPersonalization = 128;

// After fork() parent and child would hold the same DRBG state and hand out the same "random"
// bytes (the same ECDSA blinding, the same GCM nonces). Each fork bumps this counter in the
// child; a DRBG that sees a new value reseeds from the entropy source before its next output.
std::atomic<uint64_t> g_fork_generation{0};

void OnForkChild() { g_fork_generation.fetch_add(1, std::memory_order_relaxed); }

void RegisterForkHandlerOnce() {
  static std::once_flag once;
  std::call_once(once, [] { pthread_atfork(nullptr, nullptr, &OnForkChild); });
}

// mbedTLS's entropy callback: p is the carnet::Random the DRBG was created with.
int EntropyFromRandom(void* p, unsigned char* out, size_t len) { return MbedRandom(p, out, len); }

}  // namespace

struct Drbg::Impl {
  Impl() { mbedtls_ctr_drbg_init(&ctx); }
  ~Impl() { mbedtls_ctr_drbg_free(&ctx); }  // zeroizes the key and V
  mbedtls_ctr_drbg_context ctx;
  uint64_t fork_generation = 0;
};

Drbg::Drbg() : impl_(new Impl) {}
Drbg::~Drbg() { delete impl_; }

Result<std::unique_ptr<Drbg>> Drbg::Create(Random& entropy, std::string_view personalization) {
  if (personalization.size() > kMaxPersonalization) {
    return InvalidArgument("DRBG personalization string longer than 128 bytes");
  }
  RegisterForkHandlerOnce();
  std::unique_ptr<Drbg> drbg(new Drbg);
  drbg->impl_->fork_generation = g_fork_generation.load(std::memory_order_relaxed);
  // `entropy` must outlive the DRBG: mbedTLS calls it again on every reseed.
  const ByteView custom = AsBytes(personalization);
  int ret = mbedtls_ctr_drbg_seed(&drbg->impl_->ctx, &EntropyFromRandom, &entropy, custom.data(),
                                  custom.size());
  if (ret != 0) return MbedtlsError(ret, "seeding the CTR-DRBG", StatusCode::kUnavailable);
  return drbg;
}

Drbg& Drbg::ForThread() {
  thread_local std::unique_ptr<Drbg> drbg;
  if (!drbg) {
    auto created = Create(SystemRandom::Instance(), "carnet thread DRBG");
    if (!created.ok()) {
      // No entropy: every key, nonce and blinding value would be guessable. Stop here.
      std::fprintf(stderr, "carnet: cannot seed the DRBG: %s\n",
                   created.status().ToString().c_str());
      std::abort();
    }
    drbg = std::move(created).value();
  }
  return *drbg;
}

Status Drbg::DoFill(MutableByteView out) {
  const uint64_t generation = g_fork_generation.load(std::memory_order_relaxed);
  if (generation != impl_->fork_generation) {
    int ret = mbedtls_ctr_drbg_reseed(&impl_->ctx, nullptr, 0);
    if (ret != 0)
      return MbedtlsError(ret, "reseeding the CTR-DRBG after fork", StatusCode::kUnavailable);
    impl_->fork_generation = generation;
  }
  // mbedTLS serves at most MBEDTLS_CTR_DRBG_MAX_REQUEST bytes per call.
  size_t done = 0;
  while (done < out.size()) {
    const size_t n = std::min<size_t>(out.size() - done, MBEDTLS_CTR_DRBG_MAX_REQUEST);
    int ret = mbedtls_ctr_drbg_random(&impl_->ctx, out.data() + done, n);
    if (ret != 0) {
      Zeroize(out);  // never hand back a partly filled buffer as if it were random
      return MbedtlsError(ret, "CTR-DRBG output", StatusCode::kUnavailable);
    }
    done += n;
  }
  return Status::Ok();
}

int Drbg::MbedRng(void* self, unsigned char* out, size_t len) {
  if (self == nullptr) return MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
  Status s = static_cast<Drbg*>(self)->Fill(MutableByteView(out, len));
  return s.ok() ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

}  // namespace carnet::crypto
