"""Digest: build one week's "You said, we did" for a large, long-lived group.

Seeded with 100,000 ideas and 1,000,000 status changes spread over two years, so the week's
share (about 1,000 ideas and 10,000 decisions) must be found by the time indexes.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta
from typing import Any

from sqlalchemy import insert

from bot.loop import digest
from storage.database import Database
from storage.models import Group, Idea, Person, StatusChange, Workspace, utcnow

STATUSES = ("considering", "green-lit", "in-progress", "done", "parked")
BATCH = 20_000


async def seed(database: Database, *, ideas: int, changes: int, people: int = 1_000) -> int:
    now = utcnow()
    span = timedelta(days=730).total_seconds()
    rng = random.Random(8)
    async with database.transaction() as session:
        workspace = Workspace(
            platform="slack", external_id="TBENCH", last_idea_number=ideas, created_at=now
        )
        session.add(workspace)
        await session.flush()
        workspace_id = workspace.id
        assert workspace_id is not None
        group = Group(workspace_id=workspace_id, channel_id="CBENCH", name="Bench", created_at=now)
        session.add(group)
        await session.flush()
        group_id = group.id
        members = [
            Person(workspace_id=workspace_id, external_id=f"U{n:05d}", created_at=now)
            for n in range(people)
        ]
        session.add_all(members)
        await session.flush()
        first_person = min(p.id for p in members if p.id is not None)
    for start in range(0, ideas, BATCH):
        rows = []
        for number in range(start + 1, min(ideas, start + BATCH) + 1):
            at = now - timedelta(seconds=span * (1 - number / ideas))
            rows.append(
                {
                    "workspace_id": workspace_id,
                    "number": number,
                    "author_id": first_person + rng.randrange(people),
                    "anonymous": rng.random() < 0.2,
                    "text": f"Idea {number}: clearer letters about appointments",
                    "source": "direct",
                    "meeting_id": None,
                    "group_id": group_id,
                    "status": rng.choice(("new", *STATUSES)),
                    "created_at": at,
                    "updated_at": at,
                }
            )
        async with database.transaction() as session:
            await session.execute(insert(Idea), rows)
    for start in range(0, changes, BATCH):
        rows = []
        for n in range(start, min(changes, start + BATCH)):
            idea_id = 1 + n * ideas // changes
            at = now - timedelta(seconds=span * (1 - (n + 0.5) / changes))
            rows.append(
                {
                    "idea_id": idea_id,
                    "status": rng.choice(STATUSES),
                    "note": "Discussed at the advisory group",
                    "changed_by_id": first_person,
                    "changed_at": at,
                }
            )
        async with database.transaction() as session:
            await session.execute(insert(StatusChange), rows)
    assert group_id is not None
    return group_id


async def seeded(database_url: str, *, ideas: int, changes: int) -> tuple[Database, int, float]:
    """The seeded database, its group's id, and how long seeding took."""
    database = Database(database_url)
    started = time.perf_counter()
    group_id = await seed(database, ideas=ideas, changes=changes)
    # What start-up and the daily maintenance job do for a database this old.
    await database.refresh_statistics()
    return database, group_id, time.perf_counter() - started


async def group_of(session: Any, group_id: int) -> tuple[Group, Workspace]:
    group = await session.get(Group, group_id)
    assert group is not None
    workspace = await session.get(Workspace, group.workspace_id)
    assert workspace is not None
    return group, workspace


async def run(database_url: str, *, ideas: int, changes: int, repeats: int = 5) -> dict:
    database, group_id, seeded_in = await seeded(database_url, ideas=ideas, changes=changes)
    timings = []
    blocks = 0
    for _ in range(repeats):
        now = utcnow()
        began = time.perf_counter()
        async with database.reading() as session:
            group, workspace = await group_of(session, group_id)
            message = await digest.build(
                session, workspace, group, since=now - timedelta(days=7), now=now
            )
        timings.append(time.perf_counter() - began)
        blocks = len(message.blocks)
    await database.dispose()
    return {
        "ideas": ideas,
        "status_changes": changes,
        "seed_seconds": seeded_in,
        "median_ms": statistics.median(timings) * 1000,
        "max_ms": max(timings) * 1000,
        "blocks": blocks,
    }
