"""`/agenda`: gather items before a session, vote without seeing tallies, and triage: keep the
top half (rounded up), park the rest kindly and tell each parked item's proposer privately."""

from __future__ import annotations

import math

from bot.contributions.ideas import MAX_IDEA_LENGTH, preview
from bot.contributions.numbers import parse_number
from bot.groups.groups import group_here
from bot.i18n import N_, _, n_, speaking
from bot.seam.messages import (
    Block,
    Button,
    Buttons,
    Context,
    Heading,
    Message,
    Paragraph,
    Reply,
    simple,
)
from bot.trust.roles import group_facilitators_only
from bot.turn import Turn
from storage import agenda as agenda_store
from storage import groups as group_store
from storage import people
from storage.models import AgendaItem, Group, id_of

VOTE = "agenda.vote"
UNVOTE = "agenda.unvote"
CONFIRM = "agenda.confirm"
CANCEL = "agenda.cancel"
BRING_BACK = "agenda.bring-back"
MOVE_UP = "agenda.up"
ACTIONS = (VOTE, UNVOTE, CONFIRM, CANCEL, BRING_BACK, MOVE_UP)
USAGE = N_(
    "To add an item, type /agenda add and your item. To see the list and vote, type /agenda. "
    "Facilitators can also use /agenda triage and /agenda move A3 1."
)
BUTTONS_SHOWN = 5


async def _proposed(turn: Turn, group: Group) -> list[AgendaItem]:
    return await agenda_store.items_in(
        session=turn.session, group_id=id_of(group), status="proposed"
    )


async def _kept(turn: Turn, group: Group) -> list[AgendaItem]:
    """What is kept for the next session, in its order."""
    return await agenda_store.items_in(session=turn.session, group_id=id_of(group), status="kept")


async def agenda_command(turn: Turn, text: str) -> Reply:
    group = await group_here(turn) or await turn.working_group()
    if group is None:
        return Reply(
            simple(
                _(
                    "Each group has its own agenda. Please type /agenda in your group's "
                    "channel. Thank you!"
                )
            )
        )
    sub, _space, rest = text.strip().partition(" ")
    sub = sub.lower()
    if sub == "add":
        return await add(turn, group, rest.strip())
    if sub == "triage":
        return await propose_triage(turn, group)
    if sub == "move":
        return await move(turn, group, rest)
    if sub == "":
        return await show(turn, group)
    return Reply(simple(_(USAGE)))


async def add(turn: Turn, group: Group, text: str) -> Reply:
    if not text:
        return Reply(simple(_("What would you like on the agenda? Try /agenda add <your item>.")))
    if len(text) > MAX_IDEA_LENGTH:
        too_long = _(
            "Please keep agenda items under {limit} characters.", limit=f"{MAX_IDEA_LENGTH:,}"
        )
        return Reply(simple(too_long))
    item = await agenda_store.add_item(
        session=turn.session,
        workspace_id=turn.workspace_id,
        group_id=id_of(group),
        proposer_id=turn.person_id,
        text=text,
        now=turn.now,
    )
    return Reply(
        simple(
            _(
                "Thank you! \u201c{text}\u201d is on the list for the next session (item "
                "A{number}).",
                text=preview(text, 80),
                number=item.id,
            )
        )
    )


def vote_limit(group: Group) -> int:
    try:
        return max(1, int(group.agenda_votes))
    except ValueError:
        return 3


async def show(turn: Turn, group: Group) -> Reply:
    """What is kept for the next session (in order), what is open for votes, and what is
    parked: nothing chosen or parked disappears from view."""
    kept = await _kept(turn, group)
    proposed = await _proposed(turn, group)
    parked = await agenda_store.items_in(
        session=turn.session, group_id=id_of(group), status="parked"
    )
    runs = await turn.facilitates(group.id)
    if not (kept or proposed or parked):
        empty = _("Nothing is on the agenda yet. Add something with /agenda add <item>.")
        return Reply(simple(empty))
    blocks: list[Block] = []
    if kept:
        blocks.append(Heading(_("Kept for the next session")))
        blocks.append(
            Paragraph("\n".join(f"{n}. A{i.id}: {preview(i.text)}" for n, i in enumerate(kept, 1)))
        )
        if runs and len(kept) > 1:
            ups = [
                Button(_("Move A{number} up", number=i.id), MOVE_UP, str(i.id)) for i in kept[1:]
            ]
            blocks.append(Buttons(tuple(ups[:BUTTONS_SHOWN])))
    if proposed:
        mine = await agenda_store.votes_of(
            session=turn.session, person_id=turn.person_id, item_ids=[id_of(i) for i in proposed]
        )
        left = max(0, vote_limit(group) - len(mine))
        blocks.append(Heading(_("Proposed: vote for the ones you'd most like to discuss")))
        blocks.append(
            Paragraph(
                _(
                    "You have {left} of your {limit} votes left. Votes stay private until the "
                    "facilitator chooses, so early votes don't sway later ones.",
                    left=left,
                    limit=vote_limit(group),
                )
            )
        )
        for item in proposed[:20]:
            blocks.append(Paragraph(f"A{item.id}: {preview(item.text)}"))
            if id_of(item) in mine:
                label = _("Take back my vote for A{number}", number=item.id)
                button = Button(label, UNVOTE, str(item.id))
            else:
                button = Button(_("Vote for A{number}", number=item.id), VOTE, str(item.id))
            blocks.append(Buttons((button,)))
    if parked:
        blocks.append(Heading(_("Parked for later, not forgotten")))
        blocks.append(Paragraph("\n".join(f"A{i.id}: {preview(i.text)}" for i in parked[:10])))
        if runs:
            back = [
                Button(_("Bring back A{number}", number=i.id), BRING_BACK, str(i.id))
                for i in parked
            ]
            blocks.append(Buttons(tuple(back[:BUTTONS_SHOWN])))
    summary = _(
        "The agenda: {kept} kept, {proposed} proposed, {parked} parked.",
        kept=len(kept),
        proposed=len(proposed),
        parked=len(parked),
    )
    return Reply(Message(summary=summary, blocks=tuple(blocks)))


async def _item(turn: Turn, value: str, status: str) -> tuple[AgendaItem, Group] | None:
    """The agenda item a button or command names, with its group, if it is `status`."""
    number = parse_number(value.strip().lstrip("Aa"))
    item = (
        await agenda_store.get_item(session=turn.session, item_id=number)
        if number is not None
        else None
    )
    if (
        item is None
        or item.workspace_id != turn.workspace_id
        or item.status != status
        or item.group_id is None
    ):
        return None
    group = await group_store.get_group(session=turn.session, group_id=item.group_id)
    return None if group is None else (item, group)


async def vote(turn: Turn, value: str) -> Reply:
    found = await _item(turn, value, "proposed")
    if found is None:
        return Reply(simple(_("That item isn't open for votes any more.")))
    item, group = found
    proposed = await _proposed(turn, group)
    mine = await agenda_store.votes_of(
        session=turn.session, person_id=turn.person_id, item_ids=[id_of(i) for i in proposed]
    )
    if id_of(item) in mine:
        return Reply(simple(_("You've already voted for A{number}. Thank you!", number=item.id)))
    if len(mine) >= vote_limit(group):
        return Reply(
            simple(
                _(
                    "You've used all {limit} of your votes. To vote for A{number}, take one "
                    "back first: /agenda shows how.",
                    limit=vote_limit(group),
                    number=item.id,
                )
            )
        )
    await agenda_store.add_vote(session=turn.session, item_id=id_of(item), person_id=turn.person_id)
    left = vote_limit(group) - len(mine) - 1
    return Reply(
        simple(
            _(
                "Thank you, your vote for A{number} is in. You have {left} left.",
                number=item.id,
                left=left,
            )
        )
    )


async def unvote(turn: Turn, value: str) -> Reply:
    found = await _item(turn, value, "proposed")
    if found is None:
        return Reply(simple(_("That item isn't open for votes any more, so its votes stay.")))
    item, _group = found
    taken = await agenda_store.remove_vote(
        session=turn.session, item_id=id_of(item), person_id=turn.person_id
    )
    if not taken:
        return Reply(
            simple(_("You hadn't voted for A{number}, so nothing changed.", number=item.id))
        )
    return Reply(
        simple(
            _(
                "Done: your vote for A{number} is taken back. You can use it again.",
                number=item.id,
            )
        )
    )


async def bring_back(turn: Turn, value: str) -> Reply:
    """A facilitator brings a parked item back onto the kept list, and its proposer hears."""
    found = await _item(turn, value, "parked")
    if found is None:
        return Reply(simple(_("That item isn't parked any more.")))
    item, group = found
    refusal = await group_facilitators_only(turn, group.id, _("bring back a parked agenda item"))
    if refusal:
        return refusal
    kept = await _kept(turn, group)
    item.status = "kept"
    item.position = len(kept) + 1
    proposer = await people.get_person(session=turn.session, person_id=item.proposer_id)
    if proposer is not None and proposer.id != turn.person_id:
        with speaking(proposer.language):
            news = simple(
                _(
                    "Good news: \u201c{text}\u201d, which you suggested, is back on the agenda "
                    "for the next session. Thank you for raising it.",
                    text=preview(item.text, 120),
                )
            )
        await turn.tell(
            person=proposer,
            key=f"agenda-back:{item.id}:{turn.now.isoformat()}",
            kind="agenda-back",
            message=news,
            group=group,
        )
    return Reply(
        simple(
            _(
                "Done: A{number} is back on the agenda, at number {place}. Thank you!",
                number=item.id,
                place=item.position,
            )
        )
    )


async def move(turn: Turn, group: Group, text: str) -> Reply:
    """`/agenda move A7 1`: put a kept item at a place in the order."""
    refusal = await group_facilitators_only(turn, group.id, _("change the agenda's order"))
    if refusal:
        return refusal
    reference, _space, place = text.strip().partition(" ")
    found = await _item(turn, reference, "kept")
    where = parse_number(place.strip())
    if found is None or found[1].id != group.id or where is None:
        which = _("Which item, and where? For example: /agenda move A7 1 puts A7 first.")
        return Reply(simple(which))
    return await _place(turn, group, found[0], where)


async def move_up(turn: Turn, value: str) -> Reply:
    found = await _item(turn, value, "kept")
    if found is None:
        return Reply(simple(_("That item isn't on the kept list any more.")))
    item, group = found
    refusal = await group_facilitators_only(turn, group.id, _("change the agenda's order"))
    if refusal:
        return refusal
    kept = await _kept(turn, group)
    here = next(n for n, i in enumerate(kept, 1) if i.id == item.id)
    return await _place(turn, group, item, max(1, here - 1))


async def _place(turn: Turn, group: Group, item: AgendaItem, where: int) -> Reply:
    kept = await _kept(turn, group)
    others = [i for i in kept if i.id != item.id]
    where = min(max(1, where), len(others) + 1)
    order = [*others[: where - 1], item, *others[where - 1 :]]
    for n, kept_item in enumerate(order, 1):
        kept_item.position = n
    listing = "\n".join(f"{n}. A{i.id}: {preview(i.text, 80)}" for n, i in enumerate(order, 1))
    done = _("Done: A{number} is now number {place}.", number=item.id, place=where)
    return Reply(simple(f"{done}\n{listing}"))


async def _ranked(turn: Turn, group: Group) -> tuple[list[tuple[AgendaItem, int]], int, str]:
    """Items by votes (then the earlier proposal first), how many to keep, and a tie note."""
    items = await _proposed(turn, group)
    tallies = await agenda_store.tallies(
        session=turn.session, item_ids=[i.id for i in items if i.id is not None]
    )
    ranked = sorted(
        ((i, tallies.get(id_of(i), 0)) for i in items), key=lambda p: (-p[1], id_of(p[0]))
    )
    keep = math.ceil(len(ranked) / 2)
    note = ""
    if 0 < keep < len(ranked) and ranked[keep - 1][1] == ranked[keep][1]:
        votes = ranked[keep][1]
        tied = [f"A{i.id}" for i, v in ranked if v == votes]
        kept = [t for t in tied if t in {f"A{i.id}" for i, _votes in ranked[:keep]}]
        note = " ".join(
            (
                n_(
                    "{items} tied on {count} vote at the cut-off;",
                    "{items} tied on {count} votes at the cut-off;",
                    votes,
                    items=", ".join(tied),
                ),
                n_(
                    "the earlier proposal ({items}) was kept.",
                    "the earlier proposals ({items}) were kept.",
                    len(kept),
                    items=", ".join(kept),
                ),
            )
        )
    return ranked, keep, note


def _votes(count: int) -> str:
    return n_("{count} vote", "{count} votes", count)


async def propose_triage(turn: Turn, group: Group) -> Reply:
    refusal = await group_facilitators_only(turn, group.id, _("choose the agenda"))
    if refusal:
        return refusal
    ranked, keep, note = await _ranked(turn, group)
    if not ranked:
        return Reply(simple(_("There's nothing on the agenda to choose from yet.")))
    verdicts = (_("Keep"), _("Park"))
    lines = [
        f"{verdicts[0] if n < keep else verdicts[1]} \u00b7 A{item.id} ({_votes(votes)}): "
        f"{preview(item.text, 100)}"
        for n, (item, votes) in enumerate(ranked)
    ]
    blocks: list[Block] = [
        Heading(_("Choosing the agenda")),
        Paragraph(
            _(
                "Keeping the top half ({keep} of {total}) by votes:",
                keep=keep,
                total=len(ranked),
            )
        ),
        Paragraph("\n".join(lines)),
    ]
    if note:
        blocks.append(Context(note))
    blocks.append(
        Context(
            _(
                "Parked items are kept for a later session. Whoever proposed each one is told "
                "privately."
            )
        )
    )
    blocks.append(
        Buttons(
            (
                Button(_("Confirm"), CONFIRM, str(group.id), "primary"),
                Button(_("Not now"), CANCEL, str(group.id)),
            )
        )
    )
    return Reply(Message(summary=_("The agenda, as votes would choose it"), blocks=tuple(blocks)))


async def confirm(turn: Turn, value: str) -> Reply:
    number = parse_number(value)
    group = (
        await group_store.get_group(session=turn.session, group_id=number)
        if number is not None
        else None
    )
    if group is None or group.workspace_id != turn.workspace_id:
        return Reply(simple(_("Sorry, that button has expired. Please try again.")))
    refusal = await group_facilitators_only(turn, group.id, _("choose the agenda"))
    if refusal:
        return refusal
    ranked, keep, _note = await _ranked(turn, group)
    if not ranked:
        return Reply(
            simple(_("The agenda has already been chosen. Thank you!")), replace_original=True
        )
    already = len(await _kept(turn, group))
    for n, (item, _tally) in enumerate(ranked):
        item.status = "kept" if n < keep else "parked"
        item.triaged_at = turn.now
        if item.status == "kept":
            item.position = already + n + 1
        if item.status == "parked":
            proposer = await people.get_person(session=turn.session, person_id=item.proposer_id)
            if proposer is not None:
                with speaking(proposer.language):
                    note = Message(
                        summary=_("About your agenda item"),
                        blocks=(
                            Paragraph(
                                _(
                                    "Thank you for suggesting \u201c{text}\u201d. It didn't "
                                    "make this session's shortlist, so it's parked for a "
                                    "future session: not forgotten.",
                                    text=preview(item.text, 120),
                                )
                            ),
                        ),
                    )
                await turn.tell(
                    person=proposer,
                    key=f"agenda-parked:{item.id}",
                    kind="agenda-parked",
                    message=note,
                    group=group,
                )
    parked = len(ranked) - keep
    return Reply(
        simple(
            n_(
                "Done: {count} item kept for the session and {parked} parked for later.",
                "Done: {count} items kept for the session and {parked} parked for later.",
                keep,
                parked=parked,
            )
            + " "
            + _("Their proposers have been told privately. Thank you!")
        ),
        replace_original=True,
    )
