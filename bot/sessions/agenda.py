"""`/agenda`: gather items before a session, vote without seeing tallies, and triage: keep the
top half (rounded up), park the rest kindly and tell each parked item's proposer privately."""

from __future__ import annotations

import math

from bot.contributions.ideas import MAX_IDEA_LENGTH, preview
from bot.contributions.numbers import parse_number
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
from bot.trust.roles import facilitators_only
from bot.turn import Turn
from storage import agenda as agenda_store
from storage import people
from storage.models import AgendaItem, id_of

VOTE = "agenda.vote"
CONFIRM = "agenda.confirm"
CANCEL = "agenda.cancel"
ACTIONS = (VOTE, CONFIRM, CANCEL)
USAGE = "Use /agenda add <item>, /agenda to see and vote, or /agenda triage (facilitators)."


async def _proposed(turn: Turn) -> list[AgendaItem]:
    return await agenda_store.proposed_items(
        session=turn.session,
        workspace_id=turn.workspace_id,
    )


async def agenda_command(turn: Turn, text: str) -> Reply:
    sub, _, rest = text.strip().partition(" ")
    sub = sub.lower()
    if sub == "add":
        return await add(turn, rest.strip())
    if sub == "triage":
        return await propose_triage(turn)
    if sub == "":
        return await show(turn)
    return Reply(simple(USAGE))


async def add(turn: Turn, text: str) -> Reply:
    if not text:
        return Reply(simple("What would you like on the agenda? Try /agenda add <your item>."))
    if len(text) > MAX_IDEA_LENGTH:
        return Reply(simple(f"Please keep agenda items under {MAX_IDEA_LENGTH:,} characters."))
    item = await agenda_store.add_item(
        session=turn.session,
        workspace_id=turn.workspace_id,
        proposer_id=turn.person_id,
        text=text,
        now=turn.now,
    )
    return Reply(
        simple(
            f"Thank you! \u201c{preview(text, 80)}\u201d is on the list for the next session "
            f"(item A{item.id})."
        )
    )


async def show(turn: Turn) -> Reply:
    items = await _proposed(turn)
    if not items:
        return Reply(simple("Nothing is proposed yet. Add something with /agenda add <item>."))
    blocks: list[Block] = [
        Heading("Proposed for the next session"),
        Context(
            "Vote for the items you'd most like to discuss. Votes stay private until triage, "
            "so early votes don't sway later ones."
        ),
    ]
    for item in items[:20]:
        blocks.append(Paragraph(f"A{item.id}: {preview(item.text)}"))
        blocks.append(Buttons((Button(f"Vote for A{item.id}", VOTE, str(item.id)),)))
    return Reply(Message(summary=f"{len(items)} agenda items proposed.", blocks=tuple(blocks)))


async def vote(turn: Turn, value: str) -> Reply:
    number = parse_number(value)
    item = (
        await agenda_store.get_item(session=turn.session, item_id=number)
        if number is not None
        else None
    )
    if item is None or item.workspace_id != turn.workspace_id or item.status != "proposed":
        return Reply(simple("That item isn't open for votes any more."))
    added = await agenda_store.add_vote(
        session=turn.session,
        item_id=id_of(item),
        person_id=turn.person_id,
    )
    if not added:
        return Reply(simple(f"You've already voted for A{item.id}. Thank you!"))
    return Reply(simple(f"Thank you, your vote for A{item.id} is in."))


async def _ranked(turn: Turn) -> tuple[list[tuple[AgendaItem, int]], int, str]:
    """Items by votes (then the earlier proposal first), how many to keep, and a tie note."""
    items = await _proposed(turn)
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
        kept = [t for t in tied if t in {f"A{i.id}" for i, _ in ranked[:keep]}]
        note = (
            f"{', '.join(tied)} tied on {votes} vote{'s' if votes != 1 else ''} at the cut-off; "
            f"the earlier proposal{'s' if len(kept) != 1 else ''} ({', '.join(kept)}) "
            f"{'were' if len(kept) != 1 else 'was'} kept."
        )
    return ranked, keep, note


def _votes(count: int) -> str:
    return f"{count} vote{'s' if count != 1 else ''}"


async def propose_triage(turn: Turn) -> Reply:
    refusal = facilitators_only(turn, "triage the agenda")
    if refusal:
        return refusal
    ranked, keep, note = await _ranked(turn)
    if not ranked:
        return Reply(simple("There's nothing on the agenda to triage yet."))
    lines = [
        f"{'Keep' if n < keep else 'Park'} \u00b7 A{item.id} ({_votes(votes)}): "
        f"{preview(item.text, 100)}"
        for n, (item, votes) in enumerate(ranked)
    ]
    blocks: list[Block] = [
        Heading("Agenda triage"),
        Paragraph(f"Keeping the top half ({keep} of {len(ranked)}) by votes:"),
        Paragraph("\n".join(lines)),
    ]
    if note:
        blocks.append(Context(note))
    blocks.append(
        Context(
            "Parked items are kept for a future session, and whoever proposed each one is told "
            "privately."
        )
    )
    blocks.append(
        Buttons((Button("Confirm", CONFIRM, "1", "primary"), Button("Not now", CANCEL, "1")))
    )
    return Reply(Message(summary="Agenda triage proposal", blocks=tuple(blocks)))


async def confirm(turn: Turn) -> Reply:
    refusal = facilitators_only(turn, "triage the agenda")
    if refusal:
        return refusal
    ranked, keep, _ = await _ranked(turn)
    if not ranked:
        return Reply(
            simple("The agenda has already been triaged. Thank you!"), replace_original=True
        )
    for n, (item, _) in enumerate(ranked):
        item.status = "kept" if n < keep else "parked"
        item.triaged_at = turn.now
        if item.status == "parked":
            proposer = await people.get_person(session=turn.session, person_id=item.proposer_id)
            if proposer is not None:
                await turn.tell(
                    person=proposer,
                    key=f"agenda-parked:{item.id}",
                    kind="agenda-parked",
                    message=Message(
                        summary="About your agenda item",
                        blocks=(
                            Paragraph(
                                "Thank you for suggesting "
                                f"\u201c{preview(item.text, 120)}\u201d. It didn't make this "
                                "session's shortlist, so it's parked for a future session: "
                                "not forgotten."
                            ),
                        ),
                    ),
                )
    parked = len(ranked) - keep
    return Reply(
        simple(
            f"Done: {keep} item{'s' if keep != 1 else ''} kept for the session and {parked} "
            "parked for later. Their proposers have been told privately. Thank you!"
        ),
        replace_original=True,
    )
