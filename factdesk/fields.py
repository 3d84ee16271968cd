"""Kinds of values an entry can hold.

Each kind reads a YAML node into a plain value (adding a problem when the
node is wrong) and describes itself as JSON Schema, so the rules that
validate entries and the schema that editors' tools read are one thing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .loading import Mapping, Node, Scalar, Sequence
from .problems import Problems

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\s]")
MAX_SLUG_LENGTH = 80
CLAIM_SLUG_LENGTH = 60  # where `new` and the web editor cut a slug they make from a claim's words


class Invalid:
    """Marks a value that was wrong; its problem is already recorded."""

    def __repr__(self) -> str:
        return "INVALID"


INVALID = Invalid()


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known only to the year or the month, as ISO 8601 allows (a whole date is a datetime.date)."""

    year: int
    month: int | None = None
    day: None = None  # as templates ask of any date: `when.day is none` when the day is not known

    def isoformat(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"


class Kind:
    json: dict[str, Any] = {}
    example: str = ""
    what: str = ""  # a value of this kind, in "expected a date, found a list"

    def read(self, node: Node, problems: Problems) -> Any:
        """The value `node` holds, or INVALID; a scalar's text is the subclass's to `parse`."""
        if isinstance(node, Scalar):
            return self.parse(node.value, node, problems)
        found = "a list" if isinstance(node, Sequence) else "a mapping of keys"
        problems.add(node.line, node.col, f"expected {self.what}, found {found}{self.example}")
        return INVALID

    def parse(self, value: str, node: Node, problems: Problems) -> Any:
        raise NotImplementedError


# What a text may not hold: control characters but tabs and line breaks (\r too: files' line ends are \n),
# the invisible direction overrides that reorder what readers see, and what else XML 1.0 forbids: a lone
# surrogate ("\ud800" in YAML; UTF-8 cannot hold it either) and U+FFFE, U+FFFF. Every text reaches
# feed.xml, sitemap.xml, claims.json or a page's JSON-LD, which must stay well-formed.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")


def forbidden_character(value: str) -> tuple[int, str] | None:
    """(index, what is wrong) for the first character a text may not hold, or None."""
    found = _FORBIDDEN.search(value)
    if found is None:
        return None
    code = ord(found.group())
    if 0xD800 <= code <= 0xDFFF:
        kind = "half of a character (a lone surrogate, which XML and UTF-8 cannot hold)"
    elif code >= 0xFFFE:
        kind = "a noncharacter, which XML does not allow"
    elif code >= 0x202A:
        kind = "an invisible text-direction control"
    else:
        kind = "a control character"
    return found.start(), f"the text holds {kind} (U+{code:04X})"


class Text(Kind):
    """Any text. YAML's own guesses are ignored: `no` stays "no"."""

    what = "text"

    def __init__(self, markdown: bool = False):
        self.markdown = markdown
        self.json = {"type": ["string", "number", "boolean"]}
        if markdown:
            self.json["contentMediaType"] = "text/markdown"

    def parse(self, value, node, problems):
        value = value.strip() if not self.markdown else value.rstrip() + "\n"
        if found := forbidden_character(value):
            index, problem = found
            problems.add(node.line, node.col, f"{problem} at character {index + 1}; remove it")
            return INVALID
        if not value.strip():
            problems.add(node.line, node.col, "this text is empty; write something or remove the key")
            return INVALID
        return value


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class Hostname(Kind):
    """A domain name alone (checks.example.org), as GitHub Pages reads a CNAME file."""

    json = {"type": "string", "pattern": r"^[A-Za-z0-9.-]+$"}
    what = "a domain name"

    def parse(self, value, node, problems):
        value = value.strip().lower().rstrip(".")
        labels = value.split(".")
        if len(value) > 253 or len(labels) < 2 or not all(_HOST_LABEL.match(label) for label in labels):
            shown = value if len(value) <= 60 else value[:59] + "…"
            problems.add(node.line, node.col, f"'{shown}' is not a domain name; write the domain alone, such as "
                         "checks.example.org, without https:// or a path")
            return INVALID
        return value


LANGUAGE_PATTERN = r"^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8}){0,4}$"
_LANGUAGE = re.compile(LANGUAGE_PATTERN)


class LanguageTag(Kind):
    """A BCP 47 language tag (en, fr, pt-BR): it goes into every page's lang, the
    structured data and the search index's file names."""

    json = {"type": "string", "pattern": LANGUAGE_PATTERN}
    what = "a language tag"

    def parse(self, value, node, problems):
        value = value.strip()
        if not _LANGUAGE.match(value):
            shown = value if len(value) <= 40 else value[:39] + "…"
            problems.add(node.line, node.col, f"'{shown}' is not a language tag; write one such as en, fr or pt-BR")
            return INVALID
        return value


class Boolean(Kind):
    json = {"type": "boolean"}
    example = " (true or false)"
    what = "true or false"

    def parse(self, value, node, problems):
        word = value.lower()
        if word in ("true", "yes", "on"):
            return True
        if word in ("false", "no", "off"):
            return False
        problems.add(node.line, node.col, f"expected true or false, found '{value}'")
        return INVALID


class Number(Kind):
    """A number; with `whole`, an integer."""

    what = "a number"

    def __init__(self, whole: bool = False):
        self.whole = whole
        self.json = {"type": "integer" if whole else "number"}
        self.example = " (a whole number)" if whole else " (a number such as 0.5)"

    def parse(self, value, node, problems):
        try:
            return int(value) if self.whole else float(value)
        except ValueError:
            problems.add(node.line, node.col, f"'{value}' is not a{' whole' if self.whole else ''} number{self.example}")
            return INVALID


class Date(Kind):
    """YYYY-MM-DD; with `partial`, also YYYY-MM or YYYY when the day is not known."""

    what = "a date"
    example = " (a date like 2025-05-30)"

    def __init__(self, partial: bool = False):
        self.partial = partial
        pattern = r"^\d{4}-\d{2}-\d{2}$" if not partial else r"^\d{4}(-\d{2}(-\d{2})?)?$"
        self.json = {"type": "string", "pattern": pattern}
        self.form = "YYYY-MM-DD, YYYY-MM or YYYY" if partial else "YYYY-MM-DD"  # as messages and docs write it

    def parse(self, value, node, problems):
        match = _DATE.match(value.strip())
        if not match or (not self.partial and match.group(3) is None):
            problems.add(node.line, node.col, f"'{value}' is not a date; write it as {self.form}")
            return INVALID
        year, month, day = match.groups()
        try:
            date = dt.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            problems.add(node.line, node.col, f"'{value}' is not a date that exists")
            return INVALID
        if day is None:  # only a partial date gets this far without its day
            return PartialDate(date.year, date.month if month else None)
        return date


class Slug(Kind):
    """An id that names a file or folder: lowercase ASCII words joined by hyphens."""

    def __init__(self, what: str):
        self.what = what
        self.json = {"type": ["string", "boolean"], "pattern": SLUG_PATTERN, "maxLength": MAX_SLUG_LENGTH}

    def parse(self, value, node, problems):
        value = value.strip()
        if "," in value:
            parts = ", ".join(slugify_suggestion(p) or p.strip() for p in value.split(","))
            problems.add(node.line, node.col, f"{self.what} '{value}' has a comma; for several, write a list: [{parts}]")
            return INVALID
        if problem := slug_problem(value):
            problems.add(node.line, node.col, f"{self.what} '{value}' {problem}")
            return INVALID
        return value


class Label(Kind):
    """A topic or a name as readers see it, in any script; its address is derived (urls.label_segment)."""

    def __init__(self, what: str):
        self.what = what
        self.json = {"type": ["string", "boolean"], "pattern": r'^[^/\\,<>:"|?*]+$', "maxLength": MAX_SLUG_LENGTH}

    def parse(self, value, node, problems):
        value = unicodedata.normalize("NFC", " ".join(value.split()))
        if problem := label_problem(value):
            problems.add(node.line, node.col, f"{self.what} '{value}' {problem}")
            return INVALID
        return value


FOLDER_NAME_FORBIDDEN = '<>:"|?*'  # a label names its page's folder, and Windows refuses these


def label_problem(value: str) -> str | None:
    """Why `value` cannot be a label (a topic), or None when it can."""
    if "," in value:
        return f"has a comma; for several, write a list: [{', '.join(p.strip() for p in value.split(','))}]"
    if "/" in value or "\\" in value:
        return "holds a slash; a topic is a word or a few, such as 'steel mills'"
    if found := next((c for c in value if c in FOLDER_NAME_FORBIDDEN), None):
        return f"holds '{found}', which a folder name cannot hold on every system; a topic is a word or a few, such as 'steel mills'"
    if len(value) > MAX_SLUG_LENGTH:
        return f"is longer than {MAX_SLUG_LENGTH} characters"
    for char in value:
        # zero-width (non-)joiners shape Arabic-script and Indic words; other format characters are invisible traps
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn") and char not in "\u200c\u200d":
            return f"holds an invisible character (U+{ord(char):04X}); delete it"
    if not any(c.isalnum() for c in value):
        return "has no letters or digits"
    return None


class Strings(Kind):
    """Text by text: a site's own wording for interface strings (keys are the catalog's msgids)."""

    json = {"type": "object", "additionalProperties": {"type": "string"}}

    def read(self, node, problems):
        if not isinstance(node, Mapping):
            problems.add(node.line, node.col, "expected strings: one 'English text: your text' line each")
            return INVALID
        record = Record(node.line, node.col)
        for key, value_node in node.items:
            record.positions[key.value] = (key.line, key.col)
            value = Text().read(value_node, problems)
            if value is not INVALID:
                record[key.value] = value
        return record


class Choice(Kind):
    """One of a few words."""

    def __init__(self, *choices: str):
        self.choices = choices
        self.what = " or ".join(choices)
        self.json = {"type": "string", "enum": list(choices)}

    def parse(self, value, node, problems):
        value = value.strip()
        if value not in self.choices:
            problems.add(node.line, node.col, f"'{value}' is not a choice here; write {self.what}")
            return INVALID
        return value


def slug_problem(value: str) -> str | None:
    """Why `value` cannot be an id or a slug, or None when it can."""
    if len(value) > MAX_SLUG_LENGTH:
        return f"is longer than {MAX_SLUG_LENGTH} characters"
    if _SLUG.match(value):
        return None
    suggestion = slugify_suggestion(value)
    hint = f"; try '{suggestion}'" if suggestion and suggestion != value else ""
    return f"must be lowercase letters, digits and hyphens, with no spaces{hint}"


def slugify_suggestion(value: str) -> str:
    from slugify import slugify

    return slugify(value, max_length=MAX_SLUG_LENGTH, word_boundary=True)


class Url(Kind):
    """An absolute http(s) URL."""

    json = {"type": "string", "format": "uri", "pattern": "^https?://"}
    example = " (a web address like https://example.org/page)"
    what = "a web address"

    def parse(self, value, node, problems):
        value = value.strip()
        if problem := url_problem(value):
            problems.add(node.line, node.col, problem)
            return INVALID
        return value


def url_problem(value: str) -> str | None:
    """Why `value` is not an absolute http(s) URL, or None when it is."""
    if value.lower().startswith("www."):
        return f"'{value}' is a web address without its scheme; write https://{value}"
    if _CONTROL.search(value) or forbidden_character(value):
        return (
            f"'{value}' contains spaces or control characters; it is not a web address: "
            "write each space as %20 and remove the other characters"
        )
    scheme = _SCHEME.match(value)
    if scheme is None or scheme.group(1).lower() not in ("http", "https") or not value[scheme.end():].startswith("//"):
        return f"'{value}' is not an http:// or https:// web address"
    problem = http_url_problem(value)
    return f"'{value}' {problem}" if problem else None


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_EXAMPLE = "https://example.org/page"
_EXAMPLE_HOST = "a host name is letters, digits, hyphens and dots"
BRACKETS = (
    "has an unbalanced or misplaced [ or ] in its host; only an IPv6 address is written in "
    "brackets, as in https://[2001:db8::1]/, and a host name without them"
)


def http_url_problem(value: str) -> str | None:
    """Why an http(s) address, `value`, is malformed, or None: parsed strictly, by urllib.parse.

    The answer follows the quoted address in a message ("'…' has no host name; …") and ends
    with the fix. The scheme is the caller's to check; `value` holds no spaces or controls.
    """
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        if "IPv6" not in str(exc):  # a character that NFKC turns into / ? # @ or : ("／")
            host = re.split(r"[/?#]", value.split("//", 1)[-1], maxsplit=1)[0]
            return _host_character_problem(host) or f"has a character in its host name that is not allowed; {_EXAMPLE_HOST}"
        # "Invalid IPv6 URL": a [ without its ], or brackets round no IPv6 address
        if bracketed := re.match(r"[^/]*//(?:[^/?#@]*@)?\[([^\[\]/?#]*)\](?::[^/?#]*)?(?:[/?#]|$)", value):
            return _not_ipv6(bracketed.group(1))
        return BRACKETS
    netloc = parts.netloc
    if not netloc:
        return f"has no host name; write https:// and the host before the path, as in {_EXAMPLE}"
    if "@" in netloc:
        userinfo = netloc.rpartition("@")[0]
        return (
            "holds a user name or password before its host (the part up to @); "
            f"remove it: {value.replace(userinfo + '@', '', 1)}"
        )
    if netloc.startswith("["):
        literal, _, rest = netloc[1:].partition("]")
        if "[" in literal or "[" in rest or "]" in rest or (rest and not rest.startswith(":")):
            return BRACKETS
        try:
            ipaddress.IPv6Address(literal)
        except ValueError:
            return _not_ipv6(literal)
        host, port = f"[{literal}]", rest[1:]
    else:
        if "[" in netloc or "]" in netloc:
            return BRACKETS
        host, _, port = netloc.partition(":")
        if not host:
            return f"has no host name; write one after https://, as in {_EXAMPLE}"
        if problem := _host_character_problem(host):
            return problem
        if host.startswith(".") or ".." in host:
            return f"has an empty part in its host name '{host}'; remove the extra dot"
    # a colon without a port is allowed, as the URL standards allow it; int() alone would take "+80", "8_0"
    # and other scripts' digits
    if port and not (port.isascii() and port.isdigit() and 0 < int(port) <= 65535):
        return (
            f"has the port ':{port}', which is not a number from 1 to 65535; "
            f"correct it, or leave it out: {value.replace(netloc, host, 1)}"
        )
    return None


def _host_character_problem(host: str) -> str | None:
    """What a host name may hold: ASCII letters, digits, hyphens, dots and (as some real hosts have) underscores;
    and, for an international name written as it reads, letters, marks and digits of any script. Never other
    punctuation or symbols: a browser maps some of them to ASCII ("／" is "/"), moving the address to another host."""
    for char in host:
        allowed = (char.isalnum() or char in "-._") if char.isascii() else unicodedata.category(char)[0] in "LMN"
        if not allowed:
            return f"has '{char}' in its host name '{host}', which a host name cannot hold; {_EXAMPLE_HOST}"
    return None


def _not_ipv6(literal: str) -> str:
    return f"has [{literal}] as its host, which is not an IPv6 address; write the address or a host name, as in {_EXAMPLE}"


class PathOrUrl(Text):
    """A file under the site folder (static/logo.svg), or an http(s) URL held to `url_problem`.

    A value with a scheme ("https:", "javascript:"), or starting "//" or "www.", is a URL.
    """

    def parse(self, value, node, problems):
        value = super().parse(value, node, problems)
        if value is INVALID:
            return value
        if _SCHEME.match(value) or value.startswith("//") or value.lower().startswith("www."):
            if problem := url_problem(value):
                problems.add(node.line, node.col, problem)
                return INVALID
        return value


class ArticleOrUrl(Kind):
    """An archived article's id, or the URL of a page that is not archived."""

    json = {"anyOf": [{"type": "string", "pattern": SLUG_PATTERN}, Url.json]}
    what = "an article id or a web address"

    def parse(self, value, node, problems):
        value = value.strip()
        if ":" in value or "/" in value or value.lower().startswith("www."):
            return ("url", Url().read(node, problems))
        return ("article", Slug("article id").read(node, problems))


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    description: str
    required: bool = False
    # a value as an editor would write it in YAML; shown by `new` and docs/format.md, never validated
    example: str = ""


class Record(dict):
    """A mapping's valid values, with where each key stood."""

    def __init__(self, line: int, col: int):
        super().__init__()
        self.line, self.col = line, col
        self.positions: dict[str, tuple[int, int]] = {}

    def at(self, key: str) -> tuple[int, int]:
        return self.positions.get(key, (self.line, self.col))


class Items(list):
    """A list's valid values, with where each item stood."""

    def __init__(self):
        super().__init__()
        self.positions: list[tuple[int, int]] = []


class Object(Kind):
    """A mapping with known keys; unknown keys are errors with a suggestion."""

    def __init__(self, title: str, fields: list[Field], description: str = "", aliases: dict[str, str] | None = None):
        self.title = title
        self.fields = {f.name: f for f in fields}
        self.description = description
        self.aliases = aliases or {}  # names editors reach for: "date" for "published"

    @property
    def json(self):
        def property_schema(field: Field) -> dict[str, Any]:
            if field.required:
                return {"description": field.description, **field.kind.json}
            # an optional key may be left empty, as `new` writes them
            return {"description": field.description, "anyOf": [field.kind.json, {"type": "null"}]}

        schema: dict[str, Any] = {
            "type": "object",
            "title": self.title,
            "properties": {f.name: property_schema(f) for f in self.fields.values()},
            "additionalProperties": False,
        }
        if self.description:
            schema["description"] = self.description
        required = [f.name for f in self.fields.values() if f.required]
        if required:
            schema["required"] = required
        return schema

    def read(self, node, problems):
        if not isinstance(node, Mapping):
            found = "a list" if isinstance(node, Sequence) else f"'{node.value}'"
            problems.add(node.line, node.col, f"expected {self.title} (keys and values), found {found}")
            return INVALID
        record = Record(node.line, node.col)
        for key, value_node in node.items:
            field = self.fields.get(key.value)
            if field is None:
                problems.add(key.line, key.col, self.unknown_key_message(key.value))
                continue
            record.positions[key.value] = (value_node.line, value_node.col)
            if isinstance(value_node, Scalar) and value_node.is_null:
                if field.required:
                    problems.add(value_node.line, value_node.col,
                                 f"'{key.value}' has no value ({field.description.rstrip('.')})")
                continue
            value = field.kind.read(value_node, problems)
            if value is not INVALID:
                record[key.value] = value
        for field in self.fields.values():
            if field.required and field.name not in record.positions:
                problems.add(node.line, node.col,
                             f"missing required key '{field.name}' ({field.description.rstrip('.')})")
        return record

    def unknown_key_message(self, key: str) -> str:
        close = [self.aliases[key.lower()]] if key.lower() in self.aliases else []
        close = close or difflib.get_close_matches(key, self.fields, n=1, cutoff=0.6)
        if close:
            return f"unknown key '{key}'; did you mean '{close[0]}'?"
        return f"unknown key '{key}'; the keys of {self.title} are: {', '.join(self.fields)}"


class ListOf(Kind):
    def __init__(self, item: Kind, min_items: int = 0, what: str = "items", one: str = "item"):
        self.item = item
        self.min_items = min_items
        self.what = what  # "citations"
        self.one = one  # "citation"

    @property
    def one_alone(self) -> bool:
        """`tags: russia` means one tag; a list of mappings has no such shorthand."""
        return self.min_items <= 1 and not isinstance(self.item, (Object, OneOf))

    @property
    def json(self):
        schema: dict[str, Any] = {"type": "array", "items": self.item.json}
        if self.min_items:
            schema["minItems"] = self.min_items
        return {"anyOf": [schema, self.item.json]} if self.one_alone else schema

    def read(self, node, problems):
        if isinstance(node, Scalar):
            if self.one_alone:
                node = Sequence(node.line, node.col, [node])
            else:
                problems.add(node.line, node.col, f"expected a list of {self.what} (one '- ' line each)")
                return INVALID
        if not isinstance(node, Sequence):
            problems.add(node.line, node.col, f"expected a list of {self.what}, found a mapping")
            return INVALID
        items = Items()
        for item_node in node.items:
            value = self.item.read(item_node, problems)
            if value is not INVALID:
                items.append(value)
                items.positions.append((item_node.line, item_node.col))
        if len(node.items) < self.min_items:
            problems.add(node.line, node.col, f"needs at least one {self.one}")
        return items


class OneOf(Kind):
    """One of several objects, told apart by a key only one of them has.

    The web editor (factdesk/cms.py) also names the kind under TAG (`type: article`); that key
    is read and set aside, and must name the kind the other keys make it.
    """

    TAG = "type"

    def __init__(self, what: str, choices: dict[str, Object]):
        self.what = what
        self.choices = choices

    @property
    def json(self):
        def tagged(key: str, obj: Object) -> dict[str, Any]:
            schema = obj.json
            tag = {"description": "The kind, as the web editor writes it.", "const": key}
            return {**schema, "properties": {self.TAG: tag, **schema["properties"]}}

        return {"oneOf": [tagged(key, obj) for key, obj in self.choices.items()]}

    def read(self, node, problems):
        if isinstance(node, Mapping) and (tag := node.get(self.TAG)) is not None:
            node = Mapping(node.line, node.col, [(k, v) for k, v in node.items if k.value != self.TAG])
            named = tag.value if isinstance(tag, Scalar) else None
            given = next((key for key in self.choices if node.get(key) is not None), named)
            if named not in self.choices or named != given:
                fix = f"'{self.TAG}: {given}'" if given in self.choices else " or ".join(f"'{self.TAG}: {k}'" for k in self.choices)
                problems.add(tag.line, tag.col, f"'{self.TAG}' names the kind of {self.what}; write {fix}, or remove the line")
                return INVALID
        if isinstance(node, Mapping):
            for key, obj in self.choices.items():
                if node.get(key) is not None:
                    record = obj.read(node, problems)  # a Record: node is a mapping
                    record.kind = key
                    return record
            for key, _ in node.items:  # a misspelt `articel:` gets a suggestion
                close = difflib.get_close_matches(key.value, self.choices, n=1, cutoff=0.6)
                if close:
                    problems.add(key.line, key.col, f"unknown key '{key.value}'; did you mean '{close[0]}'?")
                    return INVALID
        keys = " or ".join(f"'{k}'" for k in self.choices)
        problems.add(node.line, node.col, f"{self.what} needs {keys}")
        return INVALID
