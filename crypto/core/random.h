#pragma once
// CTR-DRBG (AES-256, NIST SP 800-90A) seeded from the OS entropy source (hal SystemRandom),
// with prediction resistance off and periodic reseeding as mbedTLS does it.
//
// mbedTLS contexts are not meant to be shared between threads without care: Drbg::ForThread()
// returns one DRBG per thread, which is what every caller should use.

#include <memory>
#include <string_view>

#include "hal/base/bytes.h"
#include "hal/base/random.h"
#include "hal/base/status.h"

namespace carnet::crypto {

class Drbg final : public Random {
 public:
  // Seeds from `entropy` with a personalization string (at most 128 bytes). `entropy` must
  // outlive the DRBG: reseeds read it again. After fork() the child's DRBGs reseed before
  // their next output, so parent and child never share a stream.
  static Result<std::unique_ptr<Drbg>> Create(Random& entropy, std::string_view personalization);
  // The calling thread's DRBG, seeded from SystemRandom on first use. Aborts the process if
  // the OS cannot provide entropy: continuing without it would be worse.
  static Drbg& ForThread();
  ~Drbg() override;
  Drbg(const Drbg&) = delete;
  Drbg& operator=(const Drbg&) = delete;

  // For mbedTLS calls that take (f_rng, p_rng): pass a Drbg* as p_rng. (For any other
  // carnet::Random, crypto/core/mbedtls_util.h has MbedRandom taking a Random*.)
  static int MbedRng(void* self, unsigned char* out, size_t len);

 private:
  Drbg();
  Status DoFill(MutableByteView out) override;
  struct Impl;
  Impl* impl_;
};

}  // namespace carnet::crypto
