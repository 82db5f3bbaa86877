#include "tests/bench/lighttpd_peer.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

namespace carnet::bench {
namespace {

bool Accepts(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

// Reads the whole request body (collect returns false until it has arrived; returning 0 lets
// lighttpd run the script again then), and answers 100 bytes, the size of a deposit's answer.
constexpr char kAnswerLua[] =
    "local r = lighty.r\n"
    "if r.req_body.len > 0 and not r.req_body.collect then\n"
    "  return 0\n"
    "end\n"
    "r.resp_header[\"Content-Type\"] = \"application/cbor\"\n"
    "r.resp_body.set({ string.rep(\"x\", 100) })\n"
    "return 200\n";

std::string Config(const PkiFiles& pki, const std::string& workdir, uint16_t port, int workers) {
  std::string c;
  c += "server.modules = ( \"mod_magnet\", \"mod_mbedtls\" )\n";
  c += "magnet.attract-physical-path-to = ( \"" + workdir + "/answer.lua\" )\n";
  c += "server.document-root = \"" + workdir + "/www\"\n";
  c += "server.bind = \"127.0.0.1\"\n";
  c += "server.port = " + std::to_string(port) + "\n";
  c += "server.errorlog = \"" + workdir + "/lighttpd-error.log\"\n";
  c += "server.max-worker = " + std::to_string(workers) + "\n";
  c += "server.max-keep-alive-requests = 1000000\n";
  c += "server.max-keep-alive-idle = 60\n";
  c += "server.max-request-size = 1048576\n";  // KiB: 1 GiB, never the limit here
  c += "ssl.engine = \"enable\"\n";
  c += "ssl.pemfile = \"" + pki.NodeCert() + "\"\n";
  c += "ssl.privkey = \"" + pki.NodeKey() + "\"\n";
  c += "ssl.ca-file = \"" + pki.TerminalCaCert() + "\"\n";
  c += "ssl.verifyclient.activate = \"enable\"\n";
  c += "ssl.verifyclient.enforce = \"enable\"\n";
  c += "ssl.verifyclient.depth = 2\n";
  // The same suite the node negotiates with our client (crypto/tls's first preference).
  c += "ssl.openssl.ssl-conf-cmd = ( \"MinProtocol\" => \"TLSv1.2\", "
       "\"CipherString\" => \"TLS-ECDHE-ECDSA-WITH-AES-128-GCM-SHA256\" )\n";
  return c;
}

}  // namespace

Result<LighttpdPeer> StartLighttpd(const std::string& lighttpd_bin,
                                   const PkiFiles& pki,
                                   const std::string& workdir,
                                   int workers) {
  if (::access(lighttpd_bin.c_str(), X_OK) != 0) {
    return NotFound(lighttpd_bin +
                    " not found: install it with `toolchains/bootstrap.sh bench` "
                    "(lighttpd lighttpd-mod-mbedtls lighttpd-modules-lua)");
  }
  ::mkdir((workdir + "/www").c_str(), 0755);
  LighttpdPeer peer;
  WriteFileText(workdir + "/answer.lua", kAnswerLua);
  peer.port = FreeLoopbackPort();
  const std::string conf = workdir + "/lighttpd.conf";
  WriteFileText(conf, Config(pki, workdir, peer.port, workers));
  CARNET_ASSIGN_OR_RETURN(
      peer.process, Child::Start({lighttpd_bin, "-D", "-f", conf}, workdir + "/lighttpd.log"));
  for (int i = 0; i < 100; ++i) {
    if (Accepts(peer.port)) return peer;
    if (!peer.process.running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return Unavailable("lighttpd did not start; see " + workdir + "/lighttpd.log and " + workdir +
                     "/lighttpd-error.log");
}

}  // namespace carnet::bench
