#pragma once
// Status and Result<T>: how every Carnet call reports failure.
//
// No exceptions cross a module boundary. A Status is a code plus a message meant for a
// person (what failed and, where possible, what to do). Third-party error numbers are kept in
// the message by the one place that translates them (STYLE.md: one place per library).
//
// Result<T> holds either a T or a non-OK Status. It is a small hand-written type because
// std::expected does not build with clang 14 (our fuzzing compiler).

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace carnet {

// Codes are chosen so that "0 means fine" can never happen by accident: a default-constructed
// Status is kOk explicitly, and every other code is a distinct, named failure.
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,     // the caller's input is malformed
  kNotFound = 2,            // the thing asked for does not exist
  kAlreadyExists = 3,       // unique thing exists already (e.g. a replayed request id)
  kPermissionDenied = 4,    // policy said no
  kUnauthenticated = 5,     // a signature, certificate or PIN did not check out
  kFailedPrecondition = 6,  // the system is not in a state where this makes sense
  kOutOfRange = 7,          // a size or count limit was exceeded
  kUnavailable = 8,         // try again later (network down, card removed, reader gone)
  kDeadlineExceeded = 9,    // a timeout fired
  kDataLoss = 10,           // stored data is corrupt or undecryptable
  kResourceExhausted = 11,  // too many of something (connections, requests)
  kAborted = 12,            // the operation was interrupted (card reset, shutdown)
  kUnimplemented = 13,      // not supported by this backend
  kInternal = 14,           // a bug: an invariant did not hold
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "code: message", for logs and error output.
  std::string ToString() const;

  // Prefixes the message with context ("reading EF.SN.ICC: ..."); keeps the code.
  Status Annotate(std::string_view context) const;

  // Explicitly drops a Status that the caller has decided not to act on.
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) { return a.code_ == b.code_; }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// Short constructors: InvalidArgument("...") reads better than Status(StatusCode::..., "...").
Status InvalidArgument(std::string message);
Status NotFound(std::string message);
Status AlreadyExists(std::string message);
Status PermissionDenied(std::string message);
Status Unauthenticated(std::string message);
Status FailedPrecondition(std::string message);
Status OutOfRange(std::string message);
Status Unavailable(std::string message);
Status DeadlineExceeded(std::string message);
Status DataLoss(std::string message);
Status ResourceExhausted(std::string message);
Status Aborted(std::string message);
Status Unimplemented(std::string message);
Status Internal(std::string message);

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit from a value and from a (non-OK) Status, so that `return value;` and
  // `return InvalidArgument(...)` both work.
  Result(T value) : v_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    // An OK status carries no value: that is a bug in the caller, turn it into an error.
    if (std::get<Status>(v_).ok()) v_ = Internal("Result built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }

  T& value() & {
    assert(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<T>(std::move(v_));
  }
  T value_or(T other) const& { return ok() ? std::get<T>(v_) : std::move(other); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

namespace internal {
inline Status AsStatus(const Status& s) { return s; }
template <typename T>
Status AsStatus(const Result<T>& r) {
  return r.status();
}
}  // namespace internal

}  // namespace carnet

#define CARNET_CONCAT_INNER(a, b) a##b
#define CARNET_CONCAT(a, b) CARNET_CONCAT_INNER(a, b)

// CARNET_TRY(expr): returns the Status of `expr` (a Status or a Result) if it is not OK.
#define CARNET_TRY(expr)                                                            \
  do {                                                                              \
    if (auto carnet_try_s = ::carnet::internal::AsStatus(expr); !carnet_try_s.ok()) \
      return carnet_try_s;                                                          \
  } while (0)

// CARNET_ASSIGN_OR_RETURN(lhs, expr): evaluates a Result; on error returns its Status,
// otherwise moves the value into `lhs` (which may be a declaration: `auto x`).
#define CARNET_ASSIGN_OR_RETURN(lhs, expr) \
  CARNET_ASSIGN_OR_RETURN_IMPL(CARNET_CONCAT(carnet_result_, __LINE__), lhs, expr)
#define CARNET_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
