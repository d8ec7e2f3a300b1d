"""Repository functions for workspaces and people."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Person, Workspace
from storage.upserts import insert_if_absent

# The placeholder that erased people's kept ideas and given credits point to.
ERASED_PERSON = "erased-person"


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


async def workspace_ids(*, session: AsyncSession) -> list[int]:
    """Every workspace's id, oldest first."""
    query = select(Workspace.id).order_by(Workspace.id)  # type: ignore[arg-type]
    return [int(i) for i in (await session.exec(query)).all() if i is not None]


async def follow_admin_list(*, session: AsyncSession, admins: frozenset[str]) -> int:
    """Make the stored admins exactly the people `admins` names (`platform:user-id`), as far
    as they are known; returns how many roles changed. Run at every start."""
    changed = 0
    rows = (
        await session.exec(
            select(Person, Workspace.platform).join(
                Workspace,
                Workspace.id == Person.workspace_id,  # type: ignore[arg-type]
            )
        )
    ).all()
    for person, platform in rows:
        named = f"{platform}:{person.external_id}" in admins or (
            person.alias is not None and f"{platform}:{person.alias}" in admins
        )
        if person.role == "admin" and not named:
            person.role = "member"
            changed += 1
        elif named and person.role != "admin":
            person.role = "admin"
            changed += 1
    return changed


async def count_members(*, session: AsyncSession, workspace_id: int) -> int:
    """People the workspace knows, not counting the placeholder erased people leave behind."""
    query = select(func.count()).where(
        Person.workspace_id == workspace_id,
        Person.external_id != ERASED_PERSON,
    )
    return int((await session.exec(query)).one())
