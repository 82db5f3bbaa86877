#pragma once
// Shared pieces of carnet-bench: the one table every section adds rows to, latency statistics,
// timing loops, the test PKI files, child processes (lighttpd, carnet-node) and peak RSS.
// Benchmarks print figures; nothing here ever decides pass or fail on a time.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "crypto/core/pk.h"
#include "crypto/x509/certificate.h"
#include "hal/base/bytes.h"
#include "hal/base/status.h"

namespace carnet::bench {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0);

// Aborts with the message when `r` failed: a benchmark's setup either works or says why.
template <typename T>
T Must(Result<T> r, const char* what) {
  if (!r.ok()) {
    std::fprintf(stderr, "carnet-bench: %s: %s\n", what, r.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(r).value();
}
void MustOk(const Status& s, const char* what);

// One row: section, what was measured, the figure, and how (conditions, n).
struct Row {
  std::string section;
  std::string what;
  std::string value;
  std::string note;
};

class Table {
 public:
  void Add(std::string section, std::string what, std::string value, std::string note = "");
  // Prints the whole table (markdown, so it can be pasted into README.md) to stdout.
  void Print() const;

 private:
  std::vector<Row> rows_;
};

std::string Fmt(const char* format, ...) __attribute__((format(printf, 1, 2)));

// Latencies in seconds; percentiles by nearest rank on a sorted copy.
struct LatencyStats {
  size_t count = 0;
  double p50_ms = 0;
  double p99_ms = 0;
};
LatencyStats Summarize(std::vector<double> seconds);

// Runs `fn` until it used `min_seconds` of this thread's CPU time and ran at least
// `min_iterations` times; returns CPU seconds per call (mean). CPU time, not wall time: on a
// shared box the other tenants' load does not inflate a single-threaded cost.
double TimePerCall(const std::function<void()>& fn, double min_seconds, int min_iterations = 3);

// The files `carnet-crypto pki test-hierarchy` writes (crypto/x509/pki_write.cc).
struct PkiFiles {
  std::string dir;
  std::string Path(const std::string& relative) const { return dir + "/" + relative; }
  std::string OperatorRootCert() const { return Path("operator/root.crt.pem"); }
  std::string NodeCert() const { return Path("operator/node.crt.pem"); }
  std::string NodeKey() const { return Path("operator/node.key.pem"); }
  std::string TerminalCaCert() const { return Path("operator/terminal-ca.crt.pem"); }
  std::string TerminalCert(const std::string& id) const {
    return Path("operator/terminals/" + id + ".crt.pem");
  }
  std::string TerminalKey(const std::string& id) const {
    return Path("operator/terminals/" + id + ".key.pem");
  }
};

// The first general practitioner of index.json: idNat, profession, specialty, key paths.
struct Professional {
  std::string rpps;
  std::string idnat;
  std::string profession;
  std::string specialty;
};
Professional FirstProfessional(const PkiFiles& pki);
// The first patient of index.json (INS = NIR + key, OID INS-NIR-TEST).
std::string FirstPatientIns(const PkiFiles& pki);

crypto::Certificate LoadCert(const std::string& path);
crypto::PrivateKey LoadKey(const std::string& path);
Bytes ReadFileBytes(const std::string& path);
void WriteFileText(const std::string& path, const std::string& text);

// A child process with its stdout+stderr sent to `log_path`.
class Child {
 public:
  static Result<Child> Start(const std::vector<std::string>& argv, const std::string& log_path);
  Child() = default;
  Child(Child&& other) noexcept : pid_(other.pid_), log_(std::move(other.log_)) { other.pid_ = -1; }
  Child& operator=(Child&& other) noexcept;
  ~Child();  // SIGTERM, then SIGKILL after 5 s
  pid_t pid() const { return pid_; }
  bool running() const;
  // Stops the child (SIGTERM, then SIGKILL after 5 s) and returns its peak RSS in KiB
  // (wait4's ru_maxrss), or -1.
  long Stop();
  // Waits up to `timeout_s` for a line containing `marker` in the log; returns that line.
  Result<std::string> WaitForLog(const std::string& marker, double timeout_s) const;

 private:
  pid_t pid_ = -1;
  std::string log_;
};

// Runs a command to completion; returns its stdout (stderr goes to ours). kInternal on a
// non-zero exit.
Result<std::string> RunCommand(const std::vector<std::string>& argv);

long SelfPeakRssKib();  // getrusage(RUSAGE_SELF).ru_maxrss
uint16_t FreeLoopbackPort();

}  // namespace carnet::bench
