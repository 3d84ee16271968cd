"""Topics and claimants are labels in any script; their addresses follow site.yaml's label_urls
(docs/languages.md): the label's own letters by default, or transliterated to Latin ones."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import CLAIM, SITE_YAML, build_site, html_page, make_site, problems

from factdesk.urls import Urls, label_segment

URDU_TOPIC = "ماحولیاتی تبدیلی"  # climate change
HINDI_TOPIC = "किताबें"  # books: the vowel sign ें is part of the word
URDU_CLAIMANT = "وزیر اعظم"  # the prime minister


def claim_with(tags: str = "", claimant: str | None = None) -> str:
    text = CLAIM if claimant is None else CLAIM.replace("claimant: Media reports", f"claimant: {claimant}")
    return text + (f"tags: {tags}\n" if tags else "")


def errors(site: Path) -> list[str]:
    return [p for p in problems(site) if ": error: " in p]


def hrefs(out: Path, relative: str) -> list[str]:
    return [a.attrs["href"] for a in html_page(out, relative).find_all("a") if "href" in a.attrs]


def test_urdu_and_hindi_topics_are_not_errors_and_get_pages_in_their_script(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": claim_with(f"[{URDU_TOPIC}, {HINDI_TOPIC}]")})
    assert errors(site) == []
    out = build_site(site)
    urdu_page = out / "tags" / "ماحولیاتی-تبدیلی" / "index.html"
    assert URDU_TOPIC in urdu_page.read_text(encoding="utf-8")
    assert (out / "tags" / HINDI_TOPIC / "index.html").is_file()


def test_links_to_a_topic_are_percent_encoded_and_lead_to_its_page(tmp_path):
    out = build_site(make_site(tmp_path, claims={"steel-contract": claim_with(f"[{URDU_TOPIC}]")}))
    (link,) = [h for h in hrefs(out, "claims/steel-contract/index.html") if h.startswith("/tags/") and h != "/tags/"]
    assert link.isascii() and "%D9%85" in link
    assert (out / unquote(urlsplit(link).path).lstrip("/") / "index.html").is_file()
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "https://example.org/" + link.lstrip("/") in sitemap and URDU_TOPIC.split()[0] not in sitemap


def test_an_urdu_claimant_gets_a_page_in_urdu(tmp_path):
    out = build_site(make_site(tmp_path, claims={"steel-contract": claim_with(claimant=URDU_CLAIMANT)}))
    page = out / "claimants" / "وزیر-اعظم" / "index.html"
    assert URDU_CLAIMANT in page.read_text(encoding="utf-8")


def test_latin_label_urls_transliterate_topics_and_claimants(tmp_path):
    site = make_site(
        tmp_path,
        site_yaml=SITE_YAML + "label_urls: latin\n",
        claims={"steel-contract": claim_with(f"[{URDU_TOPIC}]", claimant=URDU_CLAIMANT)},
    )
    assert errors(site) == []
    out = build_site(site)
    assert (out / "tags" / "mhwlyty-tbdyly" / "index.html").is_file()
    assert (out / "claimants" / "wzyr-zm" / "index.html").is_file()
    internal = [h for h in hrefs(out, "claims/steel-contract/index.html") if h.startswith("/")]
    assert "/tags/mhwlyty-tbdyly/" in internal and all(h.isascii() and "%" not in h for h in internal)


def test_label_urls_is_one_of_two_words(tmp_path):
    site = make_site(tmp_path, site_yaml=SITE_YAML + "label_urls: ascii\n")
    assert errors(site) == ["site.yaml:6:13: error: 'ascii' is not a choice here; write script or latin"]


def test_spellings_of_one_topic_share_its_page_named_as_most_checks_write_it(tmp_path):
    site = make_site(
        tmp_path,
        claims={
            "one": claim_with("[Steel mills]"),
            "two": claim_with("[Steel mills]"),
            "three": claim_with("[steel-mills]"),
        },
    )
    assert errors(site) == []
    out = build_site(site)
    page = html_page(out, "tags/steel-mills/index.html")
    assert "Steel mills" in page.find("h1").text
    assert len(page.find_all("li", class_="claim-card")) == 3
    assert hrefs(out, "claims/three/index.html").count("/tags/steel-mills/") == 1


def test_a_vowel_mark_does_not_make_another_topic(tmp_path):
    site = make_site(tmp_path, claims={"one": claim_with("[اسٹیل مل]"), "two": claim_with("[اسٹیل مَل]")})
    assert errors(site) == []
    assert (build_site(site) / "tags" / "اسٹیل-مل" / "index.html").is_file()


def test_two_topics_that_would_share_a_page_are_an_error_naming_both(tmp_path):
    site = make_site(
        tmp_path,
        site_yaml=SITE_YAML + "label_urls: latin\n",
        claims={"one": claim_with("[café]"), "two": claim_with("[cafe]")},
    )
    assert errors(site) == [
        "content/claims/two.yaml:1:1: error: the topic 'cafe' would share the page tags/cafe/ with 'café'"
        " (content/claims/one.yaml); write one topic the same way in both, or tell them apart"
    ]


def test_in_their_own_script_those_topics_are_two(tmp_path):
    site = make_site(tmp_path, claims={"one": claim_with("[café]"), "two": claim_with("[cafe]")})
    assert errors(site) == []
    out = build_site(site)
    assert (out / "tags" / "café" / "index.html").is_file() and (out / "tags" / "cafe" / "index.html").is_file()


def test_two_claimants_that_would_share_a_page_are_an_error_naming_both(tmp_path):
    site = make_site(
        tmp_path,
        site_yaml=SITE_YAML + "label_urls: latin\n",
        claims={"one": claim_with(claimant="José Pérez"), "two": claim_with(claimant="Jose Perez")},
    )
    assert errors(site) == [
        "content/claims/two.yaml:1:1: error: the claimant 'Jose Perez' would share the page claimants/jose-perez/"
        " with 'José Pérez' (content/claims/one.yaml); write one name the same way in both, or tell them apart"
    ]


def test_long_topics_cut_to_one_address_are_an_error(tmp_path):
    # an address holds at most 200 bytes: 66 Devanagari letters, whose UTF-8 takes three bytes each
    words = " ".join(["किताबें"] * 9)
    site = make_site(tmp_path, claims={"one": claim_with(f"[{words} क]"), "two": claim_with(f"[{words} ख]")})
    (problem,) = errors(site)
    assert problem.startswith("content/claims/two.yaml:1:1: error: the topic '") and "would share the page tags/" in problem


def test_a_topic_windows_cannot_hold_is_refused_however_it_is_written(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": claim_with("[Con]")})
    assert errors(site) == [
        "content/claims/steel-contract.yaml:1:1: error: the topic 'Con' is a name Windows cannot hold as a folder; choose another"
    ]


def test_a_topic_with_a_slash_or_an_invisible_character_is_refused(tmp_path):
    site = make_site(tmp_path, claims={"steel-contract": claim_with('[a/b, "x\\u200by", "\\u202eevil"]')})
    assert errors(site) == [
        "content/claims/steel-contract.yaml:11:8: error: tag 'a/b' holds a slash; a topic is a word or a few, such as 'steel mills'",
        "content/claims/steel-contract.yaml:11:13: error: tag 'x\u200by' holds an invisible character (U+200B); delete it",
        "content/claims/steel-contract.yaml:11:25: error: tag '\u202eevil' holds an invisible character (U+202E); delete it",
    ]


def test_zero_width_non_joiner_is_kept_in_a_topic_and_left_out_of_its_address():
    assert label_segment("می\u200cخواهم") == "میخواهم"


def test_addresses_are_safe_path_segments():
    for label in ["../../etc", "a b", "ÉTÉ", "ज़मीन", "🔥", "x" * 200, "ज" * 100]:
        segment = Urls("https://example.org/").tag(label).removeprefix("tags/").removesuffix("/")
        assert segment and "/" not in segment and segment not in (".", "..")
        assert len(segment) <= 80 and len(segment.encode("utf-8")) <= 200


def test_ascii_labels_keep_the_addresses_they_had():
    assert label_segment("Pakistani media reports") == "pakistani-media-reports"
    assert label_segment("Pakistan\u2019s PM") == label_segment("Pakistan\u2019s PM", latin=True) == "pakistans-pm"
