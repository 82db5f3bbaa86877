#include "hal/base/status.h"

namespace carnet {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid argument";
    case StatusCode::kNotFound:
      return "not found";
    case StatusCode::kAlreadyExists:
      return "already exists";
    case StatusCode::kPermissionDenied:
      return "permission denied";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kFailedPrecondition:
      return "failed precondition";
    case StatusCode::kOutOfRange:
      return "out of range";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kDeadlineExceeded:
      return "deadline exceeded";
    case StatusCode::kDataLoss:
      return "data loss";
    case StatusCode::kResourceExhausted:
      return "resource exhausted";
    case StatusCode::kAborted:
      return "aborted";
    case StatusCode::kUnimplemented:
      return "unimplemented";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code_));
  out += ": ";
  out += message_;
  return out;
}

Status Status::Annotate(std::string_view context) const {
  if (ok()) return *this;
  std::string m(context);
  m += ": ";
  m += message_;
  return Status(code_, std::move(m));
}

#define CARNET_STATUS_CTOR(Name, Code) \
  Status Name(std::string message) { return Status(StatusCode::Code, std::move(message)); }
CARNET_STATUS_CTOR(InvalidArgument, kInvalidArgument)
CARNET_STATUS_CTOR(NotFound, kNotFound)
CARNET_STATUS_CTOR(AlreadyExists, kAlreadyExists)
CARNET_STATUS_CTOR(PermissionDenied, kPermissionDenied)
CARNET_STATUS_CTOR(Unauthenticated, kUnauthenticated)
CARNET_STATUS_CTOR(FailedPrecondition, kFailedPrecondition)
CARNET_STATUS_CTOR(OutOfRange, kOutOfRange)
CARNET_STATUS_CTOR(Unavailable, kUnavailable)
CARNET_STATUS_CTOR(DeadlineExceeded, kDeadlineExceeded)
CARNET_STATUS_CTOR(DataLoss, kDataLoss)
CARNET_STATUS_CTOR(ResourceExhausted, kResourceExhausted)
CARNET_STATUS_CTOR(Aborted, kAborted)
CARNET_STATUS_CTOR(Unimplemented, kUnimplemented)
CARNET_STATUS_CTOR(Internal, kInternal)
#undef CARNET_STATUS_CTOR

}  // namespace carnet
