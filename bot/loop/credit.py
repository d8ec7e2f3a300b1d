"""`/credit`: a facilitator thanks people by name, privately, on the record."""

from __future__ import annotations

import re

from bot.contributions.ideas import find_idea
from bot.groups.access import may_run
from bot.i18n import N_, _, speaking
from bot.seam.events import CommandInvoked
from bot.seam.messages import Block, Context, Message, Paragraph, Reply, simple
from bot.trust import audit
from bot.trust.people import person_for
from bot.trust.roles import facilitators_only, group_facilitators_only
from bot.turn import Turn, name_of
from storage import contributions
from storage import groups as group_store
from storage import guests as guest_store
from storage import people as people_store
from storage.models import id_of

_FOR = re.compile(r"\bfor\b", re.IGNORECASE)
_IDEA = re.compile(r"#(\S+)")
_EMAIL = re.compile(r"[^\s<>@,;]+@[^\s<>@,;]+\.[^\s<>@,;]+")
MAX_REASON_LENGTH = 500
USAGE = N_("Use it like this: /credit @Sam @Ali #12 for chairing today's session.")


def _join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("{some} and {last}", some=", ".join(names[:-1]), last=names[-1])


async def give_credit(turn: Turn, event: CommandInvoked) -> Reply:
    """Store one credit per person named, thank each privately, link them to the idea if named."""
    refusal = facilitators_only(turn, _("thank people on the record"))
    if refusal:
        return refusal
    split = _FOR.search(event.text)
    # Guests have no Slack or Teams account to @mention: they are named by their email address.
    addresses = _EMAIL.findall(event.text[: split.start()] if split else event.text)
    if not event.mentions and not addresses:
        return Reply(simple(_("Please @mention the people you'd like to thank.") + " " + _(USAGE)))
    reason = event.text[split.end() :].strip() if split else ""
    if not reason:
        return Reply(simple(_("Please say what the thanks are for.") + " " + _(USAGE)))
    if len(reason) > MAX_REASON_LENGTH:
        return Reply(
            simple(
                _(
                    "That's a little long: the limit is {limit} characters and yours has "
                    "{length}. Nothing has been saved.",
                    limit=MAX_REASON_LENGTH,
                    length=f"{len(reason):,}",
                )
            )
        )
    head = event.text[: split.start()] if split else event.text
    idea = None
    named_idea = _IDEA.search(head)
    if named_idea:
        idea = await find_idea(turn, named_idea.group(1))
        if idea is None or not await may_run(turn, idea):
            return Reply(
                simple(
                    _(
                        "There's no idea #{number} here, so nothing was recorded.",
                        number=named_idea.group(1),
                    )
                )
            )
    # The thanks go in the weekly post of the idea's group, or of the group it was given in.
    if idea is not None and idea.group_id is not None:
        group = await group_store.get_group(session=turn.session, group_id=idea.group_id)
    else:
        group = await turn.working_group()
    if idea is None:
        if group is None and not turn.is_admin:
            return Reply(
                simple(
                    _(
                        "Please type /credit in the group's channel, so the thanks go in that "
                        "group's weekly post. Nothing has been saved."
                    )
                )
            )
        if group is not None:
            refusal = await group_facilitators_only(turn, group.id, _("thank people on the record"))
            if refusal:
                return refusal
    thanked = [await person_for(turn, actor) for actor in event.mentions]
    for address in addresses:
        guest = (
            await guest_store.find(
                session=turn.session, group_id=id_of(group), email=address.lower()
            )
            if group is not None
            else None
        )
        if guest is None or guest.removed_at is not None:
            return Reply(
                simple(
                    _(
                        "I can't find a guest with the address {address} in this group, so "
                        "nothing was recorded. /coproduce guests lists them.",
                        address=address,
                    )
                )
            )
        person = await people_store.get_person(session=turn.session, person_id=guest.person_id)
        if person is not None:
            thanked.append(person)
    names: list[str] = []
    for person in thanked:
        credit = await contributions.add_credit(
            session=turn.session,
            now=turn.now,
            workspace_id=turn.workspace_id,
            person_id=id_of(person),
            given_by_id=turn.person_id,
            idea_id=idea.id if idea else None,
            group_id=group.id if group else None,
            reason=reason,
        )
        if idea is not None:
            await contributions.add_contribution(
                session=turn.session,
                now=turn.now,
                idea_id=id_of(idea),
                person_id=id_of(person),
                kind="credited",
            )
        await audit.record(
            turn.session,
            at=turn.now,
            workspace_id=turn.workspace_id,
            actor_id=turn.person_id,
            action="credit",
            subject_type="person",
            subject_id=person.id,
        )
        names.append(name_of(person))
        with speaking(person.language):
            by = name_of(turn.person, _("A facilitator"))
            thanks = _thanks(by, reason, idea.number if idea else None)
        await turn.tell(
            person=person, key=f"credit:{credit.id}", kind="credit", message=thanks, group=group
        )
    linked = _(" for idea #{number}", number=idea.number) if idea else ""
    return Reply(
        simple(
            _(
                "Thank you for recognising people. I've thanked {names} privately{linked}. It "
                "goes on their record of involvement, and in the group's weekly post unless they "
                "asked not to be named there.",
                names=_join(names),
                linked=linked,
            )
        )
    )


def _thanks(by: str, reason: str, idea_number: int | None) -> Message:
    blocks: list[Block] = [
        Paragraph(_("Thank you! {name} has thanked you for: {reason}", name=by, reason=reason))
    ]
    if idea_number is not None:
        blocks.append(
            Paragraph(
                _(
                    "This is linked to idea #{number}, so you'll hear how it goes.",
                    number=idea_number,
                )
            )
        )
    blocks.append(Context(_("It's in your record of involvement: /coproduce record")))
    return Message(summary=_("Thank you! Someone has thanked you."), blocks=tuple(blocks))
