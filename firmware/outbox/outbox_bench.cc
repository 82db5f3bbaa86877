// Prints the outbox's enqueue and flush throughput on this machine's disk (figures for the
// README; no timing is asserted anywhere). Usage: outbox_bench [DIR] [COUNT].
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "firmware/outbox/outbox.h"

int main(int argc, char** argv) {
  using namespace carnet;
  std::string dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path().string();
  int count = argc > 2 ? std::atoi(argv[2]) : 200;
  std::string path = dir + "/outbox-bench-" + std::to_string(getpid()) + ".db";
  crypto::SecretBytes key(32);
  auto box = fw::outbox::Outbox::Open(path, key);
  if (!box.ok()) {
    std::fprintf(stderr, "%s\n", box.status().ToString().c_str());
    return 1;
  }
  Bytes request(4096, 0xC5);  // a typical small signed deposit
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    Bytes id(16, 0);
    id[0] = static_cast<uint8_t>(i >> 8);
    id[1] = static_cast<uint8_t>(i);
    if (!(*box)->Enqueue(id, request, "bench").ok()) return 1;
  }
  auto t1 = std::chrono::steady_clock::now();
  auto report = (*box)->Flush([](ByteView, ByteView) -> Result<fw::outbox::NodeAnswer> {
    return fw::outbox::NodeAnswer{200, ""};
  });
  auto t2 = std::chrono::steady_clock::now();
  double enq = std::chrono::duration<double>(t1 - t0).count();
  double fl = std::chrono::duration<double>(t2 - t1).count();
  std::printf("%d enqueues of 4 KiB: %.0f/s; flush (deliver+delete): %.0f/s  [%s]\n", count,
              count / enq, count / fl, dir.c_str());
  box->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
  return report.ok() ? 0 : 1;
}
