"""Reading what the bot stored, straight from the database, for assertions."""

from __future__ import annotations

from typing import Any

from sqlmodel import SQLModel, select

from storage.database import Database
from storage.models import Idea, Person


async def ideas(database: Database) -> list[Idea]:
    async with database.reading() as session:
        return list((await session.exec(select(Idea).order_by(Idea.id))).all())


async def person(database: Database, external_id: str) -> Person | None:
    async with database.reading() as session:
        query = select(Person).where(Person.external_id == external_id)
        return (await session.exec(query)).first()


async def people(database: Database) -> list[Person]:
    async with database.reading() as session:
        return list((await session.exec(select(Person))).all())


async def rows(database: Database, model: type[SQLModel]) -> list[Any]:
    async with database.reading() as session:
        return list((await session.exec(select(model))).all())
