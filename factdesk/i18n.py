"""The interface's words in the page's language: Babel message catalogs, a site's own overrides,
and dates and numbers as the language writes them.

Catalogs live in factdesk/locale/LANG/LC_MESSAGES/messages.po and are read from the .po at
build time (compiled in memory; no .mo to go stale). docs/languages.md says how to extract,
update and translate them; tests/test_i18n.py fails on a missing or stale catalog.
"""

from __future__ import annotations

import datetime as dt
import gettext as gettext_module
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date, format_skeleton
from babel.lists import format_list
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from .fields import PartialDate

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:
    """Marks a string for the catalogs (pybabel extracts it); it is translated where it is shown."""
    return message


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def shipped_languages() -> list[str]:
    """The languages with a catalog of their own."""
    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def catalog_language(language: str) -> str | None:
    """The catalog for a BCP 47 tag: its own (pt-BR), its language's (pt), or None."""
    tag = language.replace("-", "_")
    for candidate in (tag, tag.split("_")[0]):
        if catalog_path(candidate).is_file():
            return candidate
    return None


@lru_cache(maxsize=8)
def _read_catalog(language: str) -> tuple[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], str]:
    """(msgid forms, msgstr forms) of every translated message, and the plural expression."""
    with catalog_path(language).open("rb") as file:
        catalog = read_po(file, locale=language)
    messages = []
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(strings):
            messages.append((ids, tuple(strings)))
    return tuple(sorted(messages)), catalog.plural_expr


def language_name(language: str) -> str:
    """The language as its readers name it (Babel's data): English, اردو, हिन्दी, español."""
    try:
        return Locale.parse(language.replace("-", "_")).get_display_name() or language
    except (UnknownLocaleError, ValueError):
        return language


def _formatting_locale(language: str) -> Locale:
    """Babel's locale for the page's language; bare `en` writes dates as international English does (30 May 2025)."""
    tag = "en_001" if language == "en" else language.replace("-", "_")
    try:
        return Locale.parse(tag)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(SOURCE_LANGUAGE)


@dataclass(frozen=True)
class Interface:
    """The words, dates, numbers and direction of one site's pages.

    A template global: its fields (the catalog and the overrides) are part of every page's key,
    so a changed translation renders the pages again.
    """

    language: str  # site.yaml's language, a BCP 47 tag
    messages: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()  # (msgid forms, msgstr forms)
    plural: str = "(n != 1)"  # the catalog's plural expression: which form a count takes
    strings: tuple[tuple[str, str], ...] = ()  # site.yaml's own wording, by msgid

    @cached_property
    def _lookup(self) -> dict[str, tuple[str, ...]]:
        return {ids[0]: strings for ids, strings in self.messages}

    @cached_property
    def _overrides(self) -> dict[str, str]:
        return dict(self.strings)

    @cached_property
    def _plural_index(self):
        return gettext_module.c2py(self.plural)

    @cached_property
    def locale(self) -> Locale:
        return _formatting_locale(self.language)

    @property
    def direction(self) -> str:
        """"rtl" or "ltr": the page's `dir`."""
        return self.locale.text_direction

    def gettext(self, message: str) -> str:
        if message in self._overrides:
            return self._overrides[message]
        return self._lookup.get(message, (message,))[0]

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        wanted = singular if n == 1 else plural
        if wanted in self._overrides:
            return self._overrides[wanted]
        strings = self._lookup.get(singular)
        if strings is None:
            return wanted
        return strings[min(self._plural_index(n), len(strings) - 1)]

    def date(self, value: dt.date | PartialDate | None) -> str:
        """30 May 2025, 30 مئی، 2025; a partial date as May 2025 or 2025."""
        return "" if value is None else _date_in(value, self.language)

    def number(self, value: int | float) -> str:
        """1,234 or 1.234 or 12,34,567, as the language groups digits."""
        return _number_in(value, self.language)

    def list(self, items: list[str]) -> str:
        """'A, B and C', 'A، B اور C': the items joined as the language joins them."""
        return format_list(list(items), locale=self.locale)

    @property
    def comma(self) -> str:
        """What separates the items of a list: ', ' or '، '."""
        return self.locale.list_patterns["standard"]["middle"].format("", "")

    @property
    def semicolon(self) -> str:
        """What separates the parts of a sentence: '; ', or '؛ ' in Arabic script."""
        likely = get_global("likely_subtags").get(self.locale.language, "")
        return "؛ " if likely.split("_")[1:2] == ["Arab"] else "; "


# cached: Babel is slow for this, and a big site writes the same dates and counts thousands of times
@lru_cache(maxsize=65536, typed=True)
def _date_in(value: dt.date | PartialDate, language: str) -> str:
    if isinstance(value, PartialDate):
        if value.month is None:
            return str(value.year)
        return format_skeleton("yMMMM", dt.date(value.year, value.month, 1), locale=_formatting_locale(language))
    return format_date(value, "long", locale=_formatting_locale(language))


@lru_cache(maxsize=65536, typed=True)
def _number_in(value: int | float, language: str) -> str:
    return format_decimal(value, locale=_formatting_locale(language))


@lru_cache(maxsize=16)
def interface(language: str = SOURCE_LANGUAGE, strings: tuple[tuple[str, str], ...] = ()) -> Interface:
    """The interface for a site's language and its own strings."""
    found = catalog_language(language)
    if found is None:
        return Interface(language, strings=strings)
    messages, plural = _read_catalog(found)
    return Interface(language, messages, plural, strings)


@lru_cache(maxsize=1)
def message_ids() -> frozenset[str]:
    """Every msgid of the interface (the source catalog's), singular and plural: what `strings` may override."""
    messages, _ = _read_catalog(SOURCE_LANGUAGE)
    return frozenset(i for ids, _ in messages for i in ids)
