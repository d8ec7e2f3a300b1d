"""SQLModel tables. Names follow the domain vocabulary in DESIGN.md section 2."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """Timezone-aware current time; every timestamp we store is UTC."""
    return datetime.now(UTC)


def _timestamp(**kwargs: object) -> object:
    return Field(sa_type=sa.DateTime(timezone=True), **kwargs)  # type: ignore[call-overload]


class Workspace(SQLModel, table=True):
    """A Slack team, a Teams tenant or the local console; holds the idea counter."""

    __table_args__ = (sa.UniqueConstraint("platform", "external_id", name="uq_workspace_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    external_id: str = Field(max_length=255)
    timezone: str = Field(default="Europe/London", max_length=64)
    last_idea_number: int = Field(default=0)
    created_at: datetime = _timestamp(default_factory=utcnow)


class Person(SQLModel, table=True):
    """One user on one platform, with role, preferences and where to reach them privately."""

    __table_args__ = (sa.UniqueConstraint("workspace_id", "external_id", name="uq_person_ref"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = Field(foreign_key="workspace.id", index=True)
    external_id: str = Field(max_length=255)
    display_name: str | None = Field(default=None, max_length=255)
    role: str = Field(default="member", max_length=16)
    anonymous_default: bool = Field(default=False)
    paused: bool = Field(default=False)
    # Opaque, adapter-serialised address of the person's 1:1 chat, for proactive messages.
    direct_address: str | None = Field(default=None, sa_type=sa.Text)
    created_at: datetime = _timestamp(default_factory=utcnow)


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
    status: str = Field(default="new", max_length=16, index=True)
    created_at: datetime = _timestamp(default_factory=utcnow)
    updated_at: datetime = _timestamp(default_factory=utcnow)


class StatusChange(SQLModel, table=True):
    """One step in an idea's history: who moved it, to what, when, and the note why."""

    __tablename__ = "status_change"

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", index=True)
    status: str = Field(max_length=16)
    note: str | None = Field(default=None, sa_type=sa.Text)
    changed_by_id: int | None = Field(default=None, foreign_key="person.id")
    changed_at: datetime = _timestamp(default_factory=utcnow)


class ProcessedDelivery(SQLModel, table=True):
    """Platform delivery ids already handled, so a retried delivery changes nothing."""

    __tablename__ = "processed_delivery"

    key: str = Field(primary_key=True, max_length=255)
    processed_at: datetime = _timestamp(default_factory=utcnow)
