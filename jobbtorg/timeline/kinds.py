"""Every kind of timeline event, as one enum (issue 9 item 6, docs/adr/0017).

The stored value is the enum's value — readable, subject_action_outcome, the same strings the
table held before the enum existed — so old rows stay valid and need no migration. `append`
refuses a kind that is not listed here: a new event gets a member first, and a reader finds
every event the file can hold in one place. Old and new values of a change go in the entry's
`data` (e.g. {"old": ..., "new": ...}), not in the kind.
"""

from enum import StrEnum


class EventKind(StrEnum):
    # referral and enrolment
    REFERRAL_RECEIVED = "referral_received"
    REFERRAL_RETURNED = "referral_returned"
    REFERRAL_RESUBMITTED = "referral_resubmitted"
    REFERRAL_WITHDRAWN = "referral_withdrawn"
    APPOINTMENT_BOOKED = "appointment_booked"
    APPOINTMENT_RESCHEDULED = "appointment_rescheduled"
    APPOINTMENT_CANCELLED = "appointment_cancelled"
    APPOINTMENT_HELD = "appointment_held"
    APPOINTMENT_NO_SHOW = "appointment_no_show"
    COACH_ASSIGNED = "coach_assigned"
    PARTICIPANT_ARRIVED = "participant_arrived"
    INFORMATION_SIGNED_OFF = "information_signed_off"
    AF_REGISTRATION_RECORDED = "af_registration_recorded"
    JOB_GUARANTEE_OFFER_MADE = "job_guarantee_offer_made"
    # assessment and plan
    ASSESSMENT_STARTED = "assessment_started"
    ASSESSMENT_COMPLETED = "assessment_completed"
    ASSESSMENT_REVISION_STARTED = "assessment_revision_started"
    PLAN_CREATED = "plan_created"
    PLAN_SUBMITTED = "plan_submitted"
    PLAN_APPROVED = "plan_approved"
    PLAN_RETURNED = "plan_returned"
    PLAN_REJECTED = "plan_rejected"
    PLAN_REVISION_STARTED = "plan_revision_started"
    # activities and attendance
    ACTIVITY_CREATED = "activity_created"
    ACTIVITY_CHANGED = "activity_changed"
    ACTIVITY_FOLLOWED_UP = "activity_followed_up"
    ACTIVITY_ENDED_AT_CLOSURE = "activity_ended_at_closure"
    SESSIONS_PLANNED = "sessions_planned"
    ATTENDANCE_REGISTERED = "attendance_registered"
    ATTENDANCE_CORRECTED = "attendance_corrected"
    DEVIATION_REPORTED = "deviation_reported"
    DEVIATION_ACKNOWLEDGED = "deviation_acknowledged"
    DEVIATION_WITHDRAWN = "deviation_withdrawn"
    # interruption, closure and follow-up
    PARTICIPATION_INTERRUPTED = "participation_interrupted"
    PARTICIPATION_RESTARTED = "participation_restarted"
    PARTICIPATION_CLOSED = "participation_closed"
    FOLLOWUP_RECORDED = "followup_recorded"
    FOLLOWUP_CHANGED = "followup_changed"
    # employment support
    SUBSIDY_CASE_CREATED = "subsidy_case_created"
    SUBSIDY_CASE_CHANGED = "subsidy_case_changed"
    SUBSIDY_CASE_REFUSED = "subsidy_case_refused"
    SUBSIDY_CASE_WITHDRAWN = "subsidy_case_withdrawn"
    SUBSIDY_CASE_ENDED = "subsidy_case_ended"
    SUBSIDY_DECISION_RECORDED = "subsidy_decision_recorded"
    SUBSIDY_STEP_COMPLETED = "subsidy_step_completed"
    SUBSIDY_TERMINATED_EARLY = "subsidy_terminated_early"
    ELIGIBILITY_FACTS_CHANGED = "eligibility_facts_changed"
    LABOUR_MARKET_HISTORY_CHANGED = "labour_market_history_changed"
    OSA_CASE_CREATED = "osa_case_created"
    OSA_PLAN_SAVED = "osa_plan_saved"
    OSA_MEETING_RECORDED = "osa_meeting_recorded"
    OSA_REVIEW_RECORDED = "osa_review_recorded"
    OSA_EXTENDED = "osa_extended"
    OSA_TRANSFER_DECIDED = "osa_transfer_decided"
    OSA_HANDED_OVER = "osa_handed_over"
    OSA_CASE_ENDED = "osa_case_ended"
    # the timeline's own
    NOTE_RECORDED = "note_recorded"  # a case note (journalanteckning), typed and dated
    ENTRY_CORRECTED = "entry_corrected"


def event_kind(kind: "EventKind | str") -> EventKind:
    """The member for `kind`; ValueError names the unknown kind (a typo, or a missing member)."""
    try:
        return EventKind(kind)
    except ValueError:
        raise ValueError(f"unknown timeline event kind {kind!r}: add it to timeline.kinds.EventKind") from None
