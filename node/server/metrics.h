#pragma once
// Server metrics, rendered in the Prometheus text exposition format (version 0.0.4) by the
// admin listener. Counters are lock-free atomics except the (route, status) table and the
// latency histogram, which sit behind one mutex (one lock per finished request).
//
// Names (all prefixed carnet_server_):
//   connections_open (gauge), connections_total, connections_rejected_total (over the limit
//   or while draining), handshakes_total{result="full|resumed|failed"},
//   requests_total{route,status}, request_duration_seconds (histogram: from the complete
//   request to its response queued for TLS), bytes_received_total, bytes_sent_total (TLS
//   records on the wire), timeouts_total{kind="handshake|idle|request|write"}.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace carnet::node::server {

enum class TimeoutKind { kHandshake = 0, kIdle = 1, kRequest = 2, kWrite = 3 };
enum class HandshakeResult { kFull = 0, kResumed = 1, kFailed = 2 };

class Metrics {
 public:
  static constexpr std::array<double, 14> kLatencyBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  void ConnectionOpened();
  void ConnectionClosed();
  void ConnectionRejected() { rejected_.fetch_add(1, std::memory_order_relaxed); }
  void Handshake(HandshakeResult result);
  void Request(const std::string& route, int status, double seconds);
  void BytesIn(uint64_t n) { bytes_in_.fetch_add(n, std::memory_order_relaxed); }
  void BytesOut(uint64_t n) { bytes_out_.fetch_add(n, std::memory_order_relaxed); }
  void Timeout(TimeoutKind kind);

  int64_t connections_open() const { return open_.load(); }
  uint64_t handshakes(HandshakeResult r) const { return handshakes_[Index(r)].load(); }
  uint64_t timeouts(TimeoutKind k) const { return timeouts_[Index(k)].load(); }
  uint64_t requests(const std::string& route, int status) const;

  std::string Render() const;

 private:
  template <typename E>
  static size_t Index(E e) {
    return static_cast<size_t>(e);
  }

  std::atomic<int64_t> open_{0};
  std::atomic<uint64_t> total_{0};
  std::atomic<uint64_t> rejected_{0};
  std::array<std::atomic<uint64_t>, 3> handshakes_{};
  std::array<std::atomic<uint64_t>, 4> timeouts_{};
  std::atomic<uint64_t> bytes_in_{0};
  std::atomic<uint64_t> bytes_out_{0};

  mutable std::mutex mu_;
  std::map<std::pair<std::string, int>, uint64_t> requests_;
  std::array<uint64_t, kLatencyBuckets.size()> buckets_{};  // non-cumulative counts
  uint64_t latency_count_ = 0;
  double latency_sum_ = 0;
};

}  // namespace carnet::node::server
