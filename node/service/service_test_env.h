#pragma once
// node/service tests: a real node directory (carnet-node init from the node/authn test PKI,
// written to a temporary folder), its SQLite file, a fake clock, and helpers that sign
// requests with the PKI's card and device keys and decode the answers.

#include <CppUTest/TestHarness.h>

#include <memory>
#include <string>

#include "crypto/protocol/response.h"
#include "hal/base/clock.h"
#include "node/authn/authn_test_pki.h"
#include "node/config/config.h"
#include "node/directory/testing.h"
#include "node/service/node_context.h"
#include "node/service/request_service.h"

namespace carnet::node::service::testing {

using authn::testing::kNow;
using authn::testing::kPatientIns;

struct Answer {
  int http_status = 0;
  Bytes body;
  protocol::Response response;
  std::string Describe() const;  // "403 denied BLOCKED_PROFESSIONAL: ..." for messages
};

class ServiceEnv {
 public:
  ServiceEnv();  // FAILs the test when the node cannot be set up
  ~ServiceEnv();

  NodeContext& ctx() { return *ctx_; }
  RequestService& service() { return *service_; }
  FakeClock& clock() { return clock_; }

  Answer Post(ByteView cose, const authn::PeerInfo& peer);
  Answer PostGp(const protocol::Request& r);       // signed with the GP's AUT or SIG key
  Answer PostPatient(const protocol::Request& r);  // signed by PORTAL-0001's device key

  uint64_t TraceSize();
  trace::TraceEntry LastTrace();
  size_t DocumentCount();
  bool RequestStored(const protocol::Request& r, const std::string& terminal = "TERM-0001");

 private:
  node::testing::TempDir dir_;
  FakeClock clock_{kNow};
  config::NodeConfig config_;
  std::unique_ptr<NodeContext> ctx_;
  std::unique_ptr<RequestService> service_;
};

// A GP request (TERM-0001) with a fresh request id and the given action's default arguments.
protocol::Request GpRequest(protocol::Action action);
// A patient request (PORTAL-0001) with a fresh request id.
protocol::Request PatientRequest(protocol::Action action);
// Deposit arguments for document `id` with `content`.
protocol::DepositArgs DepositOf(const std::string& id, const std::string& content);

}  // namespace carnet::node::service::testing
