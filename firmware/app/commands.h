#pragma once
// carnet-terminal command groups. main.cc dispatches `carnet-terminal <command> ...` to one of
// these; each group lives in its own <group>_cmd.cc and returns the process exit code.
//
// Exit codes shared by every command (README.md):
//   0 success
//   1 failure: pcscd not running, reader or card error, malformed card data
//   2 usage: unknown option, missing value, unreadable configuration file
//   3 no suitable card: the card the command needs is not in any reader
//   4 wrong PIN or PUK (tries left printed), or a PIN that cannot be right (no try spent)
//   5 PIN (or PUK) blocked
//   6 the node refused the request (its code, reason, rule and trace id printed)
//   7 log in first: no session, session locked (idle), CPS reset, or another CPS inserted

#include <span>
#include <string_view>

namespace carnet::fw::app {

using Args = std::span<const std::string_view>;

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNoCard = 3;
inline constexpr int kExitWrongPin = 4;
inline constexpr int kExitBlocked = 5;
inline constexpr int kExitRefused = 6;
inline constexpr int kExitLogin = 7;

// `carnet-terminal cards` (cards_cmd.cc): every reader, its card, identity and trust.
int RunCards(Args args);
// `carnet-terminal pin` and `unblock` (pin_cmd.cc): the CPS holder PIN.
int RunPin(Args args);
int RunUnblock(Args args);

// The session commands (session_cmd.cc, dossier_cmd.cc, outbox_cmd.cc): `login`, `status`,
// `open-dossier`, `deposit`, `list`, `read`, `consent`, `emergency`, `outbox list|flush`.
int RunLogin(Args args);
int RunStatus(Args args);
int RunOpenDossier(Args args);
int RunDeposit(Args args);
int RunList(Args args);
int RunRead(Args args);
int RunConsent(Args args);
int RunEmergency(Args args);
int RunOutbox(Args args);

// `carnet-terminal enroll` (enroll_cmd.cc): device key in the key store, CSR on stdout.
int RunEnroll(Args args);

}  // namespace carnet::fw::app
