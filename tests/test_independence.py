"""Source independence: copies and rewrites of one report are one source.

On the example's own articles (000 and 001 are the same IANS report, 002 a
rewrite of it, 003 and 004 Business Recorder's own, different reports), on
hand-written families (a copy with furniture and curly quotes, a copy with its
whitespace changed, rewrites with credit lines, unrelated stories on the same
topic), and on generated archives of thousands of articles, where the work must
grow about linearly.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
import textwrap
from dataclasses import dataclass, fields
from pathlib import Path

import pytest

from factdesk.independence import (
    BUCKET_CHECKS,
    THRESHOLD_DESCRIPTIONS,
    Credit,
    Families,
    Thresholds,
    containment,
    content_words,
    credits_of,
    describe,
    find_families,
    ordered_overlap,
    shingles,
)
from factdesk.model import Article
from factdesk.validation import load_site

PROJECT_DIR = Path(__file__).resolve().parent.parent
EXAMPLE_DESK = PROJECT_DIR / "tests" / "fixtures" / "example-desk"

SAKSHI = "sakshi-russia-rubbishes-fake-reports"  # 000
COPY = "unidentified-russia-rubbishes-fake-reports"  # 001
REWRITE = "unidentified-rewrite-russia-rejects-reports"  # 002
DELEGATION = "business-recorder-delegation-to-russia"  # 003
PSM = "business-recorder-psm-revival-deputy-pm"  # 004


# -- the example's articles ----------------------------------------------------------


@pytest.fixture(scope="module")
def example():
    loaded = load_site(EXAMPLE_DESK)
    assert loaded.site is not None, [str(p) for p in loaded.problems]
    return loaded.site


@pytest.fixture(scope="module")
def example_families(example) -> Families:
    return find_families(example.articles.values())


def test_the_two_copies_of_the_ians_report_are_one_family(example_families):
    family = example_families.family_of(SAKSHI)
    assert family is example_families.family_of(COPY)
    assert family.origin == "IANS"
    assert (SAKSHI, COPY) in family.copies


def test_the_rewrite_joins_the_ians_family_as_a_rewrite(example_families):
    family = example_families.family_of(REWRITE)
    assert family.members == (SAKSHI, REWRITE, COPY)
    assert family.rewrites == ((REWRITE, SAKSHI),)
    assert family.copy_groups == ((SAKSHI, COPY), (REWRITE,))


def test_business_recorders_two_reports_stay_apart(example_families):
    delegation = example_families.family_of(DELEGATION)
    psm = example_families.family_of(PSM)
    assert delegation.members == (DELEGATION,)
    assert psm.members == (PSM,)
    # 003 quotes Khan's sentence that 000 also quotes; one sentence is not a copy
    assert example_families.family_of(SAKSHI) is not delegation


def test_the_example_has_exactly_one_shared_family(example_families):
    assert example_families.as_data() == [
        {
            "origin": "IANS",
            "members": [SAKSHI, REWRITE, COPY],
            "copies": [[SAKSHI, COPY]],
            "rewrites": [[REWRITE, SAKSHI]],
        }
    ]


def test_relations_of_the_example_articles(example_families):
    assert tuple(example_families.relations(SAKSHI)) == ((COPY,), (), (REWRITE,))
    assert tuple(example_families.relations(COPY)) == ((SAKSHI,), (), (REWRITE,))
    assert tuple(example_families.relations(REWRITE)) == ((), (SAKSHI, COPY), ())
    assert tuple(example_families.relations(PSM)) == ((), (), ())
    assert tuple(example_families.relations("no-such-article")) == ((), (), ())


def test_the_example_credits(example):
    articles = example.articles
    assert credits_of(articles[SAKSHI]) == (Credit("IANS", "by"),)  # byline and dateline "(IANS)"
    assert credits_of(articles[COPY]) == (Credit("IANS", "by"),)  # byline and closing "IANS" line
    assert credits_of(articles[REWRITE]) == (Credit("IANS", "based_on"),)  # "Based On IANS Report"
    assert credits_of(articles[DELEGATION]) == (Credit("Business Recorder", "by"),)  # "Copyright Business Recorder, 2025"
    assert credits_of(articles[PSM]) == ()  # a reporter's byline is no wire credit


EXAMPLE_SENTENCES = {
    # every claim of the example, by the articles it cites
    "ians-russia-rubbished-reports-of-ties": "3 articles, 2 independent sources: Sakshi Post and Unidentified news site carry the same IANS report",
    "rewrite-russia-officially-rejected-reports": "2 articles, 1 independent source: Unidentified news site rewrote the IANS report carried by Sakshi Post",
    "pakistan-manufactured-fake-reports": "4 articles, 2 independent sources: Unidentified news site rewrote the IANS report carried by Sakshi Post; 2 are from one outlet, Business Recorder",
    "may-13-meeting-denis-nazaroof": "2 articles, 2 independent sources",
    # Business Recorder's two reports are one outlet's: they count once
    "joint-working-group-karachi-steel-mill": "3 articles, 2 independent sources: 2 are from one outlet, Business Recorder",
    "khan-july-talks-russia-deputy-pm": "2 articles, 1 independent source: 2 are from one outlet, Business Recorder",
    "multibillion-dollar-steel-contract": "3 articles, 2 independent sources: 2 are from one outlet, Business Recorder",
}


@pytest.mark.parametrize("slug", sorted(EXAMPLE_SENTENCES))
def test_each_example_claim_states_its_independent_sources(example, example_families, slug):
    (claim,) = [c for c in example.claims if c.slug == slug]
    ids = [a.id for a in claim.cited_articles]
    assert example_families.describe(ids, example.articles) == EXAMPLE_SENTENCES[slug]


def test_independent_counts_of_the_seeds(example_families):
    assert example_families.independent_count([SAKSHI, COPY, REWRITE])[0] == 1
    assert example_families.independent_count([SAKSHI, COPY, PSM])[0] == 2
    assert example_families.independent_count([DELEGATION, PSM])[0] == 2  # by text alone
    count, shared = example_families.independent_count([COPY, SAKSHI, PSM, SAKSHI])
    assert count == 2 and [f.members for f in shared] == [(SAKSHI, REWRITE, COPY)]
    assert example_families.independent_count(["not-archived", SAKSHI]) == (2, [])


def test_describe_wording(example, example_families):
    articles = example.articles
    assert example_families.describe([], articles) == "No archived articles"
    assert example_families.describe([PSM], articles) == "1 article, 1 source"
    assert example_families.describe([DELEGATION, PSM], articles) == "2 articles, 1 independent source: 2 are from one outlet, Business Recorder"
    assert (
        example_families.describe([COPY, SAKSHI, REWRITE], articles)
        == "3 articles, 1 independent source: Sakshi Post and Unidentified news site carry the same IANS report, "
        "which Unidentified news site rewrote"
    )
    assert describe([SAKSHI, COPY, PSM], articles) == (
        "3 articles, 2 independent sources: Sakshi Post and Unidentified news site carry the same IANS report"
    )


def test_the_check_warning_for_a_single_family(example, example_families):
    articles = example.articles
    warning = example_families.single_source_warning([SAKSHI, COPY], articles)
    assert warning == (
        "all 2 cited articles are one source (Sakshi Post and Unidentified news site carry the same IANS report); "
        "cite an independent source as well"
    )
    assert example_families.single_source_warning([SAKSHI, PSM], articles) is None
    assert example_families.single_source_warning([SAKSHI], articles) == (
        "the check rests on one article (Sakshi Post); cite an independent source as well"
    )


def test_sources_data_for_claims_json(example_families):
    assert example_families.sources_data([COPY, SAKSHI, PSM]) == {
        "articles": 3,
        "independent_sources": 2,
        "shared": [{"origin": "IANS", "articles": [COPY, SAKSHI], "family": [SAKSHI, REWRITE, COPY]}],
    }
    json.dumps(example_families.as_data())  # plain data


# -- hand-written families ------------------------------------------------------------

GWADAR = """\
Islamabad, June 3 (PTI) Pakistan and China on Tuesday signed an agreement to expand the Gwadar port, adding four new berths and a desalination plant, officials said.

The agreement was signed in Islamabad by Planning Minister Ahsan Iqbal and Chinese Ambassador Jiang Zaidong in the presence of Prime Minister Shehbaz Sharif.

Under the deal, the China Overseas Port Holding Company will invest 450 million dollars over five years, the planning ministry said in a statement.

"Gwadar will become the gateway of regional trade once these berths are complete," Iqbal told reporters after the ceremony.

The port, a flagship project of the China-Pakistan Economic Corridor (CPEC), has handled little cargo since it opened in 2016, and local fishermen have complained that the project has cut them off from the sea.

Officials said the desalination plant would supply five million gallons of water a day to the town, which has faced acute shortages for a decade.

Baloch nationalist groups have attacked Chinese nationals working on CPEC projects several times in recent years, and security for the port will be handled by a special army division.

The Chinese embassy said the agreement reflected the "all-weather friendship" between the two countries.
"""

# the same port, the same minister, the same wire: a different event
PROTEST = """\
Gwadar, June 5 (PTI) Hundreds of fishermen blocked the main road to the Gwadar port on Thursday, demanding an end to illegal trawling and a reliable supply of drinking water, local officials said.

The protesters, led by the Haq Do Tehreek movement, camped outside the port's gates and said they would not leave until the provincial government met their demands.

"We were promised water and jobs when CPEC began, and we have received neither," said Hussain Wadela, a local leader, addressing the crowd.

The town's only desalination plant has been out of order since March, and residents rely on water tankers that charge up to 5,000 rupees a trip.

Planning Minister Ahsan Iqbal, who visited Gwadar last month, had promised that the water crisis would be solved within a year.

Police said the protest remained peaceful, though traffic to and from the port was suspended for several hours.

Chinese engineers working at the port were moved to a secure compound as a precaution, a security official said.
"""

ATTACK = """\
Quetta, June 9 (PTI) Gunmen attacked a convoy carrying Chinese engineers on the coastal highway near Gwadar on Monday, killing two police escorts, officials said.

The engineers, who work on the expansion of the Gwadar port under the China-Pakistan Economic Corridor, were unhurt and were taken back to their camp.

A banned Baloch separatist group claimed responsibility for the attack in a message to journalists.

Prime Minister Shehbaz Sharif condemned the attack and ordered an inquiry, while Planning Minister Ahsan Iqbal said CPEC projects would continue "without interruption".

The Chinese embassy in Islamabad asked Pakistan to bring the attackers to justice and to strengthen security for Chinese nationals.
"""

# a desk's own analysis: same people and places, one quoted sentence in common with GWADAR
ANALYSIS = """\
For a decade, Gwadar has been the town where the China-Pakistan Economic Corridor was supposed to prove itself. It has mostly proved how hard that is.

The port has four berths, handles a fraction of Karachi's cargo and still has no reliable road link to the rest of the country. Fishermen say they have lost access to the sea; residents still queue for water.

This week's agreement promises four more berths and a desalination plant. Planning Minister Ahsan Iqbal was upbeat: "Gwadar will become the gateway of regional trade once these berths are complete," he said.

Similar promises were made in 2015, 2017 and 2021. What has changed, officials argue, is that the China Overseas Port Holding Company now has a financial stake in the plant, not just the berths.

Whether the money arrives on time will depend on security. Attacks on Chinese nationals have made investors wary, and a special army division is stretched across hundreds of kilometres of coast.
"""

FURNITURE_BEFORE = "Home \u00bb World \u00bb Asia\n\nShare on WhatsApp | Share on X | Copy link\n\n"
FURNITURE_AFTER = """
Also read: Pakistan's inflation eases to 11 percent in May

Also read: Senate passes budget amid opposition walkout

Disclaimer: This story is auto-generated from a syndicated feed and has not been edited by our staff.

Trending now
Cricket: Pakistan name squad for England tour
Gold prices hit new high in Karachi as rupee weakens
Petrol price likely to drop from June 16, say officials
"""

GWADAR_REWRITE = """\
Pakistan has agreed with China to enlarge the port of Gwadar, with four additional berths and a plant to desalinate sea water, according to officials.

Planning Minister Ahsan Iqbal and Chinese Ambassador Jiang Zaidong put their signatures to the agreement in Islamabad, with Prime Minister Shehbaz Sharif looking on.

China Overseas Port Holding Company is to invest 450 million dollars in the project over a five-year period, a statement from the planning ministry said.

Iqbal predicted that Gwadar would become the gateway of regional trade after the new berths were built.

The flagship China-Pakistan Economic Corridor project has seen little cargo since its 2016 opening.

According to officials, the desalination plant will provide five million gallons of water every day to a town that has struggled with shortages for ten years.

Analysts say the deal signals Beijing's renewed interest in the corridor after months of slow progress.

Based on PTI report
"""

PROTEST_REWRITE = """\
Fishermen in Gwadar blocked the road leading to the port on Thursday, protesting against illegal trawling and demanding a reliable supply of drinking water.

Led by the Haq Do Tehreek movement, the protesters set up camp at the port's gates, vowing to stay until the provincial government accepted their demands.

Local leader Hussain Wadela told the crowd that CPEC had brought them neither water nor jobs.

The desalination plant, the only one in the town, has not worked since March, leaving residents dependent on water tankers charging up to 5,000 rupees per trip.

Ahsan Iqbal, the planning minister, had promised during a visit last month to solve the water crisis within a year.

(With inputs from PTI)
"""


def curly(text: str) -> str:
    """Typographic quotes and apostrophes, and an en dash for the hyphen in 'China-Pakistan'."""
    out, opening = [], True
    for char in text:
        if char == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        elif char == "'":
            out.append("\u2019")
        else:
            out.append(char)
    return "".join(out).replace("China-Pakistan", "China\u2013Pakistan")


def rewrapped(text: str) -> str:
    """The same words with different whitespace: hard-wrapped lines, tabs, no-break and double spaces, CRLF."""
    paragraphs = [textwrap.fill(p, 38) for p in text.split("\n\n")]
    joined = "\r\n \r\n".join(paragraphs)
    return joined.replace(" the ", "  the ").replace(" of ", "\u00a0of ").replace(" a ", "\ta ")


def make_article(article_id: str, text: str, publisher: str, author: str | None = None) -> Article:
    return Article(
        id=article_id,
        path=f"content/articles/{article_id}.txt",
        title=article_id.replace("-", " ").capitalize(),
        publisher=publisher,
        published=dt.date(2025, 6, 3),
        text=text,
        author=author,
    )


@pytest.fixture(scope="module")
def desk() -> dict[str, Article]:
    articles = [
        make_article("gwadar-wire", GWADAR, "Wire Daily", "PTI"),
        make_article("gwadar-portal", FURNITURE_BEFORE + curly(GWADAR) + FURNITURE_AFTER, "News Portal"),
        make_article("gwadar-rewrapped", rewrapped(GWADAR.split(" (PTI) ", 1)[1]), "Coast Times"),
        make_article("gwadar-rewrite", GWADAR_REWRITE, "Rewrite Hub"),
        make_article("protest-wire", PROTEST, "Wire Daily", "PTI"),
        make_article("protest-rewrite", PROTEST_REWRITE, "Rewrite Hub"),
        make_article("attack-wire", ATTACK, "Wire Daily", "PTI"),
        make_article("gwadar-analysis", ANALYSIS, "Desk Weekly", "Sana Baloch"),
    ]
    return {a.id: a for a in articles}


@pytest.fixture(scope="module")
def desk_families(desk) -> Families:
    return find_families(desk.values())


def members(families: Families) -> list[tuple[str, ...]]:
    return [f.members for f in families.families]


def test_hand_written_families(desk_families):
    assert members(desk_families) == [
        ("attack-wire",),
        ("gwadar-analysis",),
        ("gwadar-portal", "gwadar-rewrapped", "gwadar-rewrite", "gwadar-wire"),
        ("protest-rewrite", "protest-wire"),
    ]


def test_a_copy_with_furniture_and_curly_quotes_is_a_copy(desk):
    def shingled(article_id):
        return shingles(desk[article_id].text)

    assert containment(shingled("gwadar-wire"), shingled("gwadar-portal")) == 1.0
    assert containment(shingled("gwadar-wire"), shingled("gwadar-rewrapped")) > 0.95
    assert containment(shingled("gwadar-wire"), shingled("protest-wire")) < 0.1


def test_copies_and_rewrites_in_the_gwadar_family(desk_families):
    family = desk_families.family_of("gwadar-wire")
    assert family.origin == "PTI"
    assert family.copy_groups[0] == ("gwadar-portal", "gwadar-rewrapped", "gwadar-wire")
    assert [r for r, _ in family.rewrites] == ["gwadar-rewrite"]
    relations = desk_families.relations("gwadar-portal")
    assert relations.also_published_as == ("gwadar-rewrapped", "gwadar-wire")
    assert relations.rewritten_as == ("gwadar-rewrite",)
    assert desk_families.relations("gwadar-rewrite").rewritten_from == family.copy_groups[0]


def test_each_rewrite_joins_its_own_story_not_another_on_the_same_topic(desk_families):
    assert desk_families.family_of("protest-rewrite").rewrites == (("protest-rewrite", "protest-wire"),)
    assert desk_families.family_of("protest-wire").origin == "PTI"
    assert desk_families.family_of("attack-wire").members == ("attack-wire",)


def test_rewrite_scores_separate_rewrites_from_same_topic_stories(desk):
    def score(a, b):
        return ordered_overlap(content_words(desk[a].text), content_words(desk[b].text))

    threshold = Thresholds().rewrite_similarity
    assert score("gwadar-rewrite", "gwadar-wire") >= threshold
    assert score("protest-rewrite", "protest-wire") >= threshold
    for a, b in [
        ("gwadar-rewrite", "protest-wire"),
        ("gwadar-rewrite", "attack-wire"),
        ("protest-rewrite", "gwadar-wire"),
        ("protest-wire", "gwadar-wire"),
    ]:
        assert score(a, b) < threshold / 2, (a, b)
    # the same people, places and phrases ("China-Pakistan Economic Corridor"), another event
    assert score("attack-wire", "gwadar-wire") < threshold
    # the desk's analysis borrows the wire's facts and quote: close, but it credits no one, so it stays apart
    assert score("gwadar-analysis", "gwadar-wire") < 0.3


def without_the_rewrite(desk):
    return [a for a in desk.values() if a.id != "gwadar-rewrite"]


def test_a_rewrite_without_a_credit_is_not_joined(desk):
    uncredited = make_article("gwadar-uncredited", GWADAR_REWRITE.replace("Based on PTI report", ""), "Rewrite Hub")
    families = find_families([*without_the_rewrite(desk), uncredited])
    assert families.family_of("gwadar-uncredited").members == ("gwadar-uncredited",)


def test_a_rewrite_crediting_another_wire_is_not_joined(desk):
    other = make_article("gwadar-afp", GWADAR_REWRITE.replace("Based on PTI report", "Based on AFP report"), "Rewrite Hub")
    families = find_families([*without_the_rewrite(desk), other])
    assert families.family_of("gwadar-afp").members == ("gwadar-afp",)
    assert families.family_of("gwadar-afp").origin == "AFP"


def test_describe_names_the_copies_and_the_rewrite(desk, desk_families):
    # one outlet's articles count once, even when they carry different reports
    assert desk_families.describe(["gwadar-wire", "gwadar-portal", "protest-wire", "gwadar-analysis"], desk) == (
        "4 articles, 2 independent sources: News Portal and Wire Daily carry the same PTI report; "
        "2 are from one outlet, Wire Daily"
    )
    assert desk_families.describe(["gwadar-rewrite", "protest-rewrite"], desk) == (
        "2 articles, 1 independent source: 2 are from one outlet, Rewrite Hub"
    )
    assert desk_families.describe(["gwadar-rewrite", "gwadar-rewrapped", "protest-rewrite", "protest-wire"], desk) == (
        "4 articles, 1 independent source: Rewrite Hub rewrote the PTI report carried by Coast Times; "
        "Rewrite Hub rewrote the PTI report carried by Wire Daily; 2 are from one outlet, Rewrite Hub"
    )
    # by text alone, without the articles' front matter, they are separate reports
    assert desk_families.independent_count(["gwadar-rewrite", "gwadar-rewrapped", "protest-rewrite", "protest-wire"])[0] == 2


# -- credits ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Doc:
    """The least an article needs here."""

    id: str
    text: str
    publisher: str = "Some Paper"
    author: str | None = None


@pytest.mark.parametrize(
    "text, author, expected",
    [
        ("NEW DELHI (Reuters) - India said on Monday ...", None, [("Reuters", "by")]),
        ("Washington, June 3 (AP) \u2014 The Senate voted ...", None, [("AP", "by")]),
        ("ISLAMABAD, July 11 (APP): The minister said ...", None, [("APP", "by")]),
        ("KARACHI: The mill (PSM) reopened.\n\nIt is old.", None, []),
        ("Text of the story.\n\n\u2014 PTI", None, [("PTI", "by")]),
        ("Text of the story.\n\n(With inputs from PTI and ANI)", None, [("PTI", "based_on"), ("ANI", "based_on")]),
        ("Text of the story.\n\n(With inputs from agencies)", None, []),
        ("Text of the story.\n\nBased on a report by Press Trust of India.", None, [("PTI", "based_on")]),
        ("Text of the story.\n\nBased on Dawn report", None, [("Dawn", "based_on")]),
        ("Text of the story.\n\n\u00a9 2025 Daily Example. All rights reserved.", None, [("Daily Example", "by")]),
        ("Text of the story.", "Press Trust of India", [("PTI", "by")]),
        ("Text of the story.", "By Reuters", [("Reuters", "by")]),
        ("Text of the story.", "Staff Reporter", []),
        ("Text of the story.", "Abdul Rasheed Azad", []),
        ("Text of the story.", "Jane Doe, with inputs from AFP", [("AFP", "based_on")]),
        ("The story says that in an interview with IANS the ambassador spoke.", None, []),
    ],
)
def test_credits(text, author, expected):
    assert [(c.name, c.kind) for c in credits_of(Doc("x", text, author=author))] == expected


# -- thresholds ------------------------------------------------------------------------


def test_every_threshold_is_described():
    assert set(THRESHOLD_DESCRIPTIONS) == {f.name for f in fields(Thresholds)}
    assert all(d and "\n" not in d for d in THRESHOLD_DESCRIPTIONS.values())


def test_the_default_thresholds_are_valid():
    assert Thresholds().problems() == []
    assert Thresholds().rows == 2


@pytest.mark.parametrize(
    "changes, name",
    [
        ({"copy_similarity": 0}, "copy_similarity"),
        ({"copy_similarity": 1.5}, "copy_similarity"),
        ({"rewrite_similarity": "high"}, "rewrite_similarity"),
        ({"shingle_size": 1}, "shingle_size"),
        ({"min_shared": True}, "min_shared"),
        ({"bands": 48}, "bands"),
        ({"bands": 256}, "bands"),
        ({"permutations": 4}, "permutations"),
    ],
)
def test_bad_thresholds_are_named(changes, name):
    problems = Thresholds(**changes).problems()
    assert [n for n, _ in problems] == [name]
    with pytest.raises(ValueError, match=name):
        find_families([], Thresholds(**changes))


def test_a_stricter_copy_threshold_splits_a_weak_copy(desk):
    # six of the wire's eight paragraphs, then two of another story
    mixed_text = "\n\n".join(GWADAR.split("\n\n")[:6]) + "\n\n" + "\n\n".join(PROTEST.split("\n\n")[:2])
    mixed = make_article("mixed", mixed_text, "Mixed Paper")
    loose = find_families([*desk.values(), mixed])
    strict = find_families([*desk.values(), mixed], Thresholds(copy_similarity=0.9))
    assert loose.family_of("mixed") is loose.family_of("gwadar-wire")
    assert loose.family_of("mixed") is not loose.family_of("protest-wire")
    assert strict.family_of("mixed").members == ("mixed",)


# -- determinism -----------------------------------------------------------------------


def test_the_same_articles_give_the_same_families_in_any_order(desk, desk_families):
    again = find_families(reversed(list(desk.values())))
    assert again.families == desk_families.families
    ids = list(desk)
    assert again.describe(ids, desk) == desk_families.describe(ids, desk)


def test_families_do_not_depend_on_pythons_hash_seed():
    code = (
        "import json; from pathlib import Path; from factdesk.validation import load_site; "
        "from factdesk.independence import find_families; "
        f"site = load_site(Path({str(EXAMPLE_DESK)!r})).site; f = find_families(site.articles.values()); "
        "print(json.dumps([x.as_data() for x in f.families]))"
    )
    outputs = set()
    for seed in ("1", "2", "random"):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=PROJECT_DIR,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


# -- generated archives ------------------------------------------------------------------

FUNCTION_WORDS = "the of and to in a is that for on was with as by at from it has said be were which an have are its not but had".split()
SYLLABLES = "ka ri to ma ne su lo pa vi de ra mo ti sa ku ze na bo li fe ga ho ju".split()
WIRE = "XNA"


class Newsroom:
    """Synthetic news: Zipf-distributed made-up words between English function words.

    Each publisher has a boilerplate paragraph, stock phrases recur across
    stories, and stories on one topic share its names."""

    def __init__(self, seed: int, vocabulary: int = 4000):
        self.rng = random.Random(seed)
        words: set[str] = set()
        while len(words) < vocabulary:
            words.add("".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(2, 4))))
        self.vocab = sorted(words)
        total, self.cumulative = 0.0, []
        for rank in range(vocabulary):
            total += 1 / (rank + 1)
            self.cumulative.append(total)
        self.phrases = [self.words(self.rng.randint(5, 8)) for _ in range(2000)]
        self.boilerplate = [self.paragraph() for _ in range(40)]

    def word(self, topic=()) -> str:
        if topic and self.rng.random() < 0.3:
            return self.rng.choice(topic)
        return self.rng.choices(self.vocab, cum_weights=self.cumulative)[0]

    def words(self, n: int, topic=()) -> list[str]:
        return [self.rng.choice(FUNCTION_WORDS) if self.rng.random() < 0.4 else self.word(topic) for _ in range(n)]

    def sentence(self, topic=()) -> str:
        words = self.words(self.rng.randint(12, 26), topic)
        if self.rng.random() < 0.15:
            at = self.rng.randrange(len(words))
            words[at:at] = self.rng.choice(self.phrases)
        return " ".join(words).capitalize() + "."

    def paragraph(self, topic=()) -> str:
        return " ".join(self.sentence(topic) for _ in range(self.rng.randint(1, 3)))

    def topic(self) -> tuple[str, ...]:
        return tuple(self.rng.sample(self.vocab[300:], 12))

    def story(self, topic=(), paragraphs: int = 8) -> list[str]:
        return [self.paragraph(topic) for _ in range(paragraphs)]

    def copy(self, paragraphs: list[str]) -> str:
        """The same report on another site: furniture around it, curly quotes, other whitespace."""
        body = "\n\n".join(p.replace(" the ", "  the ") for p in paragraphs)
        return f"Share | Tweet | Email\n\n{body}\n\n{self.rng.choice(self.boilerplate)}\n\nAlso read: {self.sentence()}"

    def rewrite(self, paragraphs: list[str]) -> list[str]:
        """Other words: a quarter of the sentences gone, 40% of the rest's words replaced, a sentence added."""
        out = []
        for paragraph in paragraphs:
            kept = []
            for sentence in paragraph.split(". "):
                if self.rng.random() < 0.25:
                    continue
                words = [w if w in FUNCTION_WORDS or self.rng.random() > 0.4 else self.word() for w in sentence.split()]
                kept.append(" ".join(words))
            if kept:
                out.append(". ".join(kept))
        return out + [self.paragraph(), f"Based on {WIRE} report"]


def archive(size: int, families: int = 0, seed: int = 7) -> tuple[list[Doc], list[tuple[str, ...]]]:
    """`size` articles: unrelated stories, many on shared topics, and `families` families of
    a wire report with two copies and a rewrite. Also the expected families of more than one."""
    room = Newsroom(seed)
    topics = [room.topic() for _ in range(max(1, size // 40))]
    docs: list[Doc] = []
    expected = []
    for f in range(families):
        topic = topics[f % len(topics)]
        story = room.story(topic)
        ids = (f"f{f:03d}-wire", f"f{f:03d}-copy-a", f"f{f:03d}-copy-b", f"f{f:03d}-rewrite")
        docs.append(Doc(ids[0], "\n\n".join(story), "Wire Site", WIRE))
        docs.append(Doc(ids[1], room.copy(story), f"Portal {f}"))
        docs.append(Doc(ids[2], room.copy(story[:5]), f"Aggregator {f}"))
        docs.append(Doc(ids[3], "\n\n".join(room.rewrite(story)), f"Rewriter {f}"))
        expected.append(tuple(sorted(ids)))
    for i in range(size - len(docs)):
        topic = topics[i % len(topics)]
        publisher = i % 40
        credited = i % 3 == 0  # a third are the same wire's other reports, on the same topics
        text = "\n\n".join(room.story(topic) + [room.boilerplate[publisher]])
        docs.append(Doc(f"a{i:05d}", text, f"Paper {publisher}", WIRE if credited else None))
    return docs, sorted(expected)


@pytest.fixture(scope="module")
def generated():
    docs, expected = archive(2000, families=40)
    return docs, expected, find_families(docs)


def test_generated_families_are_found_and_nothing_else(generated):
    _, expected, families = generated
    assert [f.members for f in families.shared] == expected
    for family in families.shared:
        assert family.origin == WIRE
        assert len(family.rewrites) == 1 and family.rewrites[0][0].endswith("-rewrite")


def test_candidate_pairs_stay_few_at_2000_articles(generated):
    docs, _, families = generated
    stats = families.stats
    assert stats.articles == 2000
    all_pairs = 2000 * 1999 // 2
    # exact checks: a few per article, where comparing all would be two million pairs
    assert stats.copy_checks < 5 * 2000 < all_pairs / 100
    assert stats.boilerplate > 1000  # each paper's footer paragraph, left out
    assert stats.rewrite_queries == 40
    assert stats.rewrite_checks <= 40 * 8


def test_work_grows_about_linearly():
    for size in (500, 2000):
        stats = find_families(archive(size)[0]).stats
        # at most one exact check per article on average, where all pairs would be size²/2
        assert stats.copy_checks <= size, (size, stats)


def test_work_is_bounded_when_every_article_shares_one_paragraph():
    """A syndicated disclaimer under every story of many papers: not one publisher's
    boilerplate, so it stays in, and each LSH band it dominates makes one big bucket.
    Checking every pair in those buckets grows with the square of the archive
    (about 24,000 checks at 300 articles, 440,000 at 1,200); the cap keeps it linear."""
    room = Newsroom(3)
    shared = room.paragraph()
    checks = {}
    for size in (300, 1200):
        docs = [
            Doc(f"a{i:04d}", "\n\n".join(room.story(paragraphs=6) + [shared]), f"Paper {i}") for i in range(size)
        ]
        families = find_families(docs)
        assert families.shared == ()
        assert families.stats.boilerplate == 0
        assert families.stats.copy_checks <= BUCKET_CHECKS * Thresholds().bands * size
        checks[size] = families.stats.copy_checks
    assert checks[1200] < 8 * checks[300]  # four times the articles; sixteen times the pairs


def test_one_publishers_boilerplate_is_left_out():
    room = Newsroom(4)
    footer = room.paragraph()
    docs = [Doc(f"a{i:04d}", "\n\n".join([room.paragraph(), footer]), "Same Paper") for i in range(50)]
    families = find_families(docs)
    assert families.stats.boilerplate == 50
    assert families.shared == ()  # short stories under one long footer are not copies of each other
    # an outlet's three versions of one story keep all their paragraphs, and are one family
    story = room.story()
    versions = [Doc(f"v{i}", "\n\n".join(story[: 6 + i] + [footer]), "Same Paper") for i in range(3)]
    families = find_families(docs + versions)
    assert families.family_of("v0").members == ("v0", "v1", "v2")
