"""Bar charts drawn on the server with pygal, as SVG inside an `<img>`: nothing is fetched from
elsewhere and no script can run (an image's scripts never do, and we take pygal's out anyway).
Every chart has a table beside it with the same figures, for screen readers and for print."""

from __future__ import annotations

import base64
import hashlib
from xml.etree import ElementTree

import pygal
from pygal.style import Style

from bot.report.figures import Bar

SVG = "{http://www.w3.org/2000/svg}"
# Dark enough on white for WCAG AA, and told apart by position and label, never colour alone.
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#6b6b6b",
    colors=("#005eb8",),
    font_family="system-ui, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    value_font_size=14,
    title_font_size=16,
)


def bar_chart(bars: list[Bar]) -> str:
    """A `data:` URI of an SVG bar chart, values printed on the bars."""
    chart = pygal.Bar(
        style=STYLE,
        width=640,
        height=320,
        show_legend=False,
        print_values=True,
        js=[],
        disable_xml_declaration=True,
        show_y_guides=True,
        x_label_rotation=0 if len(bars) <= 6 else 30,
    )
    # Whole numbers on the axis: these are counts of people and ideas.
    top = max([bar.value for bar in bars] + [1])
    chart.y_labels = list(range(0, top + 1, max(1, -(-top // 5))))
    chart.x_labels = [bar.label for bar in bars]
    chart.add("", [bar.value for bar in bars])
    tree = chart.render_tree()
    for parent in tree.iter():
        for child in list(parent):
            # pygal's own script, and comments that carry the day it was drawn
            if child.tag in (f"{SVG}script", "script") or not isinstance(child.tag, str):
                parent.remove(child)
    svg = ElementTree.tostring(tree, encoding="unicode")
    # pygal names each chart with a random id; the same figures give the same picture.
    drawn = hashlib.sha256(repr([(b.label, b.value) for b in bars]).encode()).hexdigest()[:12]
    svg = svg.replace(str(tree.get("id")), f"chart-{drawn}")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
