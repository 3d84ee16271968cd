"""`new`: a claim file with every field, each explained, ready to fill in.

The file is written from schema.CLAIM, so each key comes in the format's
order with its own description, and a key added to the format appears here
without anyone editing this module. Only what `new` itself knows is said
here: the claim given, today's date, the site's verdict ids, the draft flag.
"""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

from slugify import slugify

from .fields import CLAIM_SLUG_LENGTH, MAX_SLUG_LENGTH, Field, ListOf, Object, Text
from .schema import CLAIM, field_help, nested_objects, sentence_case

SCHEMA_PATH = "../../schemas/claim.schema.json"  # from content/claims/, where the file goes
INTRO = "A fact-check. Fill in each field; `python build.py check` says what is missing."
WIDTH = 88  # comments wrap here, so the file reads well in GitHub's web editor
INDENT = "  "


def claim_slug(claim: str) -> str:
    return slugify(claim, max_length=CLAIM_SLUG_LENGTH, word_boundary=True) or "claim"


def scaffold(site_dir: Path, claim: str, slug: str | None, verdict_ids: list[str], today: dt.date) -> Path:
    """Write content/claims/SLUG.yaml; FileExistsError if it is already there."""
    slug = slug or claim_slug(claim)
    path = site_dir / "content" / "claims" / f"{slug[:MAX_SLUG_LENGTH]}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = claim_file_text(claim, verdict_ids, today)
    with open(path, "x", encoding="utf-8") as file:  # "x": never overwrite a check
        file.write(text)
    return path


def claim_file_text(claim: str, verdict_ids: list[str], today: dt.date) -> str:
    """The new claim file: a schema line, then every key of schema.CLAIM under its comment."""
    values = {
        "claim": json.dumps(" ".join(claim.split()), ensure_ascii=False),
        "published": today.isoformat(),
        "draft": "true",  # a new check stays out of builds until an editor says it is ready
    }
    notes = {
        "verdict": f"One of: {', '.join(verdict_ids)}." if verdict_ids else "",
        "draft": "Delete this line when the check is ready.",
    }
    lines = [f"# yaml-language-server: $schema={SCHEMA_PATH}", *comment(INTRO)]
    for field in CLAIM.fields.values():
        lines += explanation(field, notes.get(field.name, ""))
        lines += key_lines(field, values.get(field.name))
    return "\n".join(lines) + "\n"


def comment(text: str, indent: str = "", hang: str = "") -> list[str]:
    """`text` as YAML comment lines; `hang` indents every line after the first."""
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=f"{indent}# ",
        subsequent_indent=f"{indent}# {hang}",
        break_long_words=False,
        break_on_hyphens=False,
    )


def explanation(field: Field, note: str = "") -> list[str]:
    """The comment above a key: required or not, its help, then its example on a line of its own."""
    parts = ["Required." if field.required else "Optional.", field_help(field), note]
    if is_markdown(field):
        parts.append("Indent it under the | line.")
    lines = comment(" ".join(part for part in parts if part))
    if field.example:  # never wrapped: an example is YAML to copy
        lines.append(f"# For example: {field.example}")
    return lines


def is_markdown(field: Field) -> bool:
    return isinstance(field.kind, Text) and field.kind.markdown


def key_lines(field: Field, value: str | None) -> list[str]:
    """The key and its starting value: what `new` knows, an empty list, a block, or nothing."""
    name, kind = field.name, field.kind
    if value is not None:
        return [f"{name}: {value}"]
    if is_markdown(field):
        return [f"{name}: |", f"{INDENT}Write the {name} here."]
    if isinstance(kind, ListOf) and nested_objects(kind):
        return list_of_objects_lines(name, kind)
    if isinstance(kind, ListOf):
        return [f"{name}: []"]
    if isinstance(kind, Object):
        return [f"{name}:", *legend(kind), *item_lines(kind, INDENT, "", live=True)]
    return [f"{name}:"]


def list_of_objects_lines(name: str, kind: ListOf) -> list[str]:
    """A list of objects: each kind of item explained; one blank item when the list needs one."""
    # a required list starts with the first kind filled in; any other kind is shown commented
    needs_one = kind.min_items > 0
    lines = [f"{name}:" if needs_one else f"{name}: []"]
    for index, obj in enumerate(nested_objects(kind)):
        live = needs_one and index == 0
        lead = sentence_case(obj.title) if index == 0 else f"Or {obj.title}"
        lines += comment(f"{lead}:", INDENT)
        lines += legend(obj)
        if not live:
            lines += comment("For example:" if needs_one else "For example, in place of []:", INDENT)
        lines += item_lines(obj, INDENT, "- ", live)
    return lines


def legend(obj: Object) -> list[str]:
    """One comment line per key of an object: what it holds, and whether it is required."""
    lines = []
    for field in obj.fields.values():
        need = "required" if field.required else "optional"
        lines += comment(f"  {field.name} ({need}): {field_help(field)}", INDENT, hang="    ")
    return lines


def item_lines(obj: Object, indent: str, dash: str, live: bool) -> list[str]:
    """An object's keys: empty to fill in when `live`, else a commented example."""
    if live:
        keys = [f"{field.name}:" for field in obj.fields.values()]
        prefix = indent
    else:
        # an example shows the keys an editor must write, and any other with a sample value
        shown = [f for f in obj.fields.values() if f.required or f.example]
        keys = [f"{field.name}: {field.example or field.description.rstrip('.')}" for field in shown]
        prefix = f"{indent}# "
    hang = " " * len(dash)
    return [f"{prefix}{dash if i == 0 else hang}{key}" for i, key in enumerate(keys)]
