"""The one write path for deadlines. Domain services call these inside their transactions."""

import datetime
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from jobbtorg.deadlines import rules
from jobbtorg.deadlines.models import Deadline
from jobbtorg.deadlines.rules import Kind
from jobbtorg.participations.models import Interruption, Participation


def open_deadline(
    participation: Participation,
    kind: Kind,
    start: datetime.date | None = None,
    *,
    due: datetime.date | None = None,
    subject_id: int | None = None,
) -> Deadline:
    """Start a clock: due from the rule and `start`, or an explicit `due`. Idempotent per subject."""
    if due is None:
        if start is None:
            raise ValueError("open_deadline needs start or due")
        due = rules.due_date(kind, start)
    existing = Deadline.objects.filter(
        participation=participation, kind=kind, subject_id=subject_id, status=Deadline.Status.OPEN
    ).first()
    if existing:
        if existing.due_date != due:
            existing.due_date = due
            existing.save(update_fields=["due_date"])
        return existing
    responsible = rules.RULES[kind].responsible
    paused_on = participation_paused_on(participation)
    return Deadline.objects.create(
        participation=participation,
        kind=kind,
        subject_id=subject_id,
        due_date=due,
        responsible=responsible,
        district_id=participation.home_district_id if responsible == "district" else None,
        # Opened during an interruption: paused too, unless it had run out before the interruption began.
        paused_on=paused_on if paused_on is not None and due >= paused_on else None,
    )


def participation_paused_on(participation: Participation) -> datetime.date | None:
    """The day the participation's clocks stopped: its running interruption's start, if any."""
    running = (
        Interruption.objects.filter(participation=participation, end_date__isnull=True)
        .values_list("start_date", flat=True)
        .first()
    )
    if running is not None:
        return running
    paused = _participation_clocks(participation).filter(paused_on__isnull=False).values_list(
        "paused_on", flat=True
    ).first()
    return paused


def complete(participation: Participation, kind: Kind, on: datetime.date, subject_id: int | None = None) -> int:
    """Stop a clock because the thing was done. Returns how many were closed."""
    return _open(participation, kind, subject_id).update(status=Deadline.Status.DONE, done_on=on)


def cancel(participation: Participation, kind: Kind, on: datetime.date, subject_id: int | None = None) -> int:
    return _open(participation, kind, subject_id).update(status=Deadline.Status.CANCELLED, done_on=on)


def cancel_at_closure(participation: Participation, on: datetime.date) -> int:
    """At closure every running clock stops, except the post-closure follow-ups."""
    return (
        _participation_clocks(participation).filter(status=Deadline.Status.OPEN)
        .exclude(kind__in=[k.value for k in rules.POST_CLOSURE])
        .update(status=Deadline.Status.CANCELLED, done_on=on)
    )


def pause(participation: Participation, on: datetime.date) -> None:
    """Interruption: every open clock of the participation stops on `on`.

    A clock that had already run out before `on` does not stop: it stays overdue. So an
    interruption registered after the fact leaves a passed deadline (the 18 months, a plan never
    drawn up) as overdue as it was on the day the interruption began.
    """
    _participation_clocks(participation).filter(
        status=Deadline.Status.OPEN, paused_on__isnull=True, due_date__gte=on
    ).update(paused_on=on)


def resume(participation: Participation, on: datetime.date) -> None:
    """Restart: each paused clock's due date moves by the length of the pause."""
    for deadline in _participation_clocks(participation).filter(status=Deadline.Status.OPEN, paused_on__isnull=False):
        deadline.due_date = rules.shift_for_pause(deadline.due_date, deadline.paused_on, on)  # type: ignore[arg-type]
        deadline.paused_on = None
        deadline.save(update_fields=["due_date", "paused_on"])


def _participation_clocks(participation: Participation) -> QuerySet[Deadline]:
    """The participation's own clocks: not those its subjects' services keep (rules.SUBJECT_KINDS)."""
    return Deadline.objects.filter(participation=participation).exclude(kind__in=[str(k) for k in rules.SUBJECT_KINDS])


def _open(participation: Participation, kind: Kind, subject_id: int | None) -> QuerySet[Deadline]:
    qs = Deadline.objects.filter(participation=participation, kind=kind, status=Deadline.Status.OPEN)
    if subject_id is not None:
        qs = qs.filter(subject_id=subject_id)
    return qs


def state(deadline: Deadline, today: datetime.date) -> rules.State:
    """overdue | due | upcoming | paused | done: rules.state_of over a stored row."""
    return rules.state_of(is_open=deadline.status == Deadline.Status.OPEN, due=deadline.due_date,
                          paused_on=deadline.paused_on, today=today)


# --- deadlines of other subjects (subsidy steps, OSA follow-ups, the coming modules) ---------------


@dataclass(frozen=True)
class Clock:
    """One wanted deadline of a subject, as the subject's own rules compute it."""

    kind: Kind
    subject_id: int
    due: datetime.date
    done_on: datetime.date | None = None
    paused_on: datetime.date | None = None
    cancelled: bool = False


def set_subject_deadlines(
    kinds: Collection[Kind],
    subject_ids: Collection[int],
    clocks: Iterable[Clock],
    *,
    participation_id: int | None = None,
    district_id: int | None = None,
) -> None:
    """Replace the stored deadlines of `kinds` for these subjects with `clocks`.

    For subjects whose own rules compute their due dates from all their facts (a subsidy case's
    steps, an OSA case's follow-ups): the service that changed a fact recomputes them whole and
    stores them here, inside its transaction, so nothing else ever computes them again.
    """
    Deadline.objects.filter(kind__in=[str(k) for k in kinds], subject_id__in=list(subject_ids)).delete()
    rows = []
    for clock in clocks:
        status = Deadline.Status.OPEN
        if clock.cancelled:
            status = Deadline.Status.CANCELLED
        elif clock.done_on is not None:
            status = Deadline.Status.DONE
        rows.append(Deadline(
            participation_id=participation_id, kind=clock.kind, subject_id=clock.subject_id, due_date=clock.due,
            status=status, responsible=rules.RULES[clock.kind].responsible, district_id=district_id,
            paused_on=clock.paused_on if status == Deadline.Status.OPEN else None, done_on=clock.done_on,
        ))  # fmt: skip
    Deadline.objects.bulk_create(rows)
