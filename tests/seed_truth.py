"""What DESIGN.md says about the seeds, written down once for the tests that check it."""

from __future__ import annotations

# Lines that are junk, per DESIGN.md; glued prefixes are listed as the prefix only.
JUNK = {
    "001.txt": ["Current:Home > World", "View", "Date:2024-01-31 08:47:12", "veryGood! (9)", "Related", "Ranking",
                "Recommendation", "China says it will tighten checks on exports of chemicals used to make drugs",
                "How fentanyl became the deadliest drug in America",
                "Mexico cartel leader extradited to US on trafficking charges",
                "Stocks slip as investors await interest rate decision", "Ten photos that defined the week",
                "Heavy snow closes highways across northern China", "Bank of Japan keeps negative rates in place",
                "Oil prices climb on Middle East tension", "Taiwan election result draws warning from Beijing"],
    "002.txt": ["Updated: 6:42 PM EST Jan 30, 2024", "0:00",
                "Customs officers inspect packages at an international mail facility in Chicago.",
                "The Associated Press contributed to this report."],
    "003.txt": ["4 min read"],
    "004.txt": ["Follow Emily's Hope for the latest updates on fentanyl policy, family resources and upcoming events."],
}
# Lines that are neither article sentences nor named junk (headlines, bylines): not checked either way.
NEUTRAL = {
    "000.txt": [0], "001.txt": [0], "002.txt": [0, 1], "003.txt": [0, 1], "004.txt": [0],
}
# A duplicated headline is junk: at most one copy may survive.
DUPLICATE_TITLE = ("002.txt", "US, China begin counternarcotics talks as families of fentanyl victims watch closely")
EXPECTED_CLASS = {
    "000": "wholly-derived", "001": "wire-copy", "002": "partially-derived", "003": "original", "004": "original",
}


def article_lines(name: str, text: str) -> list[str]:
    """The seed's lines that are article text: everything not junk and not neutral."""
    junk = JUNK.get(name, [])
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out = []
    for i, line in enumerate(lines):
        if i in NEUTRAL.get(name, []) or line in junk:
            continue
        prefix = next((j for j in junk if line.startswith(j)), None)
        out.append(line[len(prefix):] if prefix else line)
    return out
