// Steps 5 (per document on read), 6 (on write), document lifecycle and patient settings.
#include <optional>

#include "node/policy/calendar.h"
#include "node/policy/codes.h"
#include "node/policy/engine_internal.h"

namespace carnet::node::policy::internal {
namespace {

using Verdict = std::optional<Decision>;

bool IsAuthor(const Request& r, const Document& doc) {
  return !doc.author.empty() && doc.author == r.actor.idnat;
}

std::string Describe(const Document& doc) {
  return doc.id.empty() ? "document of type " + doc.type : "document " + doc.id;
}

// Matrix step: professionals only, and never against the document's own author (the data
// "remains accessible to the professional who placed it", CSP R1111-49).
Verdict CheckMatrix(const Request& r, const HabilitationMatrix& m, const Document& doc) {
  if (!IsProfessional(r) || IsAuthor(r, doc)) return std::nullopt;
  MatrixAnswer a = m.Lookup(r.actor.profession, r.actor.specialty, doc.type);
  if (a.may_read) return std::nullopt;
  const std::string who = "profession " + r.actor.profession +
                          (r.actor.specialty.empty() ? "" : "/" + r.actor.specialty);
  if (a.cell == nullptr) {
    return Deny(Rule::kHabilitationUnlisted, "no habilitation cell for " + who + " and type " +
                                                 doc.type + "; default: " + m.default_reason());
  }
  return Deny(Rule::kHabilitationDenied,
              "habilitation matrix line " + std::to_string(a.cell->line) + " denies " + who +
                  " type " + doc.type + " (" + (a.cell->assumed ? "assumed: " : "") +
                  a.cell->citation + ")");
}

bool StillInvisibleToPatient(const Request& r, const Document& doc) {
  return doc.invisible_patient && !doc.revealed && r.now < AutomaticReveal(doc.deposited_at);
}

}  // namespace

Decision ReadDocument(const Request& r, const HabilitationMatrix& m, const Document& doc) {
  if (doc.status == DocumentStatus::kDeleted) {
    return Deny(Rule::kDocumentDeleted, Describe(doc) + " was deleted");
  }
  if (Verdict v = CheckMatrix(r, m, doc)) return *v;
  if (doc.masque_ps && !SeesMaskedDocuments(r) && !IsAuthor(r, doc)) {
    return Deny(Rule::kDocumentMasked, Describe(doc) + " is masked (MASQUE_PS)");
  }
  Decision d = Allow(Rule::kAllowRead, Describe(doc) + " may be read");
  if (StillInvisibleToPatient(r, doc)) {
    // CSP R1111-53: no announcement within 2 weeks -> the patient is told an update exists.
    if (r.now >= PatientNoticeDue(doc.deposited_at)) {
      d.obligations.push_back(
          {ObligationKind::kSchedulePatientNotice, PatientNoticeDue(doc.deposited_at)});
    }
    if (!IsProfessional(r)) {
      d.allow = false;
      d.rule = Rule::kDocumentInvisibleToPatient;
      d.reason = Describe(doc) + " is not yet available to the patient (announcement pending)";
      return d;
    }
    d.obligations.push_back({ObligationKind::kWarnNotVisibleToPatient, std::nullopt});
  }
  if (r.actor.kind == ActorKind::kLegalRepresentative && doc.invisible_representatives) {
    return Deny(Rule::kDocumentInvisibleToRepresentatives,
                Describe(doc) + " is not visible to legal representatives");
  }
  return d;
}

namespace {

Verdict CheckWrite(const Request& r, const HabilitationMatrix& m, const Document& doc) {
  const MatrixType* type = m.FindType(doc.type);
  if (type == nullptr) {
    return Deny(Rule::kWriteTypeUnknown, "type " + doc.type + " is not in the DMP type list");
  }
  const bool patient_class = type->class_code == kPatientClass;
  if (IsProfessional(r) && patient_class) {
    return Deny(Rule::kWriteClass90PatientOnly, "class 90 holds the patient's own documents");
  }
  if (!IsProfessional(r) && !patient_class) {
    return Deny(
        Rule::kWritePatientClass90Only,
        "type " + doc.type + " is class " + type->class_code + "; the patient adds class 90");
  }
  if (!doc.confidentiality_explicit) {
    return Deny(Rule::kWriteVisibilityNotExplicit, "document.confidentiality must be stated");
  }
  if (doc.hl7.size() > 1) {
    return Deny(Rule::kWriteConfidentialityConflict, "at most one of N, R, V");
  }
  if (doc.invisible_patient && doc.masque_ps) {
    return Deny(Rule::kWriteInvisibleAndMasked, "INVISIBLE_PATIENT with MASQUE_PS is refused");
  }
  return std::nullopt;
}

Decision Write(const Request& r, const HabilitationMatrix& m, const Document& doc) {
  if (Verdict v = CheckWrite(r, m, doc)) return *v;
  Decision d = Allow(Rule::kAllowWrite, "writing needs no read authorization; class " +
                                            m.FindType(doc.type)->class_code);
  if (r.action == Action::kReplace)
    d.obligations.push_back({ObligationKind::kMarkPreviousObsolete, {}});
  if (doc.invisible_patient) {
    d.obligations.push_back({ObligationKind::kSchedulePatientNotice, PatientNoticeDue(r.now)});
    d.obligations.push_back({ObligationKind::kScheduleReveal, AutomaticReveal(r.now)});
  } else if (IsProfessional(r)) {
    d.obligations.push_back({ObligationKind::kNotifyPatient, std::nullopt});
  }
  if (IsProfessional(r) && r.dossier.default_masking && !doc.masque_ps && !doc.invisible_patient) {
    d.obligations.push_back({ObligationKind::kApplyDefaultMasking, std::nullopt});
  }
  return d;
}

Verdict CheckAuthorOnly(const Request& r, const Document& doc) {
  if (IsAuthor(r, doc)) return std::nullopt;
  switch (r.action) {
    case Action::kReplace:
      return Deny(Rule::kReplaceAuthorOnly, "only the author replaces");
    case Action::kDelete:
      return Deny(Rule::kDeleteAuthorOnly, "only the author deletes");
    case Action::kArchive:
      return Deny(Rule::kArchiveAuthorOnly, "only the author archives");
    default:
      return std::nullopt;
  }
}

Decision Reveal(const Request& r, const Document& doc) {
  if (!IsAuthor(r, doc) && r.actor.idnat != r.dossier.treating_physician) {
    return Deny(Rule::kRevealNotPermitted, "only the author or the treating physician reveals");
  }
  if (!(doc.invisible_patient && !doc.revealed) && !doc.invisible_representatives) {
    return Deny(Rule::kRevealNothingHidden, Describe(doc) + " is not hidden");
  }
  Decision d = Allow(Rule::kAllowLifecycle, Describe(doc) + " made visible");
  d.obligations.push_back({ObligationKind::kNotifyPatient, std::nullopt});
  return d;
}

Decision Lifecycle(const Request& r, const HabilitationMatrix& m, const Document& doc) {
  if (doc.status == DocumentStatus::kDeleted) {
    return Deny(Rule::kDocumentDeleted, Describe(doc) + " was deleted");
  }
  if (Verdict v = CheckAuthorOnly(r, doc)) return *v;
  const bool needs_current = r.action == Action::kReplace || r.action == Action::kArchive;
  if (needs_current && doc.status != DocumentStatus::kCurrent) {
    return Deny(Rule::kDocumentNotCurrent,
                Describe(doc) + " is " + std::string(DocumentStatusName(doc.status)));
  }
  if (r.action == Action::kReplace) return Write(r, m, doc);
  if (r.action == Action::kReveal) return Reveal(r, doc);
  const bool mask = r.action == Action::kMask || r.action == Action::kUnmask;
  if (mask && IsProfessional(r) && !IsAuthor(r, doc) && !IsDesignated(r)) {
    return Deny(Rule::kMaskNotPermitted,
                "a professional masks only as author, treating "
                "physician or administrator");
  }
  return Allow(Rule::kAllowLifecycle, std::string(ActionName(r.action)) + " " + Describe(doc));
}

Decision List(const Request& r, const HabilitationMatrix& m) {
  Decision d = Allow(Rule::kAllowList, "listing: each document filtered as a read");
  for (size_t i = 0; i < r.documents.size(); ++i) {
    if (ReadDocument(r, m, r.documents[i]).allow) d.visible.push_back(i);
  }
  if (!SeesMaskedDocuments(r)) {
    d.obligations.push_back({ObligationKind::kFilterMaskedDocuments, std::nullopt});
  }
  return d;
}

Decision Record(const Request& r) {
  const bool for_other = !r.target.empty() && r.target != r.actor.idnat;
  if (for_other && r.mode == Mode::kNormal) {
    bool has_access = IsDesignated(r);
    for (const auto& a : r.dossier.authorizations) {
      if (a.idnat == r.actor.idnat && (!a.until || r.now < *a.until)) has_access = true;
    }
    if (!has_access) {
      return Deny(Rule::kRecordForOtherNeedsAccess,
                  "recording for " + r.target + " needs the actor's own authorization");
    }
  }
  return Allow(Rule::kAllowRecord, std::string(ActionName(r.action)) + " recorded");
}

Decision Setting(const Request& r) {
  const bool designate = r.action == Action::kDesignateTreatingPhysician ||
                         r.action == Action::kDesignateAdministrator;
  if (designate && Contains(r.dossier.blocked, r.target)) {
    return Deny(Rule::kTargetBlocked, r.target + " is blocked; unblock first");
  }
  return Allow(Rule::kAllowSetting, std::string(ActionName(r.action)));
}

}  // namespace

Decision DecideAction(const Request& r, const HabilitationMatrix& m) {
  switch (r.action) {
    case Action::kOpen:
      return Allow(Rule::kAllowOpen, "dossier opened with the patient's consent");
    case Action::kStatus:
      return Allow(Rule::kAllowStatus, "dossier status");
    case Action::kDeposit:
    case Action::kAddOwnDocument:
      return Write(r, m, *r.document);
    case Action::kReplace:
    case Action::kDelete:
    case Action::kArchive:
    case Action::kReveal:
    case Action::kMask:
    case Action::kUnmask:
      return Lifecycle(r, m, *r.document);
    case Action::kRead:
      return ReadDocument(r, m, *r.document);
    case Action::kList:
      return List(r, m);
    case Action::kTraces: {
      Decision d = Allow(Rule::kAllowTraces, "traces");
      if (IsProfessional(r) && !IsDesignated(r)) {
        d.obligations.push_back({ObligationKind::kFilterTracesToActor, std::nullopt});
      }
      return d;
    }
    case Action::kRecordConsent:
    case Action::kRecordCareTeam:
    case Action::kRecordOpposition:
      return Record(r);
    case Action::kClose: {
      Decision d = Allow(Rule::kAllowClose, "dossier closed; archived 10 years");
      d.obligations.push_back({ObligationKind::kDestroyOnRetentionExpiry, RetentionEnd(r.now)});
      return d;
    }
    case Action::kRequestDeletion: {
      Decision d = Allow(Rule::kAllowDeletionRequest, "deletion honoured within 3 months");
      d.obligations.push_back({ObligationKind::kDestroyOnRequest, DeletionDue(r.now)});
      return d;
    }
    default:
      return Setting(r);
  }
}

}  // namespace carnet::node::policy::internal
