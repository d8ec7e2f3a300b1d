"""SQLModel tables. Names follow the domain vocabulary in docs/architecture.md."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class Role(StrEnum):
    """A person's role in the workspace; facilitating belongs to a group (GroupRole)."""

    MEMBER = "member"
    ADMIN = "admin"


class IdeaStatus(StrEnum):
    NEW = "new"
    CONSIDERING = "considering"
    GREEN_LIT = "green-lit"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    PARKED = "parked"
    WITHDRAWN = "withdrawn"


class DeliveryState(StrEnum):
    """An outbox row's life: waiting, being sent under a lease, then one of the two ends."""

    PENDING = "pending"
    SENDING = "sending"
    DELIVERED = "delivered"
    FAILED = "failed"


def utcnow() -> datetime:
    """The real clock: timezone-aware, UTC. Only composition roots pass it in; everything that
    stamps a row takes `now` from its caller, so tests run at any moment they choose."""
    return datetime.now(UTC)


def _timestamp(**kwargs: Any) -> Any:
    """A timezone-aware timestamp column (typed Any, as SQLModel's own Field is)."""
    return Field(sa_type=sa.DateTime(timezone=True), **kwargs)


class Workspace(SQLModel, table=True):
    """A Slack team, a Teams tenant or the local console: the idea counter and the settings
    that hold for every group in it (time zone, retention, quiet voices)."""

    __table_args__ = (sa.UniqueConstraint("platform", "external_id", name="uq_workspace_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=255)
    timezone: str = Field(default="Europe/London", max_length=64)
    last_idea_number: int = Field(default=0)
    quiet_voices_after: str = Field(default="28d", max_length=16)  # a duration, or "off"
    retention: str = Field(default="365d", max_length=16)
    created_at: datetime = _timestamp()


class GroupRole(StrEnum):
    MEMBER = "member"
    FACILITATOR = "facilitator"


class Group(SQLModel, table=True):
    """One advisory group: a channel a facilitator made a group, with its own settings.

    `channel_id` is None only for the group an upgrade made from a workspace that had no
    channel yet: the first channel a facilitator runs /meeting or /agenda in becomes its own.
    """

    __tablename__ = "advisory_group"
    __table_args__ = (sa.UniqueConstraint("workspace_id", "channel_id", name="uq_group_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    channel_id: str | None = Field(default=None, max_length=255)
    channel_address: str | None = Field(default=None, sa_type=sa.Text)
    name: str = Field(max_length=80)
    # Reflection settings, as people write them in `/coproduce settings` (bot/durations.py).
    reflection_delay: str = Field(default="next-morning", max_length=32)
    quiet_hours: str = Field(default="20:00-09:00", max_length=16)
    reminder_after: str = Field(default="2d", max_length=16)
    reflection_window: str = Field(default="7d", max_length=16)
    anonymous_default: bool = Field(default=False)
    digest_schedule: str = Field(default="fri 16:00", max_length=16)  # or "off"
    agenda_votes: str = Field(default="3", max_length=16)  # votes each person has per agenda
    channel_language: str = Field(default="en", max_length=8)  # channel posts: en, cy or both
    digest_channel: str | None = Field(default=None, max_length=255)  # None: its own channel
    digest_address: str | None = Field(default=None, sa_type=sa.Text)
    last_digest_at: datetime | None = _timestamp(default=None, nullable=True)
    created_at: datetime = _timestamp()


class GroupMember(SQLModel, table=True):
    """Someone in a group's channel (or a guest invited to it), and whether they facilitate it."""

    __tablename__ = "group_member"
    __table_args__ = (sa.UniqueConstraint("group_id", "person_id", name="uq_group_member"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(foreign_key="advisory_group.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str = Field(default=GroupRole.MEMBER, max_length=16)
    joined_at: datetime = _timestamp()


class Person(SQLModel, table=True):
    """One user on one platform, with role, preferences and where to reach them privately."""

    __table_args__ = (sa.UniqueConstraint("workspace_id", "external_id", name="uq_person_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    external_id: str = Field(max_length=255)
    display_name: str | None = Field(default=None, max_length=255)
    # Another id the platform knows them by (Teams: Azure AD object id); COPRODUCE_ADMINS may
    # name either.
    alias: str | None = Field(default=None, max_length=255)
    role: str = Field(default=Role.MEMBER, max_length=16)
    anonymous_default: bool = Field(default=False)
    anonymous_chosen: bool = Field(default=False)  # False: the workspace's default applies
    paused: bool = Field(default=False)
    paused_until: datetime | None = _timestamp(default=None, nullable=True)  # None: until resumed
    nudges_off: bool = Field(default=False)
    language: str = Field(default="en", max_length=8)  # what the bot says to them: en or cy
    public_thanks: bool = Field(default=True)  # credits to them named in the group's digest
    last_nudged_at: datetime | None = _timestamp(default=None, nullable=True)
    welcomed_at: datetime | None = _timestamp(default=None, nullable=True)
    consented_at: datetime | None = _timestamp(default=None, nullable=True)
    # Opaque, adapter-serialised address of the person's 1:1 chat, for proactive messages.
    direct_address: str | None = Field(default=None, sa_type=sa.Text)
    # The platform that reaches them when it is not the workspace's own (a guest: email).
    platform: str | None = Field(default=None, max_length=16)
    created_at: datetime = _timestamp()


class Idea(SQLModel, table=True):
    """A contribution. `number` is the reference people see, counted per workspace."""

    __table_args__ = (sa.UniqueConstraint("workspace_id", "number", name="uq_idea_number"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    number: int
    author_id: int = Field(foreign_key="person.id", index=True)
    anonymous: bool = Field(default=False)
    text: str = Field(sa_type=sa.Text)
    source: str = Field(default="direct", max_length=16)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    # None until its author says which of their groups it is for, or when they are in none.
    group_id: int | None = Field(default=None, foreign_key="advisory_group.id", index=True)
    status: str = Field(default=IdeaStatus.NEW, max_length=16, index=True)
    created_at: datetime = _timestamp(index=True)
    updated_at: datetime = _timestamp()


class Meeting(SQLModel, table=True):
    """A session of the group in one channel; its end opens a reflection window.

    The reflection times are computed when it ends and kept here: the worker's scheduler is
    reconciled from these rows, and the `*_sent_at` marks make each step happen once.
    """

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="advisory_group.id", index=True)
    channel_id: str = Field(max_length=255, index=True)
    external_id: str | None = Field(default=None, max_length=255)
    title: str = Field(max_length=300)
    facilitator_id: int | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="running", max_length=16)  # scheduled, running, ended
    scheduled_for: datetime | None = _timestamp(default=None, nullable=True)
    started_at: datetime | None = _timestamp(default=None, nullable=True)
    ended_at: datetime | None = _timestamp(default=None, nullable=True)
    prompt_at: datetime | None = _timestamp(default=None, nullable=True)
    reminder_at: datetime | None = _timestamp(default=None, nullable=True)
    closes_at: datetime | None = _timestamp(default=None, nullable=True)
    prompts_sent_at: datetime | None = _timestamp(default=None, nullable=True)
    reminder_sent_at: datetime | None = _timestamp(default=None, nullable=True)
    closed_at: datetime | None = _timestamp(default=None, nullable=True)
    attendance_confirmed_at: datetime | None = _timestamp(default=None, nullable=True)


class MeetingParticipant(SQLModel, table=True):
    """Someone in a meeting, and how they answered its reflection prompt."""

    __tablename__ = "meeting_participant"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "person_id", name="uq_participant"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    # Everyone in the channel counts as there until the facilitator says someone was not.
    present: bool = Field(default=True)
    prompted_at: datetime | None = _timestamp(default=None, nullable=True)
    response: str | None = Field(default=None, max_length=16)  # "afterthought" or "nothing"
    responded_at: datetime | None = _timestamp(default=None, nullable=True)


class StatusChange(SQLModel, table=True):
    """One step in an idea's history: who moved it, to what, when, and the note why."""

    __tablename__ = "status_change"

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    status: str = Field(max_length=16)
    note: str | None = Field(default=None, sa_type=sa.Text)
    changed_by_id: int | None = Field(default=None, foreign_key="person.id")
    changed_at: datetime = _timestamp(index=True)


class AgendaItem(SQLModel, table=True):
    """Something proposed for the next session; triage keeps the best half, parks the rest."""

    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="advisory_group.id", index=True)
    proposer_id: int = Field(foreign_key="person.id", index=True)
    text: str = Field(sa_type=sa.Text)
    # proposed → kept (shortlisted) or parked → discussed (at /meeting end); parked can come back
    status: str = Field(default="proposed", max_length=16)
    position: int | None = Field(default=None)  # order among the kept items
    created_at: datetime = _timestamp()
    triaged_at: datetime | None = _timestamp(default=None, nullable=True)


class AgendaVote(SQLModel, table=True):
    """One person's vote for one agenda item; tallies stay hidden until triage."""

    __tablename__ = "agenda_vote"
    __table_args__ = (sa.UniqueConstraint("item_id", "person_id", name="uq_agenda_vote"),)

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="agenda_item.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)


class AuditEntry(SQLModel, table=True):
    """Who did what to what, and when: ids and action names only, never content.

    Person ids are plain numbers (no foreign key) so the record outlives an erased person.
    """

    __tablename__ = "audit_entry"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    actor_id: int | None = Field(default=None)
    action: str = Field(max_length=32)
    subject_type: str = Field(max_length=16)
    subject_id: int | None = Field(default=None)
    detail: str | None = Field(default=None, max_length=64)  # a status or mode, never text
    at: datetime = _timestamp()


class ProcessedDelivery(SQLModel, table=True):
    """Platform delivery ids already handled, so a retried delivery changes nothing."""

    __tablename__ = "processed_delivery"

    key: str = Field(primary_key=True, max_length=255)
    processed_at: datetime = _timestamp()


class Credit(SQLModel, table=True):
    """A facilitator's thanks to one person, optionally for one idea."""

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    given_by_id: int = Field(foreign_key="person.id")
    idea_id: int | None = Field(default=None, foreign_key="idea.id", index=True)
    # The group whose digest thanks them: where it was given, or the idea's group.
    group_id: int | None = Field(default=None, foreign_key="advisory_group.id", index=True)
    reason: str = Field(sa_type=sa.Text)
    created_at: datetime = _timestamp(index=True)


class TimeSpent(SQLModel, table=True):
    """Time someone gave outside meetings (preparing, reading, travelling), for their record
    of involvement and for paying people for their time."""

    __tablename__ = "time_spent"

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="advisory_group.id", index=True)
    minutes: int
    what: str = Field(max_length=200)
    added_at: datetime = _timestamp()


class Contribution(SQLModel, table=True):
    """Someone other than the author who hears about an idea: credited for it, or following it."""

    __table_args__ = (sa.UniqueConstraint("idea_id", "person_id", "kind", name="uq_contribution"),)

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    kind: str = Field(max_length=16)  # "credited" or "following"
    created_at: datetime = _timestamp()


class OutboxDelivery(SQLModel, table=True):
    """One proactive message, written with the change that caused it and sent by the worker.

    `idempotency_key` (change + person) makes writing it twice harmless; the lease lets a second
    worker take over a row whose worker died, and never a row that is still being sent.
    """

    __tablename__ = "outbox_delivery"
    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    idempotency_key: str = Field(max_length=255, unique=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    channel_id: str | None = Field(default=None, max_length=255)
    channel_address: str | None = Field(default=None, sa_type=sa.Text)
    kind: str = Field(max_length=32)
    message: str = Field(sa_type=sa.Text)  # neutral message as JSON
    status: str = Field(default=DeliveryState.PENDING, max_length=16)
    attempts: int = Field(default=0)
    next_attempt_at: datetime = _timestamp()
    lease_until: datetime | None = _timestamp(default=None, nullable=True)
    last_error: str | None = Field(default=None, max_length=255)
    created_at: datetime = _timestamp()
    delivered_at: datetime | None = _timestamp(default=None, nullable=True)


class Guest(SQLModel, table=True):
    """Someone taking part by email and a private web page, invited to one group.

    Their link is derived from `link_salt` and the secret key, so an email can carry it again;
    only its hash is kept. A new salt (renewal) or none (removal) ends the old link at once.
    """

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", unique=True)
    group_id: int = Field(foreign_key="advisory_group.id", index=True)
    email: str = Field(max_length=254)
    link_salt: str | None = Field(default=None, max_length=64)
    link_hash: str | None = Field(default=None, max_length=64, unique=True)
    invited_by_id: int | None = Field(default=None, foreign_key="person.id")
    invited_at: datetime = _timestamp()
    removed_at: datetime | None = _timestamp(default=None, nullable=True)
    emails_off: bool = Field(default=False)


class ReportLink(SQLModel, table=True):
    """A sign-in link to the impact report, from `/coproduce report`: it works once, soon.

    The link carries `nonce` signed with the secret key; this row says whose it is, when it was
    made and whether it has been used. Old rows go in the daily purge.
    """

    __tablename__ = "report_link"

    nonce: str = Field(primary_key=True, max_length=64)
    person_id: int = Field(foreign_key="person.id", index=True)
    issued_at: datetime = _timestamp(index=True)
    used_at: datetime | None = _timestamp(default=None, nullable=True)


class _HasId(Protocol):
    id: int | None


def id_of(row: _HasId) -> int:
    """The id of a stored row. Every row read, or written and flushed, has one; SQLModel types
    it optional only because a new row has none until then."""
    if row.id is None:
        raise ValueError(f"{type(row).__name__} has no id yet: flush it first")
    return row.id


def table_of(model: type[SQLModel]) -> sa.Table:
    """The table behind a model, for Core statements on hot paths."""
    table: sa.Table = model.__table__  # type: ignore[attr-defined]
    return table


def column_length(model: type[SQLModel], attribute: str) -> int:
    """How many characters a string column holds (PostgreSQL refuses more)."""
    length = getattr(table_of(model).c[attribute].type, "length", None)
    return int(length) if length else 1_000_000


def is_paused(person: Person, now: datetime) -> bool:
    """Paused now: until they resume, or until the end they chose."""
    if not person.paused:
        return False
    return person.paused_until is None or now < as_utc(person.paused_until)


def as_utc(value: datetime) -> datetime:
    """SQLite hands timestamps back without a zone; every one we store is UTC."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
