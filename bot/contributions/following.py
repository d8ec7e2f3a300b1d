"""Following an idea: anyone who is shown an idea can choose to hear when it moves."""

from __future__ import annotations

from bot.contributions.ideas import find_idea
from bot.contributions.numbers import parse_number
from bot.groups.access import may_follow
from bot.i18n import _
from bot.seam.messages import Reply, simple
from bot.turn import Turn
from storage import contributions
from storage.models import id_of

FOLLOW = "idea.follow"
UNFOLLOW = "idea.unfollow"


async def command(turn: Turn, name: str, text: str) -> Reply:
    """`/follow 12` and `/unfollow #12`."""
    number = parse_number(text.strip())
    if number is None:
        return Reply(
            simple(_("Which idea? Type /{name} and its number, for example: /{name} 12", name=name))
        )
    idea = await find_idea(turn, str(number))
    if idea is None or idea.status == "withdrawn":
        return Reply(
            simple(
                _("I couldn't find idea #{number}. /ideas shows the ones you know.", number=number)
            )
        )
    return await act(turn, FOLLOW if name == "follow" else UNFOLLOW, str(number))


async def act(turn: Turn, action_id: str, value: str) -> Reply:
    idea = await find_idea(turn, value)
    if (
        idea is None
        or idea.status == "withdrawn"
        or (
            action_id == FOLLOW
            and idea.author_id != turn.person_id
            and not await may_follow(turn, idea)
        )
    ):
        return Reply(simple(_("Sorry, I couldn't find that idea any more.")))
    if action_id == FOLLOW:
        if idea.author_id == turn.person_id:
            return Reply(
                simple(
                    _(
                        "Idea #{number} is yours, so you'll hear about it anyway.",
                        number=idea.number,
                    )
                )
            )
        await contributions.add_contribution(
            session=turn.session,
            now=turn.now,
            idea_id=id_of(idea),
            person_id=turn.person_id,
            kind="following",
        )
        return Reply(
            simple(
                _(
                    "You're following idea #{number}. I'll tell you privately whenever it moves.",
                    number=idea.number,
                )
            )
        )
    stopped = await contributions.remove_following(
        session=turn.session,
        idea_id=id_of(idea),
        person_id=turn.person_id,
    )
    if not stopped:
        return Reply(
            simple(
                _("You weren't following idea #{number}, so nothing changed.", number=idea.number)
            )
        )
    return Reply(simple(_("Done: you've stopped following idea #{number}.", number=idea.number)))
