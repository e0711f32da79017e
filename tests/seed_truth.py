"""The seed manifest: what ../shared/seeds/README.md says about the five real articles, written down once.

Tests name a seed by its role (WIRE, REWRITE, ...), never by its file name.
"""

from __future__ import annotations

REWRITE = "000_eb851465ed85e8b6.txt"  # the AP story rewritten sentence by sentence
WIRE = "001_e6bfbdff0e784e37.txt"  # the AP story reprinted by a content farm
PARTIAL = "002_ae8e12822f8eedd7.txt"  # own reporting around a lightly edited AP middle part
BLOG = "003_47b76f7429a7529b.txt"  # written from other reporting
BRIEFING = "004_fe16e4a74ebfb5f5.txt"  # an advocacy site's briefing
NAMES = (REWRITE, WIRE, PARTIAL, BLOG, BRIEFING)  # in the order a folder is read

EXPECTED_CLASS = {
    REWRITE: "wholly-derived", WIRE: "wire-copy", PARTIAL: "partially-derived", BLOG: "original", BRIEFING: "original",
}
FIRST_SOURCE = {REWRITE: WIRE, WIRE: "wire:AP", PARTIAL: WIRE}
ORIGINALITY_ORDER = (WIRE, REWRITE, PARTIAL)  # strictly increasing, then below min(BLOG, BRIEFING)

_RELATED = [
    "- The 401(k) millionaires club keeps growing. We'll tell you how to join.",
    "- Why Tamar Braxton Isn't Sure Braxton Family Values Could Return After Sister Traci's Death",
    "- The U.S. made a breakthrough battery discovery — then gave the technology to China",
    "- Pressure on a veteran and senator shows what’s next for those who oppose Trump",
    "- Elon Musk wants to get out of buying Twitter. A whistleblower's claims might help him",
    "- Shop These 17 Women-Founded Makeup Brands That Are So Good, You'll Blush",
    "- Twitter's lawsuit against Elon Musk will go to trial in October",
    "- Person accused of accosting Rep. Nancy Mace at Capitol pleads not guilty to assault charge",
    "- Here's what Elon Musk will likely do with Twitter if he buys it",
    "- US appeals court rejects Nasdaq’s diversity rules for company boards",
    "- Life Kit: How to log off",
    "- The Bold Type's Katie Stevens Gives Birth, Welcomes First Baby With Husband Paul DiGiovanni",
    "- Will BeReal just make us BeFake? Plus, A Guidebook To Smell",
    "- Andrew Tate gets banned from Facebook, Instagram, TikTok for violating their policies",
    "- Attention, #BookTok: Here's the Correct Way to Pronounce Jodi Picoult's Name",
    "- Bad Bunny Appears to Diss Kendall Jenner's Ex Devin Booker in New Song",
    "B.A. Parker is learning the banjo",
    "Ulta 24-Hour Flash Sale: Take 50% Off Fenty Beauty by Rihanna, NuFACE, It Cosmetics, Clinique & Benefit",
    "El Chapo sons deny U.S. fentanyl indictment accusations, claim they are scapegoats",
    "Twitter may have hired a Chinese spy and four other takeaways from the Senate hearing",
    "Sonya Massey's father decries possible release of former deputy charged with her death",
    "Jill Biden arrives solo in London for King Charles' coronation",
    "75 years after India's violent Partition, survivors can cross the border — virtually",
    "Amazon loses key step in its attempt to reverse its workers' historic union vote",
]
_CAPTION = "U.S. Deputy Assistant to the President and Deputy Homeland Security Adviser Jen Daskal"
# Lines that are junk, per the seeds' README, as their first words; GLUED junk opens a line of article text.
JUNK = {
    WIRE: ["Current:Home > Finance", "View", "Date:2025-04-25 10:04:56", "veryGood! (9)", "Related", "Ranking",
           "Recommendation", *_RELATED],
    PARTIAL: ["Updated:", "0:00", _CAPTION, "The Associated Press contributed to this report."],
    BLOG: ["4 min read"],
    BRIEFING: ["Follow Emily’s Hope for the latest on this developing story."],
}
GLUED = ("Current:Home > Finance", "4 min read")
# Junk the boilerplate model still keeps: a video player's time stamp (issue #30). A strict xfail test asserts
# it is gone, so it fails loudly the day it is.
KNOWN_KEPT = {
    PARTIAL: ["0:00"],
}
# Lines that are neither article sentences nor named junk (headlines, standfirsts, section heads): not checked.
NEUTRAL = {
    REWRITE: [0], WIRE: [0, 1], PARTIAL: [0, 1, 2, 11, 21, 25], BLOG: [0], BRIEFING: [0],
}
# A duplicated headline is junk: at most one copy may survive.
DUPLICATE_TITLE = (PARTIAL, "US, China Restart Talks on Fentanyl Crackdown")


def junk_lines(name: str, text: str) -> list[str]:
    """The seed's lines that are junk (a glued prefix as the prefix alone)."""
    return [prefix for line in _lines(text) for prefix in JUNK.get(name, []) if line.startswith(prefix)]


def article_lines(name: str, text: str) -> list[str]:
    """The seed's lines that are article text: everything not junk and not neutral, glued junk cut off."""
    out = []
    for i, line in enumerate(_lines(text)):
        if i in NEUTRAL.get(name, []):
            continue
        prefix = next((j for j in JUNK.get(name, []) if line.startswith(j)), None)
        if prefix is None:
            out.append(line)
        elif prefix in GLUED:
            out.append(line[len(prefix):].strip())
    return out


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
