// GET /v1/log/sth, GET /v1/health and the route table.

#include <string>

#include "node/service/request_service.h"

namespace carnet::node::service {
namespace {

server::HttpResponse Json(int status, const std::string& text) {
  server::HttpResponse out;
  out.status = status;
  out.content_type = kJsonContentType;
  out.body = ToBytes(text);
  return out;
}

}  // namespace

server::HttpResponse RequestService::SignedTreeHead() {
  auto head = ctx_.trace_log().SignHead(ctx_.log_key(), ctx_.clock().Now(), ctx_.rng());
  if (!head.ok()) {
    return Json(503, "{\"error\":\"the trace log cannot be read or signed\"}");
  }
  // The fields of RFC 6962 §4.3 get-sth; base64 as there.
  return Json(200, "{\"tree_size\":" + std::to_string(head->tree_size) +
                       ",\"timestamp\":" + std::to_string(head->timestamp_ms) +
                       ",\"sha256_root_hash\":\"" + Base64Encode(head->root) +
                       "\",\"tree_head_signature\":\"" + Base64Encode(head->signature) + "\"}");
}

server::HttpResponse RequestService::Health() {
  auto size = ctx_.trace_log().Size();
  if (!size.ok()) return Json(503, "{\"status\":\"unavailable\"}");
  return Json(200, "{\"status\":\"ok\",\"tree_size\":" + std::to_string(*size) + "}");
}

std::vector<server::Route> RequestService::Routes() {
  return server::NodeRoutes(
      [this](const server::HttpRequest& request, const server::PeerInfo& peer) {
        return Handle(request.body, authn::PeerInfo{peer.client_cert_der});
      },
      [this](const server::HttpRequest&, const server::PeerInfo&) { return SignedTreeHead(); },
      [this](const server::HttpRequest&, const server::PeerInfo&) { return Health(); });
}

}  // namespace carnet::node::service
