"""Who may see the impact report, and how they get in: by the chat they already trust.

`/coproduce report` answers a facilitator privately with a link that works once, within
15 minutes. The link carries a random nonce signed with COPRODUCE_SECRET_KEY (itsdangerous);
the nonce's row says whose link it is, when it was made and whether it was used. Opening it
asks for one press of a button (a form post): link checkers and previews fetch links, and a
link that a preview had spent would fail its owner. The post sets a signed session cookie that
lasts a working day. Every request checks again that the person still facilitates a group (or
is an admin), and shows only those groups.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from itsdangerous import BadSignature, URLSafeSerializer

from bot.i18n import _
from bot.seam.messages import Context, Link, Message, Paragraph, Reply, simple
from bot.trust.roles import facilitators_only
from bot.turn import Turn
from storage import groups as group_store
from storage import people as people_store
from storage import report as report_store
from storage.database import Database
from storage.models import Group, Person, Role, Workspace, as_utc, id_of

LINK_LIFETIME = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=8)  # a working day
SIGN_IN_PATH = "/report/sign-in"


class Refusal(StrEnum):
    FORGED = "forged"
    EXPIRED = "expired"
    USED = "used"
    NOT_FACILITATOR = "not-facilitator"


@dataclass(frozen=True)
class Viewer:
    """Someone signed in to the report, and the groups they may see."""

    person: Person
    workspace: Workspace
    groups: list[Group]

    def group(self, group_id: int | None) -> Group | None:
        """The group asked for if they may see it; with none asked for, their first."""
        if group_id is None:
            return self.groups[0] if self.groups else None
        return next((g for g in self.groups if g.id == group_id), None)


class Signer:
    """Signs link nonces and session cookies with the secret key, each with its own salt so
    that one can never stand in for the other."""

    def __init__(self, secret_key: str) -> None:
        self._links = URLSafeSerializer(secret_key, salt="coproduce-report-link")
        self._sessions = URLSafeSerializer(secret_key, salt="coproduce-report-session")

    def link_token(self, nonce: str) -> str:
        return str(self._links.dumps(nonce))

    def nonce_of(self, token: str) -> str | None:
        try:
            nonce = self._links.loads(token)
        except BadSignature:
            return None
        return nonce if isinstance(nonce, str) else None

    def session_cookie(self, person_id: int, signed_in_at: datetime) -> str:
        return str(self._sessions.dumps([person_id, signed_in_at.timestamp()]))

    def session_of(self, cookie: str, now: datetime) -> int | None:
        """The person a session cookie is for, if it is ours and less than a day old."""
        try:
            person_id, at = self._sessions.loads(cookie)
        except (BadSignature, ValueError, TypeError):
            return None
        if not isinstance(person_id, int) or not isinstance(at, int | float):
            return None
        age = now.timestamp() - at
        return person_id if 0 <= age < SESSION_LIFETIME.total_seconds() else None


async def report_command(turn: Turn) -> Reply:
    """A private sign-in link for a facilitator, or how to turn the report on."""
    refusal = facilitators_only(turn, _("open the impact report"))
    if refusal is not None:
        return refusal
    config = turn.config
    if not config.public_url or not config.secret_key:
        return Reply(
            simple(
                _(
                    "The impact report is not on yet. The person who runs Coproduce can turn it "
                    "on. They set COPRODUCE_PUBLIC_URL to this server's web address. They set "
                    "COPRODUCE_SECRET_KEY to a long random secret."
                )
            ),
            private=True,
        )
    nonce = secrets.token_urlsafe(32)
    await report_store.add_link(
        session=turn.session, nonce=nonce, person_id=turn.person_id, now=turn.now
    )
    token = Signer(config.secret_key).link_token(nonce)
    url = f"{config.public_url.rstrip('/')}{SIGN_IN_PATH}?t={token}"
    summary = _("Your link to the impact report")
    return Reply(
        Message(
            summary=summary,
            blocks=(
                Paragraph(_("Here is your link to the impact report.")),
                Link(_("Open the impact report"), url),
                Context(
                    _(
                        "It works once, in the next 15 minutes. It is for you alone, so "
                        "please don't share it."
                    )
                ),
            ),
        ),
        private=True,
    )


async def viewer(database: Database, person_id: int) -> Viewer | None:
    """The person and the groups they may see now: an admin every group in their workspace,
    a facilitator the groups they facilitate; None for anyone else."""
    async with database.reading() as session:
        person = await people_store.get_person(session=session, person_id=person_id)
        if person is None:
            return None
        workspace = await people_store.get_workspace(
            session=session, workspace_id=person.workspace_id
        )
        if workspace is None:
            return None
        everyone = await group_store.workspace_groups(
            session=session, workspace_id=id_of(workspace)
        )
        if person.role == Role.ADMIN:
            groups = everyone
        else:
            mine = set(await group_store.facilitated(session=session, person_id=person_id))
            groups = [group for group in everyone if group.id in mine]
    if not groups:
        return None
    return Viewer(person, workspace, groups)


async def check_link(
    database: Database, signer: Signer, token: str, now: datetime
) -> Viewer | Refusal:
    """Whether a link may be used, without using it (the page that asks for the press)."""
    nonce = signer.nonce_of(token)
    if nonce is None:
        return Refusal.FORGED
    async with database.reading() as session:
        row = await report_store.link(session=session, nonce=nonce)
    if row is None:
        return Refusal.FORGED
    if row.used_at is not None:
        return Refusal.USED
    if now - as_utc(row.issued_at) > LINK_LIFETIME or now < as_utc(row.issued_at):
        return Refusal.EXPIRED
    found = await viewer(database, row.person_id)
    return found if found is not None else Refusal.NOT_FACILITATOR


async def use_link(
    database: Database, signer: Signer, token: str, now: datetime
) -> Viewer | Refusal:
    """Use a link: once only, in time, by someone who still facilitates."""
    checked = await check_link(database, signer, token, now)
    if isinstance(checked, Refusal):
        return checked
    nonce = signer.nonce_of(token)
    assert nonce is not None
    async with database.transaction() as session:
        if not await report_store.use_link(session=session, nonce=nonce, now=now):
            return Refusal.USED
    return checked
