#include "node/server/router.h"

#include <utility>

namespace carnet::node::server {

RouteDecision CheckHeader(const RequestHeader& header, const std::vector<Route>& routes) {
  RouteDecision d;
  d.label = "unmatched";
  std::string allow;
  for (const Route& r : routes) {
    if (r.path != header.path) continue;
    d.label = r.path;
    if (r.method == header.method) {
      d.route = &r;
      break;
    }
    allow += allow.empty() ? r.method : ", " + r.method;
  }
  if (d.route == nullptr) {
    if (allow.empty()) {
      d.refusal = HttpResponse::Text(404, "no such path");
    } else {
      d.refusal = HttpResponse::Text(405, "allowed: " + allow);
      d.refusal->headers.emplace_back("Allow", allow);
    }
    return d;
  }
  // A POST whose length is unknown would be read until the connection closes, which a
  // keep-alive connection never does: ask for a length (RFC 9110 §15.5.12).
  if (header.method == "POST" && !header.content_length && !header.chunked) {
    d.refusal = HttpResponse::Text(411, "Content-Length required");
  } else if (!MediaTypeMatches(header.content_type, d.route->content_type)) {
    d.refusal = HttpResponse::Text(415, "expected " + d.route->content_type);
  }
  if (d.refusal) d.route = nullptr;
  return d;
}

std::vector<Route> NodeRoutes(Handler requests, Handler sth, Handler health) {
  std::vector<Route> routes;
  routes.push_back(Route{"POST", kRequestsPath, kCoseSign1ContentType, std::move(requests)});
  routes.push_back(Route{"GET", kSthPath, "", std::move(sth)});
  routes.push_back(Route{"GET", kHealthPath, "", std::move(health)});
  return routes;
}

}  // namespace carnet::node::server
