#include "node/store/group_commit.h"

#include <utility>
#include <vector>

namespace carnet::node::store {

GroupCommitWriter::GroupCommitWriter(Db& db, size_t max_batch)
    : db_(db), max_batch_(max_batch == 0 ? 1 : max_batch), thread_([this] { Loop(); }) {}

GroupCommitWriter::~GroupCommitWriter() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::future<Status> GroupCommitWriter::Submit(WriteFn fn) {
  Pending pending{std::move(fn), {}};
  std::future<Status> future = pending.done.get_future();
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      pending.done.set_value(Unavailable("store writer is shutting down"));
      return future;
    }
    queue_.push_back(std::move(pending));
  }
  wake_.notify_one();
  return future;
}

GroupCommitWriter::Stats GroupCommitWriter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void GroupCommitWriter::Loop() {
  while (true) {
    std::deque<Pending> batch;
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything queued has run
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    RunBatch(batch);
  }
}

void GroupCommitWriter::RunBatch(std::deque<Pending>& batch) {
  std::vector<Status> results(batch.size());
  Status txn = db_.Begin();
  for (size_t i = 0; txn.ok() && i < batch.size(); ++i) {
    txn = db_.Exec("SAVEPOINT w");
    if (!txn.ok()) break;
    results[i] = batch[i].fn(db_);
    // ROLLBACK TO undoes the closure's changes but keeps the savepoint; RELEASE ends it.
    if (!results[i].ok()) txn = db_.Exec("ROLLBACK TO w");
    if (txn.ok()) txn = db_.Exec("RELEASE w");
  }
  if (txn.ok()) txn = db_.Commit();
  if (!txn.ok()) db_.Rollback().IgnoreError();  // the batch failure is reported below
  {
    std::lock_guard lock(mu_);
    stats_.transactions += 1;
    stats_.writes += batch.size();
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i].done.set_value(txn.ok() ? std::move(results[i]) : txn.Annotate("group commit"));
  }
}

}  // namespace carnet::node::store
