// http_request_fuzz: the server's HTTP request path without TLS — HttpRequestReader with the
// server's limits (small ones, so that the fuzzer reaches them), the route check and the
// response writer. Input: first byte = piece size (1..256), the rest = bytes from the client.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "node/server/http_reader.h"
#include "node/server/router.h"

using namespace carnet;
using namespace carnet::node::server;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const std::vector<Route> routes =
      NodeRoutes([](const HttpRequest&, const PeerInfo&) { return HttpResponse{}; },
                 [](const HttpRequest&, const PeerInfo&) { return HttpResponse{}; },
                 [](const HttpRequest&, const PeerInfo&) { return HttpResponse{}; });
  size_t piece = static_cast<size_t>(data[0]) + 1;
  ByteView in(data + 1, size - 1);
  HttpRequestReader reader(HttpLimits{1024, 4096});
  for (size_t off = 0; off < in.size(); off += piece) {
    reader.Append(in.subspan(off, std::min(piece, in.size() - off)));
    while (true) {
      auto e = reader.Next();
      if (e == HttpRequestReader::Event::kNeedMore) break;
      if (e == HttpRequestReader::Event::kError) {
        (void)SerializeResponse(HttpResponse::Text(reader.error(), reader.error_detail()), false);
        return 0;
      }
      if (e == HttpRequestReader::Event::kHeaderReady) {
        RouteDecision d = CheckHeader(reader.header(), routes);
        if (d.refusal) (void)SerializeResponse(*d.refusal, false);
        continue;
      }
      HttpRequest req = reader.TakeRequest();
      if (req.body.size() > 4096) __builtin_trap();  // the body limit held
    }
  }
  return 0;
}
