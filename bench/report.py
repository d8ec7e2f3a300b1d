"""Impact report: one group's quarter from 100,000 ideas and 1,000,000 status changes.

The same seeded database as the digest benchmark; timed from the queries to the finished HTML
page with its three charts, as a facilitator's browser receives it.
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

from adapters.report.charts import bar_chart
from adapters.report.routes import STYLE, _templates
from bench.digest import group_of, seeded
from bot.report import figures, periods, words
from storage.models import utcnow


async def run(database_url: str, *, ideas: int, changes: int, repeats: int = 5) -> dict:
    database, group_id, seeded_in = await seeded(database_url, ideas=ideas, changes=changes)
    templates = _templates()
    timings = []
    received = 0
    for _ in range(repeats):
        now = utcnow()
        began = time.perf_counter()
        async with database.reading() as session:
            group, workspace = await group_of(session, group_id)
            zone = ZoneInfo(workspace.timezone)
            # Last quarter: a whole one, about an eighth of the two years seeded.
            period = periods.choices(now - timedelta(days=92), zone)[0]
            report = await figures.build(session, workspace, group, period)
        html = templates.get_template("report.html").render(
            style=STYLE,
            lang="en",
            skip="",
            title="",
            w=words.page(),
            r=report,
            viewer_name="",
            groups=[group],
            group_id=group_id,
            periods=periods.choices(now, zone),
            query="",
            charts={
                "by_month": bar_chart(report.ideas_by_month),
                "by_status": bar_chart(report.decisions),
                "attendance": bar_chart([]),
            },
            made_on="",
        )
        timings.append(time.perf_counter() - began)
        received = report.ideas_received
        assert len(html) > 1000
    await database.dispose()
    return {
        "ideas": ideas,
        "status_changes": changes,
        "seed_seconds": seeded_in,
        "median_ms": statistics.median(timings) * 1000,
        "max_ms": max(timings) * 1000,
        "ideas_in_quarter": received,
    }
