"""Two groups in one Teams tenant through real botbuilder: one in a team channel, one in a group
chat. Each has its own facilitator, agenda, meeting, reflection prompts and digest; neither's
facilitator can run the other; every answer about one person goes to their own chat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import RunningBot
from tests.fakes.teams_connector import FakeConnector
from tests.teams_activities import TENANT, command_with_mentions
from tests.test_teams_ideas import send
from tests.test_teams_meetings import to

CHANNEL = "19:maternity@thread.tacv2"  # a team channel: each thread adds ;messageid=
CHAT = "19:carers@thread.v2"  # a group chat
ADMIN = ("29:user-facilitator", "Fran")  # named in COPRODUCE_ADMINS in the tests
MAY, CARL, BOTH = ("29:may", "May"), ("29:carl", "Carl"), ("29:both", "Jo")
MATERNITY = [ADMIN, MAY, ("29:a1", "Ann"), ("29:a2", "Abi"), ("29:a3", "Ada"), BOTH]
CARERS = [ADMIN, CARL, ("29:b1", "Bea"), ("29:b2", "Ben"), ("29:b3", "Bo"), BOTH]


def said(
    connector: FakeConnector,
    where: str,
    who: tuple[str, str],
    text: str,
    mentions: list[tuple[str, str]] | None = None,
) -> dict[str, Any]:
    """`text` typed in the channel (in a thread of it) or the group chat, @mentioning the bot."""
    activity = command_with_mentions(
        text, mentions or [], service_url=connector.base_url, user_id=who[0], user_name=who[1]
    )
    if where == CHANNEL:
        activity["conversation"] = {
            "id": f"{CHANNEL};messageid=17{len(connector.sent)}",  # a new thread each time
            "conversationType": "channel",
            "tenantId": TENANT,
        }
    else:
        activity["conversation"] = {
            "id": CHAT,
            "conversationType": "groupChat",
            "isGroup": True,
            "tenantId": TENANT,
        }
    return activity


async def run(bot: RunningBot, connector: FakeConnector, where: str, who, text, mentions=None):  # type: ignore[no-untyped-def]
    activity = said(connector, where, who, text, mentions)
    connector.rosters[activity["conversation"]["id"]] = MATERNITY if where == CHANNEL else CARERS
    assert await send(bot, activity) in (200, 201)


def posted_in(connector: FakeConnector, conversation: str) -> str:
    return " ".join(s.card_text for s in connector.sent if s.conversation_id == conversation)


async def test_a_channel_group_and_a_group_chat_group_run_side_by_side(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    bot, teams = running_bot, teams_connector
    for where, name, facilitator in ((CHANNEL, "Maternity", MAY), (CHAT, "Carers", CARL)):
        await run(bot, teams, where, ADMIN, f"coproduce group name {name}")
        assert to(teams, ADMIN[0], f"now the group \u201c{name}\u201d, with 6 people")
        await run(bot, teams, where, ADMIN, "coproduce facilitators add {}", [facilitator])
        assert to(teams, ADMIN[0], f"now facilitate \u201c{name}\u201d")
        await run(bot, teams, where, ADMIN, "coproduce settings reflection-delay 1h")
    # Separate agendas, each triaged by its own facilitator only
    await run(bot, teams, CHANNEL, ("29:a1", "Ann"), "agenda add Birth partner parking")
    await run(bot, teams, CHAT, ("29:b1", "Bea"), "agenda add Respite information")
    await run(bot, teams, CHAT, MAY, "agenda triage")
    assert to(teams, MAY[0], "Only facilitators")
    await run(bot, teams, CHANNEL, MAY, "agenda triage")
    [triage] = to(teams, MAY[0], "Keeping the top half")
    assert "Birth partner" in triage and "Respite" not in triage
    await run(bot, teams, CHAT, CARL, "agenda triage")
    [triage] = to(teams, CARL[0], "Keeping the top half")
    assert "Respite" in triage and "Birth partner" not in triage
    # Ideas and decisions stay in their group
    await run(bot, teams, CHANNEL, ("29:a1", "Ann"), "idea Clearer signs to the birth centre")
    await run(bot, teams, CHAT, ("29:b1", "Bea"), "idea A carers' lounge on level 2")
    await run(bot, teams, CHANNEL, MAY, "update 2 parked Not ours")
    assert to(teams, MAY[0], "no idea #2 here")
    await run(bot, teams, CHAT, CARL, "update 2 green-lit Yes, in spring")
    await run(bot, teams, CHANNEL, MAY, "update 1 done The signs are up")
    # Meetings and the prompts after them
    await run(bot, teams, CHAT, MAY, "meeting start Not my group")
    assert to(teams, MAY[0], "Only facilitators")
    for where, facilitator, title in ((CHANNEL, MAY, "Maternity voices"), (CHAT, CARL, "Circle")):
        await run(bot, teams, where, facilitator, f"meeting start {title}")
        assert to(teams, facilitator[0], "started with 6 participants")
        await run(bot, teams, where, facilitator, "meeting end")
    await bot.reflection_due(bot.clock.now + timedelta(hours=2))
    await bot.deliver()
    assert to(teams, "29:a1", "Maternity voices") and not to(teams, "29:a1", "Circle")
    assert to(teams, "29:b1", "Circle") and not to(teams, "29:b1", "Maternity voices")
    # Each digest in its own conversation, with its own news only
    await run(bot, teams, CHANNEL, MAY, "digest")
    await run(bot, teams, CHAT, CARL, "digest")
    await run(bot, teams, CHAT, MAY, "digest")  # refused: not May's group
    await bot.deliver()
    maternity, carers = posted_in(teams, CHANNEL), posted_in(teams, CHAT)
    assert "birth centre" in maternity and "lounge" not in maternity
    assert "lounge" in carers and "birth centre" not in carers
    assert carers.count("You said, we did") == maternity.count("You said, we did") == 1
    # Private answers never went into the channel or the chat
    assert "Only facilitators" not in maternity + carers
