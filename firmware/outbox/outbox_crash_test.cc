// kill -9 at random moments: a child process enqueues (or flushes) and is SIGKILLed; the
// parent reopens the outbox and checks that every acknowledged item is there exactly once and
// that a flush interrupted between the node's answer and the delete only ever re-sends.
#include <CppUTest/TestHarness.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <set>
#include <thread>

#include "firmware/outbox/outbox.h"

namespace carnet::fw::outbox {
namespace {

Bytes Id(uint32_t n) {
  Bytes id(12, 0x5A);
  AppendU32Be(id, n);
  return id;
}

uint32_t IdNumber(ByteView id) { return ReadU32Be(id.subspan(12)); }

crypto::SecretBytes Key() {
  crypto::SecretBytes k(32);
  for (auto& b : k.mutable_view()) b = 0x42;
  return k;
}

// Reads every u32 the child wrote before it died (the pipe's write end is closed by then).
std::vector<uint32_t> DrainPipe(int fd) {
  std::vector<uint32_t> out;
  Bytes buf;
  uint8_t chunk[4096];
  while (true) {
    ssize_t n = read(fd, chunk, sizeof chunk);
    if (n <= 0) break;
    buf.insert(buf.end(), chunk, chunk + n);
  }
  for (size_t i = 0; i + 4 <= buf.size(); i += 4)
    out.push_back(ReadU32Be(ByteView(buf).subspan(i)));
  return out;
}

void WriteU32(int fd, uint32_t v) {
  Bytes b;
  AppendU32Be(b, v);
  if (write(fd, b.data(), b.size()) != 4) _exit(3);
}

// Runs `body(pipe_write_fd)` in a child, SIGKILLs it after `delay`, returns what it reported.
template <typename Body>
std::vector<uint32_t> RunAndKill(std::chrono::microseconds delay, Body body) {
  int fds[2];
  CHECK_EQUAL(0, pipe(fds));
  pid_t pid = fork();
  CHECK_TRUE(pid >= 0);
  if (pid == 0) {
    close(fds[0]);
    body(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::this_thread::sleep_for(delay);
  kill(pid, SIGKILL);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  std::vector<uint32_t> reported = DrainPipe(fds[0]);
  close(fds[0]);
  return reported;
}

}  // namespace

TEST_GROUP(OutboxCrash) {
  std::string dir;
  std::string path;
  std::mt19937 prng;
  void setup() override {
    char tmpl[] = "/tmp/carnet-outbox-crash-XXXXXX";
    dir = mkdtemp(tmpl);
    path = dir + "/outbox.db";
    unsigned seed = static_cast<unsigned>(std::random_device{}());
    std::printf("\n[outbox crash test seed %u]\n", seed);
    prng.seed(seed);
  }
  void teardown() override { std::filesystem::remove_all(dir); }
  std::chrono::microseconds RandomDelay(int max_us) {
    return std::chrono::microseconds(std::uniform_int_distribution<int>(0, max_us)(prng));
  }
};

TEST(OutboxCrash, AcknowledgedEnqueuesSurviveKill9ExactlyOnce) {
  uint32_t next = 0;
  std::set<uint32_t> acknowledged;
  for (int round = 0; round < 10; ++round) {
    const uint32_t first = next;
    auto acks = RunAndKill(RandomDelay(150000), [&](int out) {
      auto box = Outbox::Open(path, Key());
      if (!box.ok()) _exit(2);
      for (uint32_t n = first; n < first + 100000; ++n) {
        auto r = (*box)->Enqueue(Id(n), AsBytes("request " + std::to_string(n)), "item");
        if (!r.ok() || *r != EnqueueOutcome::kQueued) _exit(4);
        WriteU32(out, n);
      }
    });
    acknowledged.insert(acks.begin(), acks.end());
    auto box = Outbox::Open(path, Key());
    CHECK_TRUE_TEXT(box.ok(), box.status().ToString().c_str());
    auto items = (*box)->List();
    CHECK_TRUE_TEXT(items.ok(), items.status().ToString().c_str());
    // Present: exactly 0..next-1 in order, no gap, no duplicate; this round added at most one
    // item more than it acknowledged (committed, killed before it could say so).
    for (size_t i = 0; i < items->size(); ++i) {
      LONGS_EQUAL(i, IdNumber((*items)[i].request_id));
    }
    next = static_cast<uint32_t>(items->size());
    for (uint32_t n : acknowledged) CHECK_TRUE_TEXT(n < next, "an acknowledged item was lost");
    CHECK_TRUE(next - first <= acks.size() + 1);
  }
  std::printf("[%zu acknowledged enqueues across 10 kills]\n", acknowledged.size());
}

TEST(OutboxCrash, FlushKilledBetweenAnswerAndDeleteOnlyResends) {
  const uint32_t kItems = 60;
  {
    auto box = Outbox::Open(path, Key());
    CHECK_TRUE(box.ok());
    for (uint32_t n = 0; n < kItems; ++n) {
      CHECK_TRUE((*box)->Enqueue(Id(n), AsBytes("r" + std::to_string(n)), "").ok());
    }
  }
  // The child's "node" reports each id it answered 200 to, then the item is deleted.
  auto answered_by_child = RunAndKill(RandomDelay(250000), [&](int out) {
    auto box = Outbox::Open(path, Key());
    if (!box.ok()) _exit(2);
    auto report = (*box)->Flush([&](ByteView id, ByteView) -> Result<NodeAnswer> {
      WriteU32(out, IdNumber(id));
      std::this_thread::sleep_for(std::chrono::microseconds(500));
      return NodeAnswer{200, ""};
    });
    _exit(report.ok() ? 0 : 5);
  });
  auto box = Outbox::Open(path, Key());
  CHECK_TRUE(box.ok());
  std::vector<uint32_t> answered_after;
  auto report = (*box)->Flush([&](ByteView id, ByteView) -> Result<NodeAnswer> {
    answered_after.push_back(IdNumber(id));
    return NodeAnswer{200, ""};
  });
  CHECK_TRUE(report.ok());
  LONGS_EQUAL(0, report->remaining);
  // Together the node saw every id, in order; the only id it may see twice is the last one
  // the child sent (answered, but killed before its delete committed) — the same request id,
  // which the node answers idempotently.
  std::vector<uint32_t> all = answered_by_child;
  size_t overlap = 0;
  if (!all.empty() && !answered_after.empty() && answered_after.front() == all.back()) {
    overlap = 1;
  }
  all.insert(all.end(), answered_after.begin() + static_cast<long>(overlap), answered_after.end());
  LONGS_EQUAL(kItems, all.size());
  for (uint32_t n = 0; n < kItems; ++n) LONGS_EQUAL(n, all[n]);
  std::printf("[child answered %zu, parent %zu, re-sent %zu]\n", answered_by_child.size(),
              answered_after.size(), overlap);
}

}  // namespace carnet::fw::outbox
