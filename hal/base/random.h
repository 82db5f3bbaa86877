#pragma once
// Randomness, as an interface. The host backend reads the kernel's CSPRNG (getrandom(2)); the
// crypto module's CTR-DRBG seeds itself from it. The fake is deterministic, for unit tests only.

#include <cstdint>

#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet {

class Random {
 public:
  virtual ~Random() = default;
  // Fills `out` completely or fails; never returns partially random data as success.
  Status Fill(MutableByteView out) { return DoFill(out); }
  Result<Bytes> Generate(size_t n) {
    Bytes b(n);
    CARNET_TRY(Fill(b));
    return b;
  }

 private:
  virtual Status DoFill(MutableByteView out) = 0;
};

class SystemRandom final : public Random {
 public:
  static SystemRandom& Instance();

 private:
  Status DoFill(MutableByteView out) override;
};

// xorshift-based, reproducible from its seed. Never for keys outside tests.
class FakeRandom final : public Random {
 public:
  explicit FakeRandom(uint64_t seed = 1) : state_(seed ? seed : 1) {}

 private:
  Status DoFill(MutableByteView out) override;
  uint64_t state_;
};

}  // namespace carnet
