#!/usr/bin/env python3
"""Write a synthetic fact-check site of N checks for the benchmark.

    python bench/generate.py N DIR [--seed S]

DIR gets site.yaml (default rating scale: no `verdicts:` list), four pages,
about N/2 archived articles (~600 words each) under content/articles/ and N
checks under content/claims/: a ~500-word Markdown analysis, three citations
whose quotes are cut verbatim from the generated articles (some with `...`
elisions, written with straight quotes where the article has curly ones),
2-5 tags from a vocabulary of 200, verdicts from the default scale, some with
updates, a few drafts. Several checks cite the same article.

The output depends only on N and the seed (random.Random(seed), never the
clock), so every run of the benchmark measures the same content. Files are
written directly, one per entry; 100,000 checks take about a minute.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import sys
from itertools import accumulate
from pathlib import Path

GENERATOR_VERSION = "1"  # bump when the output changes, so cached sites are redone

# ---------------------------------------------------------------------------
# Vocabulary: plain news English. Order matters (earlier = more frequent).

_WORDS = """
the of and to in a that for on is said was with as by it at from has have be
were are not its which this an will but had their also they been would more
after than about over government minister officials year new million people
who two said could there first other into report last percent billion per cent
state public some when while plans can under three month talks agreement deal
company ministry says spokesperson between since may before national against
during country region project funding budget data figures increase decrease
cost prices rate election vote campaign party leader opposition parliament
court ruling law bill policy health hospital doctors patients vaccine schools
teachers students university research study scientists climate energy power
oil gas electricity water drought flood rain farmers crops food imports
exports trade tariffs market shares investors bank loan debt inflation
interest growth economy jobs workers wages unemployment factory steel mill
plant construction housing rent city council mayor police crime arrests
border migrants refugees asylum visa security army military defence weapons
contract signed confirmed denied announced reported claimed according
statement interview press conference official sources documents records
analysis review audit investigation committee inquiry commission agency
regulator authority department office federal provincial local district
rural urban capital coast north south east west central northern southern
eastern western week weeks months years days hours early late recent former
current next previous annual monthly weekly daily total average median
higher lower larger smaller rising falling stable record highest lowest
nearly almost about around roughly more than less fewer least most several
many few each every both either neither another same different similar
however although because therefore meanwhile instead despite whether still
already only just even also yet again further later earlier soon now then
told added noted explained warned argued suggested insisted described called
expected planned proposed approved rejected delayed cancelled launched opened
closed began ended continued remained became made took gave found showed
published released shared posted cited quoted compared measured estimated
online social media video post viral message users accounts platform website
newspaper broadcaster channel wire agency reporter editor correspondent
program service scheme fund grant subsidy tax revenue spending deficit surplus
households families children women men residents citizens voters taxpayers
""".split()

_POSSESSIVES = """government’s ministry’s country’s company’s minister’s council’s
party’s court’s city’s agency’s bank’s region’s""".split()

_NAMES = """Amina Okafor|Rahul Mehta|Sofia Lindqvist|Kwame Mensah|Li Wei|Maria Santos
|Tomasz Nowak|Fatima Zahra|Daniel Cohen|Aisha Bello|Jean Dupont|Hannah Schmidt
|Carlos Rivera|Yuki Tanaka|Olga Ivanova|Ahmed Hassan|Grace Mwangi|Pedro Alves
|Nadia Rahman|Samuel Adeyemi|Elena Petrova|Ravi Kumar|Chloe Martin|Omar Farouk
|Ingrid Berg|Thabo Nkosi|Lucia Romero|Kenji Sato|Zainab Yusuf|Marek Horvat""".replace("\n", "").split("|")

_PLACES = """Karachi|Lagos|Nairobi|Manila|Jakarta|Lima|Bogotá|Warsaw|Kyiv|Dhaka
|Accra|Istanbul|Cairo|Lisbon|Quito|Hanoi|Tbilisi|Almaty|Kampala|Santiago
|Colombo|Lusaka|Tirana|Riga|Dakar|Harare|Yerevan|Managua|Tunis|Kathmandu""".replace("\n", "").split("|")

_OUTLETS = """Daily Ledger|The Morning Courier|National Wire Service|Coastal Herald
|Metro Times|The Evening Standard-Bearer|Capital Post|Northern Gazette
|Southern Observer|The Business Recorder Weekly|Public Radio News|Global Dispatch
|The Tribune Online|Harbour Chronicle|Valley Voice|Riverside Record
|The Independent Monitor|Frontier Journal|Market Watchdog|City Beat Daily
|The Union Review|Island Times|Plains Reporter|Highland Bulletin
|Continental News Agency|The Citizen Desk|Provincial Mirror|The Weekly Register
|Open Data Journal|The Civic Sentinel|Lakeside Press|The Atlas Report
|East Coast Wire|The Republic Daily|Mountain Post|The Delta Examiner
|Harbor Light|The Plain Dealer Online|Sunrise Broadcasting|The Summit Times""".replace("\n", "").split("|")

_CLAIMANTS = (
    [f"{n}, {role}" for n, role in zip(_NAMES, ["member of parliament", "opposition leader", "health minister",
        "city councillor", "union spokesperson", "business lobbyist", "campaign adviser", "provincial governor",
        "party chair", "trade minister"] * 3)]
    + ["A viral Facebook post", "A video shared on TikTok", "A WhatsApp message", "An X (Twitter) thread",
       "A campaign leaflet", "A television advert", "A newspaper editorial", "A YouTube channel",
       "A Telegram channel", "An Instagram reel", "A press release", "A radio talk show"]
)

_TOPICS = """economy inflation jobs wages taxes budget debt trade tariffs steel energy
oil gas electricity climate floods drought water agriculture food health vaccines
hospitals education schools universities housing rent crime police courts elections
voting migration refugees borders defence security transport roads railways aviation
internet media technology privacy science environment pollution forests wildlife
mining corruption procurement pensions welfare children women labour unions
tourism culture sport religion""".split()

_ASPECTS = "statistics spending policy reform prices figures funding data".split()


def tag_vocabulary() -> list[str]:
    """200 tags: the topics, then topic-aspect pairs in a fixed order."""
    tags = list(_TOPICS)
    for aspect in _ASPECTS:
        for topic in _TOPICS:
            if len(tags) >= 200:
                return tags
            tags.append(f"{topic}-{aspect}")
    return tags


TAGS = tag_vocabulary()
VERDICTS = ["true", "mostly-true", "misleading", "mostly-false", "false", "unproven"]
VERDICT_WEIGHTS = [10, 14, 22, 18, 26, 10]


def _zipf_cum(n: int, s: float = 1.0) -> list[float]:
    return list(accumulate(1.0 / (i + 1) ** s for i in range(n)))


class Text:
    """Sentences and paragraphs of news-like English from one random stream."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = _WORDS + _POSSESSIVES
        self.cum = _zipf_cum(len(self.words), 0.8)
        self.tag_cum = _zipf_cum(len(TAGS), 0.9)

    def words_(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cum, k=k)

    def sentence(self, lo: int = 9, hi: int = 26) -> str:
        rng = self.rng
        words = self.words_(rng.randint(lo, hi))
        roll = rng.random()
        if roll < 0.25:
            words.insert(rng.randrange(1, len(words)), rng.choice(_NAMES))
        elif roll < 0.4:
            words.insert(rng.randrange(1, len(words)), "in " + rng.choice(_PLACES))
        elif roll < 0.55:
            words.insert(rng.randrange(1, len(words)), f"{rng.randint(2, 990)}{rng.choice(['', ' million', ' per cent', ',000'])}")
        if len(words) > 12:
            at = rng.randrange(4, len(words) - 3)
            words[at] += ","
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words) + "."

    def speech(self) -> str:
        """A quoted sentence with curly quotes, attributed."""
        body = self.sentence(7, 18)[:-1]
        who = self.rng.choice(_NAMES)
        return f"“{body},” said {who}."

    def article_paragraph(self) -> str:
        rng = self.rng
        parts = []
        for _ in range(rng.randint(2, 5)):
            parts.append(self.speech() if rng.random() < 0.15 else self.sentence())
        text = " ".join(parts)
        if rng.random() < 0.2:
            text = text.replace(", ", " — ", 1)  # a dash variant for the matcher to forgive
        return text

    def article(self, target_words: int = 600) -> str:
        paragraphs, count = [], 0
        while count < target_words:
            p = self.article_paragraph()
            paragraphs.append(p)
            count += p.count(" ") + 1
        return "\n\n".join(paragraphs)

    def tags(self) -> list[str]:
        picked = self.rng.choices(TAGS, cum_weights=self.tag_cum, k=self.rng.randint(2, 5))
        return list(dict.fromkeys(picked))


def _word_spans(paragraph: str) -> list[str]:
    return paragraph.split(" ")


_PUNCTUATION = ".,;:“”\"'’—"


def cut_quote(rng: random.Random, article: str) -> str:
    """A verbatim passage of the article, whole words, some with an elision."""
    paragraphs = article.split("\n\n")
    paragraph = paragraphs[rng.randrange(len(paragraphs))]
    tokens = _word_spans(paragraph)
    elided = rng.random() < 0.25 and len(tokens) > 30

    def span(lo: int, hi: int, length: int) -> tuple[int, int]:
        start = rng.randint(lo, max(lo, hi - length))
        return start, min(hi, start + length)

    def text(a: int, b: int) -> str:
        words = list(tokens[a:b])
        words[0] = words[0].lstrip(_PUNCTUATION)  # start and end on whole words
        words[-1] = words[-1].rstrip(_PUNCTUATION)
        quote = " ".join(w for w in words if w).strip(_PUNCTUATION + " ")
        # editors type straight quotes and apostrophes; the matcher forgives that
        return quote.replace("’", "'").replace("“", '"').replace("”", '"')

    if elided:
        half = len(tokens) // 2
        a = span(0, half, rng.randint(4, 9))
        b = span(half + 2, len(tokens), rng.randint(4, 9))
        mark = rng.choice([" ... ", " … ", " [...] "])
        first, second = text(*a), text(*b)
        if first and second:
            return first + mark + second
    a = span(0, len(tokens), rng.randint(8, 24))
    return text(*a) or tokens[0]


def yq(value: str) -> str:
    """A YAML single-quoted scalar."""
    return "'" + value.replace("'", "''") + "'"


_SLUG_POOL = sorted({w for w in _WORDS if w.isalpha() and len(w) > 3})


def slug_words(rng: random.Random, k: int) -> str:
    return "-".join(rng.sample(_SLUG_POOL, k))


def date_from(rng: random.Random, start: dt.date, days: int) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(days))


SITE_YAML = """\
title: Benchmark Desk
description: Synthetic fact-checks for measuring build speed.
base_url: https://example.github.io/bench-desk/
language: en
publisher:
  name: Benchmark Desk
  url: https://example.github.io/bench-desk/
"""

PAGES = {
    "about": ("About us", True, "We are a synthetic desk. Write to [us](mailto:desk@example.org)."),
    "methodology": ("Methodology", True, "We read the archived articles and quote them word for word.\n\n"
                    "## Sources\n\nEvery check cites at least one archived article."),
    "rating-scale": ("Rating scale", True, "See [the verdicts](/verdicts/) for what each rating means."),
    "corrections": ("Corrections", True, "Corrections are listed on each check, oldest first."),
}


def analysis(tx: Text, rng: random.Random, quotes: list[str], slugs: list[str]) -> str:
    """~500 words of Markdown: paragraphs, emphasis, links, sometimes a list, heading, blockquote."""
    paragraphs: list[str] = []
    count = 0
    while count < 470:
        sentences = [tx.sentence() for _ in range(rng.randint(3, 6))]
        roll = rng.random()
        if roll < 0.3:
            i = rng.randrange(len(sentences))
            words = sentences[i].split(" ")
            j = rng.randrange(len(words) - 2)
            words[j] = f"**{words[j]} {words[j + 1]}**"
            del words[j + 1]
            sentences[i] = " ".join(words)
        elif roll < 0.5:
            i = rng.randrange(len(sentences))
            sentences[i] = sentences[i][:-1] + f' ("{quotes[rng.randrange(len(quotes))]}").'
        elif roll < 0.65:
            target = f"/claims/{rng.choice(slugs)}/" if rng.random() < 0.5 else f"https://example.org/reports/{rng.randint(1, 99999)}"
            sentences.append(f"See [the {rng.choice(['earlier check', 'report', 'data', 'statement'])}]({target}).")
        elif roll < 0.72:
            sentences.append(f"The *{rng.choice(_OUTLETS)}* did not respond.")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += paragraph.count(" ") + 1
        if rng.random() < 0.08:
            paragraphs.append("## " + tx.sentence(3, 6)[:-1])
        if rng.random() < 0.06:
            paragraphs.append("\n".join("- " + tx.sentence(5, 10) for _ in range(rng.randint(2, 4))))
        if rng.random() < 0.05:
            paragraphs.append("> " + quotes[rng.randrange(len(quotes))])
    return "\n\n".join(paragraphs)


def claim_yaml(tx: Text, rng: random.Random, index: int, slug: str, slugs: list[str],
               article_ids: list[str], articles: dict[str, str], popularity: list[float]) -> str:
    cited = []
    while len(cited) < 3:
        a = rng.choices(article_ids, cum_weights=popularity, k=1)[0]
        if a not in cited:
            cited.append(a)
    quotes = [cut_quote(rng, articles[a]) for a in cited]
    published = date_from(rng, dt.date(2019, 1, 1), 7 * 365)
    out = [
        f"claim: {yq(tx.sentence(10, 24))}",
        f"claimant: {yq(rng.choice(_CLAIMANTS))}",
    ]
    if rng.random() < 0.7:
        out.append(f"claim_date: {published - dt.timedelta(days=rng.randint(1, 40))}")
    if rng.random() < 0.5:
        items = [cited[0]] if rng.random() < 0.6 else [f"https://social.example.com/post/{rng.randint(10**6, 10**7)}"]
        out.append(f"appeared_in: [{', '.join(items)}]")
    out.append(f"verdict: {rng.choices(VERDICTS, weights=VERDICT_WEIGHTS, k=1)[0]}")
    if rng.random() < 0.5:
        out.append(f"headline: {yq(tx.sentence(5, 11)[:-1])}")
    out.append(f"summary: {yq(' '.join(tx.sentence(8, 18) for _ in range(rng.randint(2, 3))))}")
    out.append(f"published: {published}")
    if rng.random() < 0.4:
        out.append(f"author: {yq(rng.choice(_NAMES))}")
    if rng.random() < 0.01:
        out.append("draft: true")
    out.append(f"tags: [{', '.join(tx.tags())}]")
    if rng.random() < 0.15:
        out.append("updates:")
        day = published
        for _ in range(rng.randint(1, 2)):
            day += dt.timedelta(days=rng.randint(1, 90))
            out.append(f"  - date: {day}")
            out.append(f"    note: {yq(tx.sentence(8, 16))}")
    out.append("citations:")
    for article_id, quote in zip(cited, quotes):
        out.append(f"  - article: {article_id}")
        out.append(f"    quote: {yq(quote)}")
        if rng.random() < 0.6:
            out.append(f"    note: {yq(tx.sentence(5, 12))}")
    body = analysis(tx, rng, quotes, slugs)
    out.append("analysis: |")
    out.extend(("  " + line) if line else "" for line in body.split("\n"))
    return "\n".join(out) + "\n"


def article_file(tx: Text, rng: random.Random, index: int, text: str) -> str:
    outlet = rng.choice(_OUTLETS)
    published = date_from(rng, dt.date(2018, 6, 1), 7 * 365)
    front = [
        "---",
        f"title: {yq(tx.sentence(6, 12)[:-1])}",
        f"publisher: {yq(outlet)}",
    ]
    if rng.random() < 0.6:
        front.append(f"author: {yq(rng.choice(_NAMES))}")
    front.append(f"published: {published if rng.random() < 0.95 else published.strftime('%Y-%m')}")
    if rng.random() < 0.7:
        front.append(f"url: https://news.example.com/{index}/{slug_words(rng, 3)}")
    if rng.random() < 0.3:
        front.append(f"archive_url: https://archive.example.org/web/{index}")
    front.append("---")
    return "\n".join(front) + "\n" + text + "\n"


def generate(n: int, out: Path, seed: int = 1) -> dict[str, int]:
    rng = random.Random(seed)
    tx = Text(rng)
    if out.exists():
        shutil.rmtree(out)
    (out / "content" / "articles").mkdir(parents=True)
    (out / "content" / "claims").mkdir(parents=True)
    (out / "content" / "pages").mkdir(parents=True)
    (out / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    for slug, (title, nav, body) in PAGES.items():
        (out / "content" / "pages" / f"{slug}.md").write_text(
            f"---\ntitle: {title}\nnav: {'true' if nav else 'false'}\n---\n{body}\n", encoding="utf-8"
        )

    n_articles = max(3, n // 2)
    article_ids = [f"a{i:06d}-{slug_words(rng, 2)}" for i in range(n_articles)]
    articles: dict[str, str] = {}
    folder = out / "content" / "articles"
    for i, article_id in enumerate(article_ids):
        text = tx.article()
        articles[article_id] = text
        (folder / f"{article_id}.txt").write_text(article_file(tx, rng, i, text), encoding="utf-8")

    # some articles are cited far more often than others (a wire story, a big report)
    weights = [1.0 + 6.0 * (rng.random() < 0.1) for _ in article_ids]
    popularity = list(accumulate(weights))
    slugs = [f"c{i:06d}-{slug_words(rng, 3)}" for i in range(n)]
    folder = out / "content" / "claims"
    for i, slug in enumerate(slugs):
        text = claim_yaml(tx, rng, i, slug, slugs, article_ids, articles, popularity)
        (folder / f"{slug}.yaml").write_text(text, encoding="utf-8")
    return {"claims": n, "articles": n_articles}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, metavar="N", help="number of checks")
    parser.add_argument("dir", type=Path, metavar="DIR", help="the site folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.n < 1:
        parser.error("N must be at least 1")
    counts = generate(args.n, args.dir, args.seed)
    print(f"Wrote {counts['claims']} checks and {counts['articles']} articles to {args.dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
