#pragma once
// One session command's run: the cards found through pcscd, a session::Session resumed from
// the saved (non-secret) state, the session::SessionRunner driving it to `ready`, then one
// action signed on the cards and sent to the node (or queued: deposits only). The exit codes
// of commands.h are decided here from the session's state and message.

#include <memory>
#include <optional>
#include <string>

#include "crypto/protocol/response.h"
#include "firmware/app/terminal_env.h"
#include "firmware/session/session_runner.h"
#include "hal/base/json.h"
#include "hal/card/card_reader.h"

namespace carnet::fw::app {

struct FlowOptions {
  bool login = false;      // `login`: may ask for the PIN and starts a new saved session
  bool pin_stdin = false;  // the PIN from standard input
  int beneficiary = 0;     // rank on the Vitale card
  bool need_patient = true;
  bool json_out = false;  // a node refusal is also printed as {"error":{...}} on stdout
};

class SessionFlow {
 public:
  SessionFlow(const char* command, const TerminalEnv& env, FlowOptions options);
  ~SessionFlow();

  // Finds and checks the cards, resumes or starts the session. kExitOk when the session is
  // ready (or authenticated, without `need_patient`); else the exit code, message printed.
  int Start();
  // Signs and sends (or queues) one action. kExitOk when the node accepted it or it was
  // queued; response() then holds the decoded answer (absent when queued).
  int Act(session::ActionRequest request);

  session::SessionRunner& runner() { return *runner_; }
  const session::Session& session() const { return session_; }
  const std::optional<protocol::Response>& response() const { return response_; }
  bool queued() const { return runner_->queued(); }
  std::string request_id_hex() const;
  const std::string& professional_reader() const { return pro_reader_name_; }

 private:
  int Fail(const std::string& message, int code) const;
  int ExitForSessionError() const;
  Status Persist(UnixMillis last_activity);

  const char* command_;
  const TerminalEnv& env_;
  FlowOptions options_;
  session::Session session_;
  std::unique_ptr<hal::CardReader> pro_reader_;
  std::string pro_reader_name_;
  std::unique_ptr<hal::CardReader> patient_reader_;
  std::unique_ptr<transport::NodeClient> node_;
  std::unique_ptr<session::SessionRunner> runner_;
  std::optional<protocol::Response> response_;
  int pin_fd_ = -1;
};

}  // namespace carnet::fw::app

namespace carnet::fw::app {

// Parses a session command's arguments: `specs` plus --config, --json and --help. Returns an
// exit code when the command must stop here (usage error, or --help printed).
std::optional<int> ParseCommand(
    const char* command, const char* usage, Args args, std::vector<OptionSpec> specs, Options& out);

// JSON renderings shared by the commands' outputs.
json::Value ProfessionalJson(const cps::HolderIdentity& id);
json::Value PatientJson(const vitale::VitaleIdentity& id);
json::Value DocumentJson(const protocol::DocumentInfo& info);
// Prints `v` (--json) or `human` on stdout.
void Print(bool json_out, const json::Value& v, const std::string& human);

}  // namespace carnet::fw::app
