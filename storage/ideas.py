"""Repository functions for ideas and their status history."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Executable, bindparam, insert, update
from sqlalchemy import select as select_columns
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.orm import make_transient_to_detached
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import sqlite_driver
from storage.groups import facilitated_ideas
from storage.models import (
    Contribution,
    Idea,
    IdeaStatus,
    StatusChange,
    Workspace,
    as_utc,
    id_of,
    table_of,
)
from storage.results import as_read
from storage.statements import dialect_of, run


async def create_idea(
    *,
    session: AsyncSession,
    workspace_id: int,
    author_id: int,
    text: str,
    anonymous: bool,
    source: str,
    now: datetime,
    meeting_id: int | None = None,
    group_id: int | None = None,
) -> Idea:
    """Store a new idea with its first history entry; the caller's transaction commits it.

    This is every idea's path, so it skips the ORM's unit of work and uses statements built
    once: on PostgreSQL the number, the idea and its history are one statement; on SQLite,
    three in one hand-off to the database's thread. The idea is then handed to the session as
    a loaded row, so that later changes in the turn are saved.
    """
    values: dict[str, Any] = {
        "workspace_id": workspace_id,
        "author_id": author_id,
        "text": text,
        "anonymous": anonymous,
        "source": source,
        "meeting_id": meeting_id,
        "group_id": group_id,
        "status": IdeaStatus.NEW,
        "created_at": now,
        "updated_at": now,
    }
    if dialect_of(session) == "postgresql":
        made = await run(session, _CREATE_IN_ONE, {f"given_{k}": v for k, v in values.items()})
        idea_id, number = cast(tuple[int, int], tuple(made.one()))
    else:
        idea_id, number = await sqlite_driver.together(session, _SqliteIdea(values))
    idea = as_read(Idea, {"id": int(idea_id), "number": int(number), **values})
    make_transient_to_detached(idea)
    session.add(idea)
    return idea


_WORKSPACE, _IDEA, _HISTORY = table_of(Workspace), table_of(Idea), table_of(StatusChange)
_IDEA_COLUMNS = (
    "workspace_id",
    "author_id",
    "text",
    "anonymous",
    "source",
    "meeting_id",
    "group_id",
    "status",
    "created_at",
    "updated_at",
)
_SQLITE = sqlite_dialect.dialect()
_TAKE_NUMBER_SQL = (
    "UPDATE workspace SET last_idea_number = last_idea_number + 1 WHERE id = ? "
    "RETURNING last_idea_number"
)
_IDEA_SQL_COLUMNS = (*_IDEA_COLUMNS, "number")
_INSERT_IDEA_SQL = (
    f"INSERT INTO idea ({', '.join(_IDEA_SQL_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _IDEA_SQL_COLUMNS)}) RETURNING id"
)
_HISTORY_SQL_COLUMNS = ("idea_id", "status", "changed_by_id", "changed_at")
_INSERT_HISTORY_SQL = (
    f"INSERT INTO status_change ({', '.join(_HISTORY_SQL_COLUMNS)}) VALUES (?, ?, ?, ?)"
)
_IDEA_STORED = sqlite_driver.bind_processors(_IDEA, _IDEA_SQL_COLUMNS, _SQLITE)
_HISTORY_STORED = sqlite_driver.bind_processors(_HISTORY, _HISTORY_SQL_COLUMNS, _SQLITE)


class _SqliteIdea:
    """The number, the idea and its first history entry, run together in SQLite's thread."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def __call__(self, connection: sqlite3.Connection) -> tuple[int, int]:
        values = self.values
        (number,) = connection.execute(_TAKE_NUMBER_SQL, (values["workspace_id"],)).fetchone()
        row = {**values, "number": number}
        stored = [store(row[c]) for store, c in zip(_IDEA_STORED, _IDEA_SQL_COLUMNS, strict=True)]
        (idea_id,) = connection.execute(_INSERT_IDEA_SQL, stored).fetchone()
        history = (idea_id, values["status"], values["author_id"], values["created_at"])
        connection.execute(
            _INSERT_HISTORY_SQL,
            [store(v) for store, v in zip(_HISTORY_STORED, history, strict=True)],
        )
        return int(idea_id), int(number)


def _create_in_one() -> Executable:
    """WITH taken AS (UPDATE workspace … RETURNING number), made AS (INSERT idea … RETURNING),
    kept AS (INSERT status_change …) SELECT id, number FROM made: one round trip."""
    # One parameter object per value, the history row reusing the idea's. Their names are not
    # column names, which an UPDATE would otherwise take as more columns to set.
    given = {c: bindparam(f"given_{c}", type_=_IDEA.c[c].type) for c in _IDEA_COLUMNS}
    taken = (
        update(_WORKSPACE)
        .where(_WORKSPACE.c.id == given["workspace_id"])
        .values(last_idea_number=_WORKSPACE.c.last_idea_number + 1)
        .returning(_WORKSPACE.c.last_idea_number.label("number"))
        .cte("taken")
    )
    made = (
        insert(_IDEA)
        .from_select(
            [*_IDEA_COLUMNS, "number"],
            select_columns(*given.values(), taken.c.number),
        )
        .returning(_IDEA.c.id, _IDEA.c.number)
        .cte("made")
    )
    kept = (
        insert(_HISTORY)
        .from_select(
            ["idea_id", "status", "changed_by_id", "changed_at"],
            select_columns(made.c.id, given["status"], given["author_id"], given["created_at"]),
        )
        .cte("kept")
    )
    return select_columns(made.c.id, made.c.number).add_cte(kept)


_CREATE_IN_ONE = _create_in_one()


async def get_idea(*, session: AsyncSession, workspace_id: int, number: int) -> Idea | None:
    """The idea with this reference number in this workspace, if any."""
    query = select(Idea).where(col(Idea.workspace_id) == workspace_id, col(Idea.number) == number)
    return (await session.exec(query)).first()


async def ideas_by_author(*, session: AsyncSession, author_id: int) -> Sequence[Idea]:
    """A person's own ideas, newest first."""
    query = select(Idea).where(col(Idea.author_id) == author_id).order_by(col(Idea.number).desc())
    return (await session.exec(query)).all()


async def record_status(
    *,
    session: AsyncSession,
    idea: Idea,
    status: str,
    note: str | None,
    changed_by_id: int,
    now: datetime,
) -> StatusChange:
    """Move an idea to a new status and keep the step in its history."""
    idea.status = status
    idea.updated_at = now
    change = StatusChange(
        idea_id=id_of(idea), status=status, note=note, changed_by_id=changed_by_id, changed_at=now
    )
    session.add(change)
    await session.flush()
    return change


async def history(
    *, session: AsyncSession, idea_ids: Sequence[int]
) -> dict[int, list[StatusChange]]:
    """Status history of several ideas, oldest step first."""
    if not idea_ids:
        return {}
    query = (
        select(StatusChange)
        .where(col(StatusChange.idea_id).in_(idea_ids))
        .order_by(col(StatusChange.id))
    )
    steps: dict[int, list[StatusChange]] = {idea_id: [] for idea_id in idea_ids}
    for step in (await session.exec(query)).all():
        steps[step.idea_id].append(step)
    return steps


async def undo_withdrawal(
    *, session: AsyncSession, idea: Idea, since: datetime, now: datetime
) -> bool:
    """Take back a withdrawal made after `since`: the withdrawn step leaves the history and
    the idea is where it was. An undone step is not a new decision: recorded as one, the
    group's digest would report a status change nobody made. False when it is too late."""
    steps = (
        await session.exec(
            select(StatusChange)
            .where(col(StatusChange.idea_id) == id_of(idea))
            .order_by(col(StatusChange.id).desc())
            .limit(2)
        )
    ).all()
    if len(steps) < 2 or steps[0].status != "withdrawn" or as_utc(steps[0].changed_at) < since:
        return False
    await session.delete(steps[0])
    idea.status = steps[1].status
    idea.updated_at = now
    return True


async def related_ideas(
    *, session: AsyncSession, person_id: int, limit: int
) -> Sequence[tuple[Idea, str]]:
    """Other people's ideas this person follows or was credited for (kind: "following" or
    "credited"), newest first; withdrawn ones left out."""
    query = (
        select(Idea, Contribution.kind)
        .join(Contribution, col(Contribution.idea_id) == Idea.id)
        .where(
            col(Contribution.person_id) == person_id,
            col(Idea.author_id) != person_id,
            col(Idea.status) != "withdrawn",
        )
        .order_by(col(Idea.number).desc())
        .limit(limit)
    )
    return (await session.exec(query)).all()


async def get_by_id(*, session: AsyncSession, idea_id: int) -> Idea | None:
    return await session.get(Idea, idea_id)


async def in_statuses(
    *,
    session: AsyncSession,
    workspace_id: int,
    statuses: tuple[str, ...],
    groups: Sequence[int] | None,
    limit: int | None = None,
) -> list[Idea]:
    """The ideas in any of `statuses` that facilitators of `groups` see (None: every idea in
    the workspace, as admins do), by number."""
    query = (
        select(Idea)
        .where(col(Idea.workspace_id) == workspace_id, col(Idea.status).in_(statuses))
        .order_by(col(Idea.number))
    )
    if groups is not None:
        query = query.where(facilitated_ideas(groups))
    if limit is not None:
        query = query.limit(limit)
    return list((await session.exec(query)).all())


async def count_in_statuses(
    *,
    session: AsyncSession,
    workspace_id: int,
    statuses: tuple[str, ...],
    groups: Sequence[int] | None,
) -> int:
    query = select(func.count()).where(
        col(Idea.workspace_id) == workspace_id, col(Idea.status).in_(statuses)
    )
    if groups is not None:
        query = query.where(facilitated_ideas(groups))
    return int((await session.exec(query)).one())
