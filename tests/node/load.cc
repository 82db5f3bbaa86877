// `carnet-reqgen load`: N workers POST M freshly signed requests with curl over mutual TLS and
// append each request id to an ack log only after a 2xx answer, fsync'd before the next one is
// counted. The kill -9 test then checks that every id in the log survived the crash.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

#include "hal/base/random.h"
#include "tests/node/reqgen.h"

extern char** environ;

namespace carnet::tests::reqgen {
namespace {

struct LoadConfig {
  std::string url, cert, key, ca, action, ack_log, keep_dir, tmp_dir;
  int64_t concurrency = 4, count = 100;
};

struct Shared {
  const LoadConfig* config = nullptr;
  Options* opts = nullptr;
  std::mutex gen_mutex;  // Options is not thread-safe; signing is short next to the POST
  std::mutex ack_mutex;
  int ack_fd = -1;
  std::atomic<int64_t> next{0}, acked{0}, refused{0}, failed{0};
};

bool WriteFile(const std::string& path, ByteView data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  return static_cast<bool>(out);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs curl; returns the HTTP status it printed, or 0 when it could not get one.
int PostWithCurl(const LoadConfig& c, const std::string& body, const std::string& response) {
  const std::string code_file = response + ".code";
  std::vector<std::string> argv = {"curl",
                                   "-sS",
                                   "--max-time",
                                   "30",
                                   "--cert",
                                   c.cert,
                                   "--key",
                                   c.key,
                                   "--cacert",
                                   c.ca,
                                   "-H",
                                   "Content-Type: application/cose; cose-type=\"cose-sign1\"",
                                   "--data-binary",
                                   "@" + body,
                                   "-o",
                                   response,
                                   "-w",
                                   "%{http_code}",
                                   c.url};
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (auto& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  if (posix_spawn_file_actions_init(&actions) != 0) return 0;
  int rc = posix_spawn_file_actions_addopen(&actions, 1, code_file.c_str(),
                                            O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (rc == 0) rc = posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  if (rc == 0) rc = posix_spawnp(&pid, "curl", &actions, nullptr, args.data(), environ);
  (void)posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return 0;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 0;
  }
  std::string code = ReadFile(code_file);
  (void)std::remove(code_file.c_str());
  return std::atoi(code.c_str());
}

Status Ack(Shared& s, const std::string& line) {
  std::lock_guard<std::mutex> lock(s.ack_mutex);
  if (::write(s.ack_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    return Internal("writing the ack log failed");
  }
  if (::fsync(s.ack_fd) != 0) return Internal("fsync of the ack log failed");
  return Status();
}

void Worker(Shared& s, int worker) {
  const LoadConfig& c = *s.config;
  const std::string body = c.tmp_dir + "/req-" + std::to_string(worker);
  const std::string resp = c.tmp_dir + "/resp-" + std::to_string(worker);
  for (int64_t i = s.next++; i < c.count; i = s.next++) {
    Result<Generated> g = InvalidArgument("not generated");
    {
      std::lock_guard<std::mutex> lock(s.gen_mutex);
      Overrides over;
      auto rid = SystemRandom::Instance().Generate(16);
      if (!rid.ok()) return;
      over.request_id = *rid;
      over.document_id = "load-" + HexEncode(*rid);
      g = Generate(c.action, *s.opts, over);
    }
    if (!g.ok()) {
      (void)std::fprintf(stderr, "carnet-reqgen load: %s\n", g.status().ToString().c_str());
      ++s.failed;
      continue;
    }
    if (!WriteFile(body, g->cose)) return;
    int code = PostWithCurl(c, body, resp);
    if (code < 200 || code > 299) {
      ++(code == 0 ? s.failed : s.refused);
      continue;
    }
    const std::string rid = HexEncode(g->request_id);
    if (!c.keep_dir.empty()) {
      WriteFile(c.keep_dir + "/" + rid + ".cose", g->cose);
      WriteFile(c.keep_dir + "/" + rid + ".resp", ToBytes(ReadFile(resp)));
    }
    if (!Ack(s, rid + " " + g->document_id + "\n").ok()) return;
    ++s.acked;
  }
}

Result<LoadConfig> ReadLoadConfig(Options& opts) {
  LoadConfig c;
  CARNET_ASSIGN_OR_RETURN(std::string connect, opts.Required("connect"));
  c.url = "https://" + connect + "/v1/requests";
  CARNET_ASSIGN_OR_RETURN(c.cert, opts.Required("cert"));
  CARNET_ASSIGN_OR_RETURN(c.key, opts.Required("key"));
  CARNET_ASSIGN_OR_RETURN(c.ca, opts.Required("ca"));
  CARNET_ASSIGN_OR_RETURN(c.ack_log, opts.Required("ack-log"));
  c.action = opts.Get("action").value_or("deposit");
  c.keep_dir = opts.Get("keep-dir").value_or("");
  CARNET_ASSIGN_OR_RETURN(auto n, opts.Int("concurrency"));
  CARNET_ASSIGN_OR_RETURN(auto m, opts.Int("count"));
  if (n) c.concurrency = *n;
  if (m) c.count = *m;
  if (c.concurrency < 1 || c.concurrency > 64) return InvalidArgument("--concurrency: 1..64");
  if (c.count < 1) return InvalidArgument("--count: at least 1");
  return c;
}

}  // namespace

int RunLoad(Options& opts) {
  auto config = ReadLoadConfig(opts);
  if (!config.ok()) {
    std::fprintf(stderr, "carnet-reqgen load: %s\n", config.status().ToString().c_str());
    return 2;
  }
  char tmpl[] = "/tmp/carnet-reqgen-load.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return 1;
  config->tmp_dir = tmpl;
  Shared s;
  s.config = &*config;
  s.opts = &opts;
  s.ack_fd = ::open(config->ack_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (s.ack_fd < 0) {
    std::fprintf(stderr, "carnet-reqgen load: cannot open %s\n", config->ack_log.c_str());
    return 2;
  }
  // Every generation option must be understood before the first request goes out.
  auto probe = Generate(config->action, opts, Overrides{});
  Status used = opts.CheckAllUsed();
  if (!probe.ok() || !used.ok()) {
    std::fprintf(stderr, "carnet-reqgen load: %s\n",
                 (probe.ok() ? used : probe.status()).ToString().c_str());
    ::close(s.ack_fd);
    return 2;
  }
  std::vector<std::thread> workers;
  workers.reserve(static_cast<size_t>(config->concurrency));
  for (int w = 0; w < config->concurrency; ++w) workers.emplace_back(Worker, std::ref(s), w);
  for (auto& t : workers) t.join();
  ::close(s.ack_fd);
  std::string rm = std::string("rm -rf ") + tmpl;
  if (std::system(rm.c_str()) != 0) std::fprintf(stderr, "could not remove %s\n", tmpl);
  std::printf("load: sent %lld acked %lld refused %lld failed %lld\n",
              static_cast<long long>(config->count), static_cast<long long>(s.acked.load()),
              static_cast<long long>(s.refused.load()), static_cast<long long>(s.failed.load()));
  return 0;
}

}  // namespace carnet::tests::reqgen
