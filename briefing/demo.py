"""The demo brief a newcomer sees on first start.

The article is written for this project in the layout of a wire story (headline, date line,
lede, headed parts, credit trailer); it retells public facts of the May 2025 visit of
Turkey's foreign minister to Moscow in its own words.
"""

from __future__ import annotations

from briefing.importing import Source
from briefing.importing.service import import_sources
from briefing.store import Book

DEMO_BRIEF = "demo"
"""Its own id: a brief the user makes from the `russia-turkey` template never meets it."""
DEMO_TEMPLATE = "russia-turkey"
DEMO_ORIGIN = "demo: russia-turkey"

DEMO_ARTICLE = """\
Fidan Heads to Moscow as Ankara Weighs Its Mediator Role

25 May

Hakan Fidan, Turkey's foreign minister, travels to Moscow for three days of talks from May 25, answering an invitation from his Russian counterpart Sergey Lavrov. Both bilateral matters and international files are expected on the table.

\u00a0

Contacts between the two capitals have stayed frequent. Presidents Putin and Erdogan saw each other twice in 2024, in Astana at the SCO summit and in Kazan at the BRICS summit, while the two foreign ministers last spoke in person at the Antalya Diplomacy Forum in April 2025.

\u00a0

Turkish officials have let it be known that Fidan would like to be received by President Vladimir Putin. Separate meetings with presidential aide Vladimir Medinsky and Defence Minister Andrey Belousov are under discussion.

\u00a0

Moscow says it hopes the visit will strengthen relations and help build a steadier security order in the region around both countries.

\u00a0

Focus on Ukraine

\u00a0

Talks between Russia and Ukraine are likely to dominate. Istanbul hosted the first direct meeting of the two delegations since 2022 on May 16, where they agreed on a prisoner swap of a thousand for a thousand and on setting out their conditions for a ceasefire.

\u00a0

The swap was completed over three days. Russian officials say a memorandum with proposals for a settlement will be handed to Kyiv once drafting is finished.

\u00a0

Ankara is expected to restate that it seeks a just and durable peace and is ready to keep mediating; Istanbul is named as the likeliest host of a second round.

\u00a0

Regional Issues

\u00a0

The ministers will also compare notes on Syria, Libya, the South Caucasus and the Black Sea, where freedom of navigation remains a concern.

\u00a0

On Syria, both sides say they back the new authorities in Damascus and an inclusive political process leading to economic recovery.

\u00a0

In the South Caucasus, the focus is on reopening transport links and on the "3+3" format that brings together the region's states and its neighbours.

\u00a0

Bilateral Agenda

\u00a0

Trade is under pressure from Western sanctions. The ministers are to look at payments between banks, a wider mix of traded goods and the acceptance of Russian "Mir" cards in Turkey.

\u00a0

Preparations for the 19th meeting of the intergovernmental commission on trade are also due, together with the Akkuyu nuclear power plant and the TurkStream and Blue Stream gas pipelines.

\u00a0

Tourism matters to both: Russians made about 6.7 million visits to Turkey in 2024, more than any other nationality, and some 7 million are expected in 2025.

\u00a0

\u00a0

DEMO "Briefing sample desk"

Based on materials from Briefing Demo
"""


def add_demo(book: Book) -> str:
    """Create the demo brief with its article; returns the brief id."""
    from briefing.briefs import CURRENT, create_brief
    from briefing.templates import get_template

    if book.brief(DEMO_BRIEF, missing_ok=True) is None:
        title = f"{get_template(DEMO_TEMPLATE).title} (demo)"
        create_brief(book, DEMO_TEMPLATE, title, brief_id=DEMO_BRIEF)
    import_sources(
        book, [Source(DEMO_ORIGIN, data=DEMO_ARTICLE.encode("utf-8"))], brief_id=DEMO_BRIEF
    )
    book.set_setting(CURRENT, DEMO_BRIEF)
    return DEMO_BRIEF
