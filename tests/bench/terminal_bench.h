#pragma once
// The terminal's side of a transaction: its own CPU time per signed request with the card
// replaced by a signer that answers at once, and the APDUs a transaction sends, counted
// through a FakeCardReader in front of the card simulator's engines (tests/cardsim).

#include "tests/bench/bench_util.h"
#include "tests/bench/requests.h"

namespace carnet::bench {

void MeasureTerminal(Table& table, const PkiFiles& pki, const Signer& signer, double seconds);

}  // namespace carnet::bench
