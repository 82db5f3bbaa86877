#pragma once
// Building a simulated card from options: the command line, a JSON profile file holding the
// same options (keys = long option names without "--"), and/or an entry of the test PKI's
// index.json (`carnet-crypto pki test-hierarchy`). Later sources override earlier ones in
// this order: PKI entry, profile file, command line.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hal/base/random.h"
#include "hal/base/status.h"
#include "tests/cardsim/sim_card.h"

namespace carnet::cardsim {

struct SimOptions {
  std::map<std::string, std::string> values;  // long option name -> value
  std::string Get(const std::string& key, const std::string& fallback = "") const;
};

// Parses "--key value" / "--key=value" / "--flag" arguments. Unknown options are an error.
Result<SimOptions> ParseSimArgs(const std::vector<std::string>& args);
// Merges --config FILE (JSON object) and the PKI entry (--pki DIR with --professional or
// --patient) into `options`; command-line values win.
Status ResolveSimOptions(SimOptions& options);
// Builds the card the options describe ("profile": cps3 | vitale).
Result<std::unique_ptr<SimCard>> BuildCard(const SimOptions& options, Random& rng);

extern const char kSimUsage[];

}  // namespace carnet::cardsim
