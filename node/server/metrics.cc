#include "node/server/metrics.h"

#include <cstdio>

namespace carnet::node::server {

void Metrics::ConnectionOpened() {
  open_.fetch_add(1, std::memory_order_relaxed);
  total_.fetch_add(1, std::memory_order_relaxed);
}

void Metrics::ConnectionClosed() { open_.fetch_sub(1, std::memory_order_relaxed); }

void Metrics::Handshake(HandshakeResult result) {
  handshakes_[Index(result)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::Timeout(TimeoutKind kind) {
  timeouts_[Index(kind)].fetch_add(1, std::memory_order_relaxed);
}

void Metrics::Request(const std::string& route, int status, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  ++requests_[{route, status}];
  ++latency_count_;
  latency_sum_ += seconds;
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    if (seconds <= kLatencyBuckets[i]) {
      ++buckets_[i];
      break;
    }
  }
}

uint64_t Metrics::requests(const std::string& route, int status) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = requests_.find({route, status});
  return it == requests_.end() ? 0 : it->second;
}

namespace {

void Line(std::string& out, const std::string& name, const std::string& labels, double v) {
  char num[64];
  std::snprintf(num, sizeof num, "%.17g", v);
  out += name;
  if (!labels.empty()) out += "{" + labels + "}";
  out += " ";
  out += num;
  out += "\n";
}

void Head(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n";
  out += std::string("# TYPE ") + name + " " + type + "\n";
}

std::string Num(uint64_t v) { return std::to_string(v); }

}  // namespace

std::string Metrics::Render() const {
  std::string out;
  Head(out, "carnet_server_connections_open", "gauge", "TLS connections currently open.");
  Line(out, "carnet_server_connections_open", "", static_cast<double>(open_.load()));
  Head(out, "carnet_server_connections_total", "counter", "TCP connections accepted.");
  Line(out, "carnet_server_connections_total", "", static_cast<double>(total_.load()));
  Head(out, "carnet_server_connections_rejected_total", "counter",
       "Connections closed at accept: over the limit or draining.");
  Line(out, "carnet_server_connections_rejected_total", "", static_cast<double>(rejected_.load()));
  Head(out, "carnet_server_handshakes_total", "counter", "TLS handshakes by result.");
  const char* hs[] = {"full", "resumed", "failed"};
  for (size_t i = 0; i < 3; ++i) {
    Line(out, "carnet_server_handshakes_total", std::string("result=\"") + hs[i] + "\"",
         static_cast<double>(handshakes_[i].load()));
  }
  Head(out, "carnet_server_timeouts_total", "counter", "Connections cut by a timeout, by kind.");
  const char* tk[] = {"handshake", "idle", "request", "write"};
  for (size_t i = 0; i < 4; ++i) {
    Line(out, "carnet_server_timeouts_total", std::string("kind=\"") + tk[i] + "\"",
         static_cast<double>(timeouts_[i].load()));
  }
  Head(out, "carnet_server_bytes_received_total", "counter", "TLS bytes read from sockets.");
  Line(out, "carnet_server_bytes_received_total", "", static_cast<double>(bytes_in_.load()));
  Head(out, "carnet_server_bytes_sent_total", "counter", "TLS bytes written to sockets.");
  Line(out, "carnet_server_bytes_sent_total", "", static_cast<double>(bytes_out_.load()));

  std::lock_guard<std::mutex> lock(mu_);
  Head(out, "carnet_server_requests_total", "counter", "HTTP responses by route and status.");
  for (const auto& [key, count] : requests_) {
    // Route labels come from the route table or are "unmatched": never from the client.
    Line(out, "carnet_server_requests_total",
         "route=\"" + key.first + "\",status=\"" + std::to_string(key.second) + "\"",
         static_cast<double>(count));
  }
  Head(out, "carnet_server_request_duration_seconds", "histogram",
       "From a complete request to its response handed to TLS.");
  uint64_t cumulative = 0;
  for (size_t i = 0; i < kLatencyBuckets.size(); ++i) {
    cumulative += buckets_[i];
    char le[32];
    std::snprintf(le, sizeof le, "%g", kLatencyBuckets[i]);
    out += "carnet_server_request_duration_seconds_bucket{le=\"" + std::string(le) + "\"} " +
           Num(cumulative) + "\n";
  }
  out += "carnet_server_request_duration_seconds_bucket{le=\"+Inf\"} " + Num(latency_count_) + "\n";
  Line(out, "carnet_server_request_duration_seconds_sum", "", latency_sum_);
  out += "carnet_server_request_duration_seconds_count " + Num(latency_count_) + "\n";
  return out;
}

}  // namespace carnet::node::server
