"""Repository functions for workspaces and people."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Person, Workspace
from storage.upserts import insert_if_absent


async def ensure_workspace(
    *, session: AsyncSession, platform: str, external_id: str, timezone: str, now: datetime
) -> Workspace:
    """The workspace for a platform team or tenant, created on first contact."""
    query = select(Workspace).where(
        Workspace.platform == platform, Workspace.external_id == external_id
    )
    # Look first: all but the first event find it, and a read costs less than an upsert.
    found = (await session.exec(query)).first()
    if found is not None:
        return found
    await insert_if_absent(
        session,
        Workspace,
        {
            "platform": platform,
            "external_id": external_id,
            "timezone": timezone,
            "created_at": now,
        },
        ["platform", "external_id"],
    )
    return (await session.exec(query)).one()


async def ensure_person(
    *,
    session: AsyncSession,
    workspace_id: int,
    external_id: str,
    display_name: str | None,
    initial_role: str,
    now: datetime,
) -> tuple[Person, bool]:
    """The person behind a platform user id, and whether this call created them."""
    query = select(Person).where(
        Person.workspace_id == workspace_id, Person.external_id == external_id
    )
    person = (await session.exec(query)).first()
    created = False
    if person is None:
        created = await insert_if_absent(
            session,
            Person,
            {
                "workspace_id": workspace_id,
                "external_id": external_id,
                "display_name": display_name,
                "role": initial_role,
                "created_at": now,
            },
            ["workspace_id", "external_id"],
        )
        person = (await session.exec(query)).one()
    if display_name and person.display_name != display_name:
        person.display_name = display_name
    return person, created
