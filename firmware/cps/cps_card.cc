// CpsCard: application selection, holder data, certificates and the PIN (cps_card.h).
#include "firmware/cps/cps_card.h"

#include "firmware/cps/cps_internal.h"
#include "hal/base/tlv.h"

namespace carnet::fw::cps {

using hal::ResponseApdu;
namespace in = internal;

std::string_view PinOutcomeName(PinOutcome outcome) {
  switch (outcome) {
    case PinOutcome::kOk:
      return "ok";
    case PinOutcome::kWrong:
      return "wrong";
    case PinOutcome::kBlocked:
      return "blocked";
  }
  return "?";
}

CpsCard::CpsCard(hal::CardReader& reader) : reader_(reader) {}

Result<ResponseApdu> CpsCard::Exchange(const hal::CommandApdu& command) {
  auto r = reader_.Transmit(command);
  if (r.ok()) return r;
  // The card's volatile state is gone (reset) or the card is gone: so is the PIN state.
  if (hal::IsCardStateLost(r.status()) || hal::IsCardRemoved(r.status())) {
    if (verified_session_ && hal::IsCardStateLost(r.status())) state_lost_ = true;
    verified_session_.reset();
    app_selected_ = false;
  }
  return r.status();
}

Status CpsCard::SelectApplication() {
  if (app_selected_ && selected_session_ == reader_.card_session()) return Status();
  CARNET_ASSIGN_OR_RETURN(ResponseApdu r, Exchange(in::SelectAid(in::kIasAid)));
  if (!r.ok()) return SwToStatus(r.sw, "SELECT CPS IAS application");
  app_selected_ = true;
  selected_session_ = reader_.card_session();
  return Status();
}

// SELECT with FCP (file size), then READ BINARY in chunks of at most 0xE7 bytes.
Result<Bytes> CpsCard::ReadFile(uint16_t fid, std::string_view what) {
  const std::string op = "read " + std::string(what);
  hal::CommandApdu select = fid == in::kEfSnIcc ? in::SelectPath({0x3F00, fid}, true)
                                                : in::SelectPath({0x3F00, 0x0001, fid}, true);
  CARNET_ASSIGN_OR_RETURN(ResponseApdu sel, Exchange(select));
  if (!sel.ok()) return SwToStatus(sel.sw, op);
  auto size = in::FcpFileSize(sel.data);
  if (!size.ok()) return DataLoss(op + ": " + size.status().message());
  Bytes content;
  content.reserve(*size);
  while (content.size() < *size) {
    const size_t want = std::min(in::kReadChunk, *size - content.size());
    CARNET_ASSIGN_OR_RETURN(ResponseApdu r, Exchange(in::ReadBinary(content.size(), want)));
    if (!r.ok()) return SwToStatus(r.sw, op);
    if (r.data.empty() || r.data.size() > want) {
      return DataLoss(op + ": READ BINARY returned " + std::to_string(r.data.size()) +
                      " bytes for " + std::to_string(want));
    }
    Append(content, r.data);
  }
  return content;
}

Result<Bytes> CpsCard::ReadCertificate(uint16_t fid, std::string_view what) {
  CARNET_TRY(SelectApplication());
  CARNET_ASSIGN_OR_RETURN(Bytes der, ReadFile(fid, what));
  // One DER SEQUENCE covering the whole file: anything else is not a certificate.
  auto tlv = ParseSingleTlv(der);
  if (!tlv.ok() || tlv->tag != 0x30) {
    return DataLoss("read " + std::string(what) + ": not one DER SEQUENCE");
  }
  return der;
}

Result<Bytes> CpsCard::ReadAutCertificate() {
  CARNET_ASSIGN_OR_RETURN(Bytes der, ReadCertificate(in::kEfCertAut, "AUT certificate"));
  aut_cert_der_ = der;
  return der;
}

Result<Bytes> CpsCard::ReadSigCertificate() {
  CARNET_ASSIGN_OR_RETURN(Bytes der, ReadCertificate(in::kEfCertSig, "SIG certificate"));
  sig_cert_der_ = der;
  return der;
}

Result<HolderIdentity> CpsCard::ReadIdentity() {
  HolderIdentity id;
  CARNET_ASSIGN_OR_RETURN(Bytes sn, ReadFile(in::kEfSnIcc, "EF.SN.ICC"));
  CARNET_ASSIGN_OR_RETURN(id.card_number, in::ParseCardNumber(sn));
  app_selected_ = false;  // the path SELECT left the MF current
  CARNET_TRY(SelectApplication());
  CARNET_ASSIGN_OR_RETURN(Bytes name, ReadFile(in::kEfNamePs, "CPS_NAME_PS"));
  CARNET_TRY(in::ParseNamePs(name, id));
  CARNET_ASSIGN_OR_RETURN(Bytes info, ReadFile(in::kEfInfoPs, "CPS_INFO_PS"));
  CARNET_TRY(in::ParseInfoPs(info, id));
  CARNET_ASSIGN_OR_RETURN(id.aut_certificate_der, ReadAutCertificate());
  CARNET_ASSIGN_OR_RETURN(id.sig_certificate_der, ReadSigCertificate());
  return id;
}

Result<std::vector<Situation>> CpsCard::ReadSituations() {
  CARNET_TRY(SelectApplication());
  std::vector<Situation> out;
  for (int i = 0; i < in::kSituationFiles; ++i) {
    auto content = ReadFile(static_cast<uint16_t>(in::kEfSituationFirst + i), "situation");
    if (!content.ok() && content.status().code() == StatusCode::kNotFound) break;
    if (!content.ok()) return content.status();
    CARNET_ASSIGN_OR_RETURN(Situation s, in::ParseSituation(*content));
    out.push_back(std::move(s));
  }
  return out;
}

// ---- PIN ----

bool CpsCard::pin_verified() const {
  return verified_session_.has_value() && *verified_session_ == reader_.card_session();
}

void CpsCard::ForgetPin() {
  verified_session_.reset();
  state_lost_ = false;
}

Result<PinResult> CpsCard::PinAnswer(const ResponseApdu& r, std::string_view operation) {
  if (r.ok()) return PinResult{PinOutcome::kOk, -1};
  if ((r.sw & 0xFFF0) == 0x63C0) {
    const int left = r.sw & 0x0F;
    return PinResult{left == 0 ? PinOutcome::kBlocked : PinOutcome::kWrong, left};
  }
  if (r.sw == 0x6983) return PinResult{PinOutcome::kBlocked, 0};
  return SwToStatus(r.sw, operation);
}

Result<PinStatusInfo> CpsCard::PinStatus() {
  CARNET_TRY(SelectApplication());
  CARNET_ASSIGN_OR_RETURN(ResponseApdu r, Exchange(in::VerifyCmd({})));
  PinStatusInfo info;
  if (r.ok()) {
    // The card itself says its PIN is verified in this power cycle (e.g. by an earlier
    // command of the terminal, the card left powered with SCARD_LEAVE_CARD): key operations
    // may go on without the PIN being presented again. A reset clears it on the card.
    info.verified = true;
    verified_session_ = reader_.card_session();
    state_lost_ = false;
  } else if ((r.sw & 0xFFF0) == 0x63C0) {
    info.tries_left = r.sw & 0x0F;
    info.blocked = info.tries_left == 0;
  } else if (r.sw == 0x6983) {
    info.tries_left = 0;
    info.blocked = true;
  } else {
    return SwToStatus(r.sw, "PIN status");
  }
  return info;
}

namespace {
Status CheckDigits(const crypto::SecretBytes& s, size_t length, std::string_view what) {
  if (s.size() != length) {
    return InvalidArgument(std::string(what) + " must be " + std::to_string(length) + " digits");
  }
  for (uint8_t c : s.view()) {
    if (c < '0' || c > '9') return InvalidArgument(std::string(what) + " must be digits only");
  }
  return Status();
}
}  // namespace

Result<PinResult> CpsCard::VerifyPin(const crypto::SecretBytes& pin) {
  // Checked here so a typo never costs a try (AODF: ASCII-numeric, stored length 4).
  CARNET_TRY(CheckDigits(pin, in::kPinLength, "the PIN"));
  CARNET_TRY(SelectApplication());
  hal::CommandApdu cmd = in::VerifyCmd(pin.view());
  auto r = Exchange(cmd);
  crypto::Zeroize(cmd.data);
  if (!r.ok()) return r.status();
  CARNET_ASSIGN_OR_RETURN(PinResult result, PinAnswer(*r, "VERIFY PIN"));
  if (result.outcome == PinOutcome::kOk) {
    verified_session_ = reader_.card_session();
    state_lost_ = false;
  } else {
    verified_session_.reset();
  }
  return result;
}

Result<PinResult> CpsCard::Unblock(const crypto::SecretBytes& puk,
                                   const crypto::SecretBytes& new_pin) {
  CARNET_TRY(CheckDigits(puk, in::kPukLength, "the PUK"));
  CARNET_TRY(CheckDigits(new_pin, in::kPinLength, "the new PIN"));
  CARNET_TRY(SelectApplication());
  crypto::SecretBytes data(puk.size() + new_pin.size());
  std::copy(puk.view().begin(), puk.view().end(), data.mutable_view().begin());
  std::copy(new_pin.view().begin(), new_pin.view().end(),
            data.mutable_view().begin() + static_cast<std::ptrdiff_t>(puk.size()));
  hal::CommandApdu cmd = hal::CommandApdu::MakeData(0x00, 0x2C, 0x00, in::kPinRef, data.view());
  auto r = Exchange(cmd);
  crypto::Zeroize(cmd.data);
  if (!r.ok()) return r.status();
  verified_session_.reset();  // a new PIN must be presented
  return PinAnswer(*r, "RESET RETRY COUNTER");
}

}  // namespace carnet::fw::cps
