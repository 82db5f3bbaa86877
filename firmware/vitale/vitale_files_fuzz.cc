// vitale_files_fuzz: the parsers of data read from a Vitale card (pointer map, identity, card
// data) and the presence-proof check on arbitrary input. They must never crash or hang.
#include <cstddef>
#include <cstdint>

#include "firmware/vitale/nir.h"
#include "firmware/vitale/vitale_card.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace carnet;
  const ByteView in(data, size);
  fw::vitale::ParsePointerMap(in).status().IgnoreError();
  fw::vitale::ParseIdentity(in, 0).status().IgnoreError();
  fw::vitale::ParseCardInfo(in).status().IgnoreError();
  fw::vitale::NirKeyCheck(ToString(in)).IgnoreError();
  return 0;
}
