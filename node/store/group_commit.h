#pragma once
// GroupCommitWriter: the single writer of a SQLite database, with group commit (DESIGN.md §5).
//
// Callers submit write closures from any thread. One writer thread takes every closure queued
// at that moment (up to max_batch), runs them inside one BEGIN IMMEDIATE … COMMIT — so one
// fsync covers many requests — and then completes each caller's future. Each closure runs in
// its own SAVEPOINT: a closure that fails is rolled back alone and its caller gets its Status;
// the others still commit. If the COMMIT itself fails, every closure of the batch gets that
// failure (nothing of the batch is durable). A future resolves only after the COMMIT returned,
// so an OK is never given for data that is not on disk.
//
// The Db passed in is used only by the writer thread from construction until destruction.

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "node/store/sqlite_db.h"

namespace carnet::node::store {

class GroupCommitWriter {
 public:
  using WriteFn = std::function<Status(Db&)>;
  struct Stats {
    uint64_t transactions = 0;
    uint64_t writes = 0;
  };

  GroupCommitWriter(Db& db, size_t max_batch = 512);
  // Runs what is queued, then stops the thread.
  ~GroupCommitWriter();
  GroupCommitWriter(const GroupCommitWriter&) = delete;
  GroupCommitWriter& operator=(const GroupCommitWriter&) = delete;

  std::future<Status> Submit(WriteFn fn);
  // Submit and wait. `fn` may capture the caller's locals by reference.
  Status Run(WriteFn fn) { return Submit(std::move(fn)).get(); }

  Stats stats() const;

 private:
  struct Pending {
    WriteFn fn;
    std::promise<Status> done;
  };
  void Loop();
  void RunBatch(std::deque<Pending>& batch);

  Db& db_;
  const size_t max_batch_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  Stats stats_;
  std::thread thread_;  // last: starts after the members above exist
};

}  // namespace carnet::node::store
