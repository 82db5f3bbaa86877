#pragma once
// The session keeper (session_keeper.cc): after `login`, a background process holding a
// shared PC/SC handle on the CPS so pcscd keeps the card powered — and with it the card's
// verified PIN — between commands. It holds no secret, and exits on card removal (clearing
// the saved session), on idle timeout (resetting the card), or when replaced by a new login.

#include <string>

#include "firmware/app/terminal_env.h"

namespace carnet::fw::app {

// Forks the keeper for the CPS in `reader_name` (card `card_number`); its pid goes to
// state_dir/keeper.pid.
Status StartSessionKeeper(const TerminalEnv& env,
                          const std::string& reader_name,
                          const std::string& card_number);

}  // namespace carnet::fw::app
