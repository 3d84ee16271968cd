"""The interface in the site's language: catalogs complete and current, no English word left on
a page in Urdu, Hindi or Spanish, right to left where the language is, plurals, dates and numbers
from Babel, and a site's own wording (docs/languages.md)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from conftest import PROJECT_DIR, article, build_site, html_page, make_site, problems

from factdesk.i18n import catalog_path, interface, shipped_languages

LANGUAGES = ["en", "es", "hi", "ur"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

# A small desk in each language: everything an editor writes is in that language, so any
# Latin-script word left on its pages is the interface's (or a brand a share link names).
DESKS = {
    "ur": dict(
        title="حقائق ڈیسک",
        publisher="حقائق ڈیسک ٹرسٹ",
        verdicts=[("sahih", "درست", "دعویٰ درست ہے۔"), ("ghalat", "غلط", "دعویٰ غلط ہے۔")],
        claim="روس اور پاکستان نے اسٹیل مل کے معاہدے پر دستخط کیے۔",
        claimant="وزیر اعظم",
        summary="کوئی معاہدہ نہیں ہوا۔",
        analysis="ریکارڈ میں بات چیت ہے، معاہدہ نہیں۔",
        tag="اسٹیل مل",
        article_title="وزیر اعظم کا بیان",
        outlet="اخبار",
        # Arabic codes of yeh, kaf and heh, a tatweel and a non-joiner; the quote has the Urdu ones
        text="اسلام آباد: وزير اعظم نے كهـا كه اسٹيل مل كي بحالي\u200c هماري ترجيح هے۔",
        quote="وزیر اعظم نے کہا کہ اسٹیل مل کی بحالی ہماری ترجیح ہے",
    ),
    "hi": dict(
        title="तथ्य डेस्क",
        publisher="तथ्य डेस्क न्यास",
        verdicts=[("sahi", "सही", "दावा सही है।"), ("galat", "ग़लत", "दावा ग़लत है।")],
        claim="रूस और पाकिस्तान ने इस्पात मिल के समझौते पर हस्ताक्षर किए।",
        claimant="प्रधानमंत्री",
        summary="कोई समझौता नहीं हुआ।",
        analysis="रिकॉर्ड में बातचीत है, समझौता नहीं।",
        tag="इस्पात मिल",
        article_title="प्रधानमंत्री का बयान",
        outlet="अख़बार",
        text="सरकार ने कहा कि \u095bमीन का \u095eैसला जल्द होगा।",
        quote="ज\u093cमीन का फ\u093cैसला जल्द होगा",
    ),
    "es": dict(
        title="Mesa de verificación",
        publisher="Fundación Mesa",
        verdicts=[("cierto", "Cierto", "La afirmación es correcta."), ("falso", "Falso", "La afirmación es incorrecta.")],
        claim="Rusia y Pakistán firmaron un contrato para una acería.",
        claimant="El primer ministro",
        summary="No se firmó ningún contrato.",
        analysis="Los registros muestran conversaciones, no un contrato.",
        tag="acería",
        article_title="Declaración del ministro",
        outlet="Diario",
        text="El ministro dijo que las conversaciones continúan.",
        quote="las conversaciones continúan",
    ),
}


def desk(tmp_path: Path, language: str, extra_site: str = "", checks: int = 1) -> Path:
    d = DESKS[language]
    verdicts = "".join(f"  - id: {i}\n    label: {label}\n    description: {text}\n" for i, label, text in d["verdicts"])
    site_yaml = (
        f"title: {d['title']}\nbase_url: https://example.org/\nlanguage: {language}\n"
        f"publisher:\n  name: {d['publisher']}\n  url: https://example.org/\nverdicts:\n{verdicts}{extra_site}"
    )
    claims = {}
    for n in range(checks):
        claims[f"check-{n + 1}"] = (
            f"claim: {d['claim']}\nclaimant: {d['claimant']}\nclaim_date: 2025-05-14\nverdict: {d['verdicts'][1][0]}\n"
            f"summary: {d['summary']}\npublished: 2025-06-0{n + 2}\ntags: [{d['tag']}]\nsingle_source: {d['summary']}\n"
            f"citations:\n  - article: report\n    quote: '{d['quote']}'\nanalysis: |\n  {d['analysis']}\n"
        )
    page = f"---\ntitle: {d['title']}\nnav: true\n---\n{d['analysis']}\n"
    art = article(d["text"] + "\n", title=d["article_title"]).replace("Wire Service", d["outlet"])
    return make_site(tmp_path, site_yaml=site_yaml, articles={"report": art}, claims=claims, pages={"about": page})


def visible_text(out: Path, relative: str) -> str:
    """The words a reader sees on a page, with attributes readers meet (alt, aria-label, title, placeholder)."""
    page = html_page(out, relative)
    body = page.find("body")
    words = [body.text]
    for element in body.iter():
        words += [element.attrs.get(a, "") for a in ("alt", "aria-label", "title", "placeholder")]
    words.append(page.find("title").text)
    return " ".join(" ".join(words).split())


PAGES = ["index.html", "claims/check-1/index.html", "claims/index.html", "tags/index.html", "verdicts/index.html",
         "claimants/index.html", "sources/index.html"]
BRANDS = {"WhatsApp", "Bluesky", "X", "Facebook", "LinkedIn"}


def english_words(language: str) -> set[str]:
    """Words of the English interface that the language's catalog does not use itself."""
    def words(lang: str) -> set[str]:
        with catalog_path(lang).open("rb") as file:
            catalog = read_po(file)
        found = set()
        for message in catalog:
            for text in (message.string if lang != "en" else message.id):
                if text:
                    found |= set(re.findall(r"[A-Za-z]{3,}", PLACEHOLDER.sub("", text)))
        return found
    return words("en") - words(language)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return {language: build_site(desk(tmp_path_factory.mktemp(language), language)) for language in ("ur", "hi", "es")}


# -- the catalogs ---------------------------------------------------------------------------------


def extracted_ids(tmp_path: Path) -> set:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "--no-location", "-o", str(pot), "."],
        cwd=PROJECT_DIR, check=True, capture_output=True,
    )
    with pot.open("rb") as file:
        return {m.id for m in read_po(file) if m.id}


def test_english_urdu_hindi_and_spanish_ship():
    assert set(LANGUAGES) <= set(shipped_languages())


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_holds_exactly_the_strings_the_code_and_templates_use(tmp_path, language):
    with catalog_path(language).open("rb") as file:
        shipped = {m.id for m in read_po(file) if m.id}
    wanted = extracted_ids(tmp_path)
    assert wanted - shipped == set(), "strings missing from the catalog: run pybabel update (docs/languages.md)"
    assert shipped - wanted == set(), "strings no longer used: run pybabel update (docs/languages.md)"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language):
    with catalog_path(language).open("rb") as file:
        catalog = read_po(file, locale=language)
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert not message.fuzzy and all(strings), f"{language}: {ids[0]!r} is not translated"
        assert len(strings) == catalog.num_plurals or len(ids) == 1
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) <= set(PLACEHOLDER.findall(" ".join(ids))), (language, ids[0], string)


# -- the pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["ur", "hi"])
def test_no_latin_word_on_a_page_in_a_language_written_otherwise(built, language):
    for relative in PAGES:
        text = re.sub(r"https?://\S+|\b[\w-]+(?:\.[\w-]+)+\b", " ", visible_text(built[language], relative))
        latin = set(re.findall(r"[A-Za-z]+", text)) - BRANDS
        assert latin == set(), f"{relative}: {sorted(latin)}"


@pytest.mark.parametrize("language", ["ur", "hi", "es"])
def test_no_english_interface_word_on_a_page(built, language):
    english = english_words(language)
    for relative in PAGES:
        text = re.sub(r"https?://\S+|\b[\w-]+(?:\.[\w-]+)+\b", " ", visible_text(built[language], relative))
        seen = set(re.findall(r"[A-Za-z]{3,}", text)) - BRANDS
        assert seen & english == set(), f"{relative}: {sorted(seen & english)}"


def test_urdu_pages_read_right_to_left_and_the_others_left_to_right(built):
    for language, direction in (("ur", "rtl"), ("hi", "ltr"), ("es", "ltr")):
        for relative in PAGES:
            html = html_page(built[language], relative).find("html")
            assert (html.attrs["lang"], html.attrs["dir"]) == (language, direction), relative


def test_urdu_quote_with_the_variant_letters_is_verified_and_shown_as_the_article_has_it(built):
    (mark,) = html_page(built["ur"], "claims/check-1/index.html").find("blockquote", class_="quote").find_all("mark")
    assert mark.text == "وزير اعظم نے كهـا كه اسٹيل مل كي بحالي\u200c هماري ترجيح هے"


def test_dates_are_written_as_the_language_writes_them(built):
    expected = {"ur": "2 جون، 2025", "hi": "2 जून 2025", "es": "2 de junio de 2025"}
    for language, date in expected.items():
        assert date in visible_text(built[language], "claims/check-1/index.html"), language


def test_sources_sentence_is_in_the_language(built):
    text = visible_text(built["ur"], "claims/check-1/index.html")
    assert "1 مضمون، 1 ذریعہ" in text


def test_plural_forms_come_from_the_catalog(tmp_path):
    out = build_site(desk(tmp_path, "es", checks=2))
    assert "2 verificaciones, las más recientes primero." in visible_text(out, "claims/index.html")
    assert interface("es").ngettext("%(num)s check", "%(num)s checks", 1) == "%(num)s verificación"
    assert interface("ur").ngettext("%(num)s check", "%(num)s checks", 2) == "%(num)s جانچیں"
    assert interface("hi").ngettext("%(num)s check", "%(num)s checks", 0) == "%(num)s जाँच"  # Hindi counts 0 as one


def test_numbers_are_grouped_as_the_language_groups_them():
    assert interface("hi").number(1234567) == "12,34,567"
    assert interface("es").number(1234567) == "1.234.567"
    assert interface("en").number(1234567) == "1,234,567"


def test_a_language_without_a_catalog_keeps_english_words_and_its_own_dates():
    words = interface("fr")
    assert words.gettext("Our rating") == "Our rating"
    assert words.direction == "ltr"
    assert interface("ar").direction == "rtl"


# -- a site's own wording -------------------------------------------------------------------------


def test_a_site_overrides_a_string_without_a_catalog(tmp_path):
    site = desk(tmp_path, "ur", extra_site="strings:\n  Our rating: 'ہمارا فیصلہ <b>'\n")
    heading = html_page(build_site(site), "claims/check-1/index.html").find("h2", id="verdict-heading")
    assert heading.text == "ہمارا فیصلہ <b>"  # shown as text, never markup


def test_an_override_of_a_string_the_interface_does_not_have_is_an_error(tmp_path):
    site = desk(tmp_path, "es", extra_site="strings:\n  Our ratin: Veredicto\n")
    assert [p for p in problems(site) if ": error: " in p] == [
        "site.yaml:15:3: error: 'Our ratin' is not a string of the interface; did you mean 'Our rating'?"
    ]
