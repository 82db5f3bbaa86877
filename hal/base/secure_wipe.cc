#include "hal/base/secure_wipe.h"

namespace carnet {

void SecureWipe(MutableByteView data) {
  // Stores through a volatile pointer are observable behaviour, so they are kept; the empty asm
  // with a memory clobber also stops the compiler from treating the buffer as dead afterwards.
  volatile uint8_t* p = data.data();
  for (size_t i = 0; i < data.size(); ++i) p[i] = 0;
  __asm__ __volatile__("" : : "r"(data.data()) : "memory");
}

}  // namespace carnet
