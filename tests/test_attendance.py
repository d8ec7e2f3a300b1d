"""Who was at a meeting: the facilitator confirms the channel's people at `/meeting end` with
one tap, or unticks whoever was not there (a Slack modal, a Teams checklist card, numbers in
the console). Only those there are asked for afterthoughts, and their records count it."""

from __future__ import annotations

import json
from datetime import timedelta

from tests.conftest import RunningBot
from tests.fakes.slack_api import FakeSlackWebApi
from tests.fakes.teams_connector import FakeConnector
from tests.slack_requests import action_request, view_submission_request
from tests.teams_activities import personal_message
from tests.test_groups_teams import CHANNEL, MATERNITY, run
from tests.test_slack_closing_the_loop import command, dms_to
from tests.test_slack_ideas import all_text, post
from tests.test_teams_ideas import send
from tests.test_teams_meetings import to

PEOPLE = ["UFAC", "UANN", "UBEN", "UCAL", "UDEE", "UEVE"]


def buttons(call) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        element
        for block in call.params["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]


async def test_slack_facilitator_unticks_who_was_not_there(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    bot, api = running_bot, slack_api
    api.channel_members["CGROUP"] = PEOPLE
    await command(bot, api, "/coproduce", "settings reflection-delay 1h", channel="CGROUP")
    await command(bot, api, "/meeting", "start Autumn review", channel="CGROUP")
    ended = await command(bot, api, "/meeting", "end", channel="CGROUP")
    assert "Who was there? I've counted everyone in the channel" in ended
    change = next(
        b for b in buttons(api.private_answers()[-1]) if b["text"]["text"] == "Someone wasn't"
    )
    body, headers = action_request(
        change["action_id"],
        change["value"],
        response_url=api.response_url(),
        user="UFAC",
        channel="CGROUP",
    )
    await post(bot, body, headers)
    [opened] = api.calls_to("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    [checklist] = [b for b in view["blocks"] if b["type"] == "input"]
    element = checklist["element"]
    assert element["type"] == "multi_static_select"
    assert len(element["initial_options"]) == len(element["options"]) == 6  # all ticked
    by_name = {o["text"]["text"]: o["value"] for o in element["options"]}
    there = [value for name, value in by_name.items() if name not in ("ucal", "udee")]
    body, headers = view_submission_request(view, {}, user="UFAC", ticked={"present": there})
    await post(bot, body, headers)
    await bot.reflection_due(bot.clock.now + timedelta(hours=2))
    await bot.deliver()
    assert dms_to(api, "UANN", "Autumn review") and dms_to(api, "UEVE", "Autumn review")
    assert not dms_to(api, "UCAL", "Autumn review") and not dms_to(api, "UDEE", "Autumn review")
    assert "Meetings: 1" in await command(bot, api, "/coproduce", "record", user="UANN")
    assert "Meetings: 1" not in await command(bot, api, "/coproduce", "record", user="UCAL")
    # Someone who does not run the group cannot change it
    body, headers = action_request(
        "attendance.all",
        change["value"],
        response_url=api.response_url(),
        user="UANN",
        channel="CGROUP",
    )
    await post(bot, body, headers)
    assert "Only facilitators" in all_text(api.private_answers()[-1])


async def test_slack_one_tap_confirms_everyone(
    running_bot: RunningBot, slack_api: FakeSlackWebApi
) -> None:
    bot, api = running_bot, slack_api
    api.channel_members["CGROUP"] = PEOPLE
    await command(bot, api, "/meeting", "start Tea and talk", channel="CGROUP")
    await command(bot, api, "/meeting", "end", channel="CGROUP")
    everyone = next(b for b in buttons(api.private_answers()[-1]) if b["style"] == "primary")
    body, headers = action_request(
        everyone["action_id"],
        everyone["value"],
        response_url=api.response_url(),
        user="UFAC",
        channel="CGROUP",
    )
    await post(bot, body, headers)
    assert "6 people are marked as there" in all_text(api.private_answers()[-1])


async def test_teams_checklist_card_is_valid_and_saves(
    running_bot: RunningBot, teams_connector: FakeConnector
) -> None:
    bot, teams = running_bot, teams_connector
    admin = MATERNITY[0]
    await run(bot, teams, CHANNEL, admin, "meeting start Maternity voices")
    await run(bot, teams, CHANNEL, admin, "meeting end")
    [ended] = [s for s in teams.sent if "Who was there?" in s.card_text]
    change = next(a for a in ended.actions if a["data"]["action"] == "attendance.change")
    press = personal_message(
        "", service_url=teams.base_url, user_id=admin[0], user_name=admin[1], value=change["data"]
    )
    await send(bot, press)
    [form] = [s for s in teams.sent if "Tick everyone who was there" in json.dumps(s.cards)]
    [choice_set] = [
        item for card in form.cards for item in card["body"] if item["type"] == "Input.ChoiceSet"
    ]
    assert choice_set["isMultiSelect"] is True and choice_set["style"] == "expanded"
    values = [c["value"] for c in choice_set["choices"]]
    assert choice_set["value"].split(",") == values  # everyone ticked to begin with
    save = personal_message(
        "",
        service_url=teams.base_url,
        user_id=admin[0],
        user_name=admin[1],
        value={
            "action": "attendance.save",
            "value": change["data"]["value"],
            "present": ",".join(values[:4]),
        },
    )
    await send(bot, save)
    assert to(teams, admin[0], "4 people are marked as there")
    # the fake connector has validated every card against the Adaptive Card 1.5 schema
