#pragma once
// The route table check made as soon as a request's header is parsed, before its body is
// read: unknown path 404, wrong method 405 (with Allow), POST without a length 411, wrong
// media type 415. The server applies it; the handlers see only requests that passed.

#include <optional>
#include <string>
#include <vector>

#include "node/server/http_reader.h"
#include "node/server/http_types.h"

namespace carnet::node::server {

struct RouteDecision {
  const Route* route = nullptr;         // set when the request may proceed
  std::optional<HttpResponse> refusal;  // set otherwise
  std::string label;                    // metrics label: the route's path or "unmatched"
};

RouteDecision CheckHeader(const RequestHeader& header, const std::vector<Route>& routes);

}  // namespace carnet::node::server
