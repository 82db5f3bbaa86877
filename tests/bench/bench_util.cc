#include "tests/bench/bench_util.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdarg>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "hal/base/json.h"

namespace carnet::bench {

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

void MustOk(const Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "carnet-bench: %s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

void Table::Add(std::string section, std::string what, std::string value, std::string note) {
  std::fprintf(stderr, "  [%s] %s: %s %s\n", section.c_str(), what.c_str(), value.c_str(),
               note.c_str());
  rows_.push_back({std::move(section), std::move(what), std::move(value), std::move(note)});
}

void Table::Print() const {
  std::printf("| section | measured | value | conditions |\n|---|---|---|---|\n");
  for (const Row& r : rows_) {
    std::printf("| %s | %s | %s | %s |\n", r.section.c_str(), r.what.c_str(), r.value.c_str(),
                r.note.c_str());
  }
  std::fflush(stdout);
}

std::string Fmt(const char* format, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, format);
  std::vsnprintf(buf, sizeof buf, format, ap);
  va_end(ap);
  return buf;
}

LatencyStats Summarize(std::vector<double> seconds) {
  LatencyStats s;
  s.count = seconds.size();
  if (seconds.empty()) return s;
  std::sort(seconds.begin(), seconds.end());
  auto rank = [&](double q) {
    auto i = static_cast<size_t>(std::ceil(q * static_cast<double>(seconds.size())));
    return seconds[std::min(seconds.size() - 1, i == 0 ? 0 : i - 1)] * 1000.0;
  };
  s.p50_ms = rank(0.50);
  s.p99_ms = rank(0.99);
  return s;
}

namespace {

double ThreadCpuSeconds() {
  timespec ts{};
  ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace

double TimePerCall(const std::function<void()>& fn, double min_seconds, int min_iterations) {
  fn();  // warm-up: caches, lazy initialisation
  int n = 0;
  const double c0 = ThreadCpuSeconds();
  double elapsed = 0;
  while (n < min_iterations || elapsed < min_seconds) {
    fn();
    ++n;
    elapsed = ThreadCpuSeconds() - c0;
  }
  return elapsed / n;
}

namespace {

json::Value LoadIndex(const PkiFiles& pki) {
  Bytes text = ReadFileBytes(pki.Path("index.json"));
  json::ParseLimits limits;
  limits.max_bytes = 16 * 1024 * 1024;
  return Must(json::Parse(ToString(text), limits), "parsing the test PKI's index.json");
}

std::string Text(const json::Value& o, std::string_view key) {
  const json::Value* v = o.Find(key);
  return v != nullptr && v->kind() == json::Kind::kString ? v->as_string() : "";
}

}  // namespace

Professional FirstProfessional(const PkiFiles& pki) {
  json::Value index = LoadIndex(pki);
  const json::Value* pros = index.Find("professionals");
  if (pros == nullptr || pros->kind() != json::Kind::kArray || pros->as_array().empty()) {
    MustOk(DataLoss("index.json has no professionals"), "test PKI");
  }
  for (const json::Value& p : pros->as_array()) {
    const json::Value* revoked = p.Find("revoked");
    if (revoked != nullptr && revoked->kind() == json::Kind::kBool && revoked->as_bool()) continue;
    return {Text(p, "rpps"), Text(p, "idnat"), Text(p, "profession"), Text(p, "specialty")};
  }
  MustOk(DataLoss("index.json has no unrevoked professional"), "test PKI");
  return {};
}

std::string FirstPatientIns(const PkiFiles& pki) {
  json::Value index = LoadIndex(pki);
  const json::Value* vitale = index.Find("vitale");
  const json::Value* patients = vitale != nullptr ? vitale->Find("patients") : nullptr;
  if (patients == nullptr || patients->kind() != json::Kind::kArray ||
      patients->as_array().empty()) {
    MustOk(DataLoss("index.json has no patients"), "test PKI");
  }
  return Text(patients->as_array().front(), "ins");
}

crypto::Certificate LoadCert(const std::string& path) {
  auto certs = Must(crypto::Certificate::FromPemFile(path), path.c_str());
  if (certs.empty()) MustOk(DataLoss("no certificate in " + path), "test PKI");
  return std::move(certs.front());
}

crypto::PrivateKey LoadKey(const std::string& path) {
  return Must(crypto::PrivateKey::FromPemFile(path), path.c_str());
}

Bytes ReadFileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) MustOk(NotFound("cannot read " + path), "reading a file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ToBytes(ss.str());
}

void WriteFileText(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) MustOk(Internal("cannot write " + path), "writing a file");
}

Result<Child> Child::Start(const std::vector<std::string>& argv, const std::string& log_path) {
  int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Internal("cannot open " + log_path + ": " + std::strerror(errno));
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fd);
    return Internal(std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Own process group: lighttpd's master signals its whole group (kill(0, ...)) when it
    // stops, which must not reach us. And it dies with us, even when we exit on an error.
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    ::dup2(fd, 1);
    ::dup2(fd, 2);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(fd);
  Child c;
  c.pid_ = pid;
  c.log_ = log_path;
  return c;
}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    Stop();
    pid_ = other.pid_;
    log_ = std::move(other.log_);
    other.pid_ = -1;
  }
  return *this;
}

Child::~Child() { Stop(); }

bool Child::running() const {
  if (pid_ <= 0) return false;
  siginfo_t info{};
  if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) {
    return false;
  }
  return info.si_pid == 0;  // nobody to reap yet: still running
}

long Child::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  rusage ru{};
  int status = 0;
  for (int i = 0; i < 500; ++i) {
    pid_t r = ::wait4(pid_, &status, WNOHANG, &ru);
    if (r == pid_) {
      pid_ = -1;
      return ru.ru_maxrss;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(pid_, SIGKILL);
  ::wait4(pid_, &status, 0, &ru);
  pid_ = -1;
  return ru.ru_maxrss;
}

Result<std::string> Child::WaitForLog(const std::string& marker, double timeout_s) const {
  auto t0 = Clock::now();
  while (SecondsSince(t0) < timeout_s) {
    std::ifstream in(log_);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find(marker) != std::string::npos) return line;
    }
    if (!running()) {
      return Unavailable("the process exited before printing '" + marker + "'; see " + log_);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return DeadlineExceeded("no '" + marker + "' in " + log_ + " after the timeout");
}

Result<std::string> RunCommand(const std::vector<std::string>& argv) {
  int pipefd[2];
  if (::pipe(pipefd) != 0) return Internal("pipe failed");
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(pipefd[1], 1);
    ::close(pipefd[0]);
    ::close(pipefd[1]);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(pipefd[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(pipefd[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string cmd;
    for (const std::string& a : argv) cmd += a + " ";
    return Internal("command failed (status " + std::to_string(status) + "): " + cmd);
  }
  return out;
}

long SelfPeakRssKib() {
  rusage ru{};
  ::getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

uint16_t FreeLoopbackPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

}  // namespace carnet::bench
