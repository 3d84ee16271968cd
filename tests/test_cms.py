"""The web editor at admin/ (factdesk/cms.py): its generated configuration, the vendored
CMS, and the admin page in a built site.

The configuration is checked against the field definitions it is written from: every
field of the check, article and page formats is in the form, with the widget an editor
expects and the same required flag `check` enforces; the verdict is a choice from the
site's own scale. The vendored files are checked against the npm packages they copy
(when `npm ci` has filled node_modules/), and the committed reference copy against what
the definitions give now.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import CLAIM, PROJECT_DIR, build_site, html_page, loaded_site, make_site, run
from factdesk import cms, schema
from factdesk.fields import Boolean, Date, ListOf, Object, OneOf, Text

NODE_MODULES = PROJECT_DIR / "node_modules"
SVELTIA_SCHEMA = NODE_MODULES / "@sveltia" / "cms" / "schema" / "sveltia-cms.json"
needs_node_modules = pytest.mark.skipif(not (NODE_MODULES / "@sveltia" / "cms").is_dir(),
                                        reason="node_modules/@sveltia/cms is missing (run `npm ci` at the project's root)")

SITE_YAML_OWN_DOMAIN = """\
title: Own Domain Desk
base_url: https://checks.example.org/
publisher: {name: Own Domain Desk, url: "https://checks.example.org/"}
repository: steel-desk/checks
editor_login: https://factdesk-auth.example.workers.dev/
"""

SCALE_YAML = """\
title: Scale Desk
base_url: https://newsroom.github.io/scale-desk/
publisher:
  name: Scale Desk
  url: https://newsroom.github.io/scale-desk/
verdicts:
  - id: correct
    label: Correct
    description: It is right.
  - id: wrong
    label: Wrong
    description: It is not.
  - id: open
    label: Open question
    description: Nobody knows yet.
    scored: false
"""


@pytest.fixture(scope="module")
def scale_site(tmp_path_factory) -> Path:
    """A site with a scale of its own, and the default check rated on it."""
    return make_site(tmp_path_factory.mktemp("scale"), site_yaml=SCALE_YAML, claims={"steel-contract": CLAIM.replace('"false"', "wrong")})


@pytest.fixture(scope="module")
def config(scale_site) -> dict:
    return cms.cms_config(loaded_site(scale_site).config)


def collection(config: dict, name: str) -> dict:
    return next(c for c in config["collections"] if c["name"] == name)


def by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


# -- every field, its widget and its required flag ---------------------------------------------


def expected_widget(kind) -> str:
    if isinstance(kind, Date):
        return "string" if kind.partial else "datetime"
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Text):
        return "markdown" if kind.markdown else "text|string"
    if isinstance(kind, ListOf):
        return "list"
    if isinstance(kind, Object):
        return "object"
    return "string|relation"


def assert_fields_match(obj: Object, fields: list[dict], where: str, overridden: frozenset[str] = frozenset()) -> None:
    """Every key of `obj` is a field, in the same order, required exactly when `check` requires it."""
    assert [f["name"] for f in fields][: len(obj.fields)] == list(obj.fields), where
    for field in obj.fields.values():
        spec = by_name(fields)[field.name]
        assert spec["required"] is field.required, f"{where}.{field.name}"
        assert spec["hint"], f"{where}.{field.name} has no hint"
        if field.name not in overridden:
            assert re.fullmatch(expected_widget(field.kind), spec["widget"]), f"{where}.{field.name}: {spec['widget']}"
        kind = field.kind
        if isinstance(kind, ListOf):
            assert spec.get("min", 0) == kind.min_items, f"{where}.{field.name}"
            if isinstance(kind.item, OneOf):
                types = by_name(spec["types"])
                assert list(types) == list(kind.item.choices), f"{where}.{field.name}"
                for key, choice in kind.item.choices.items():
                    assert_fields_match(choice, types[key]["fields"], f"{where}.{field.name}[{key}]")
            elif isinstance(kind.item, Object):
                assert_fields_match(kind.item, spec["fields"], f"{where}.{field.name}[]")
            else:
                assert "field" in spec, f"{where}.{field.name}"


def test_the_check_form_has_every_field_of_the_check_format(config):
    claims = collection(config, "claims")
    assert_fields_match(schema.CLAIM, claims["fields"], "claim", overridden=frozenset({"verdict"}))
    assert len(claims["fields"]) == len(schema.CLAIM.fields)


def test_the_article_form_has_every_field_and_the_text(config):
    articles = collection(config, "articles")
    assert_fields_match(schema.ARTICLE, articles["fields"], "article")
    body = articles["fields"][-1]
    assert (body["name"], body["widget"], body["required"]) == ("body", "text", True)  # verbatim, never rewritten as Markdown
    assert len(articles["fields"]) == len(schema.ARTICLE.fields) + 1


def test_the_page_form_has_every_field_and_its_markdown(config):
    pages = collection(config, "pages")
    assert_fields_match(schema.PAGE, pages["fields"], "page")
    assert (pages["fields"][-1]["name"], pages["fields"][-1]["widget"]) == ("body", "markdown")


def test_the_verdict_is_chosen_from_the_sites_own_scale_with_its_labels(config):
    verdict = by_name(collection(config, "claims")["fields"])["verdict"]
    assert verdict["widget"] == "select"
    assert verdict["options"] == [
        {"label": "Correct", "value": "correct"},
        {"label": "Wrong", "value": "wrong"},
        {"label": "Open question", "value": "open"},
    ]
    assert verdict["required"] is True


def test_a_citation_quotes_an_article_chosen_by_title_or_publisher(config):
    citations = by_name(collection(config, "claims")["fields"])["citations"]
    assert citations["typeKey"] == cms.TYPE_KEY
    article = by_name(by_name(citations["types"])["article"]["fields"])["article"]
    assert article["widget"] == "relation"
    assert article["collection"] == "articles"
    assert article["value_field"] == "{{slug}}"  # the article's id, its file name
    assert set(article["search_fields"]) == {"title", "publisher"}


def test_dates_are_pickers_writing_what_the_build_reads(config):
    fields = by_name(collection(config, "claims")["fields"])
    for name in ("published", "claim_date"):
        assert (fields[name]["widget"], fields[name]["type"], fields[name]["format"]) == ("datetime", "date", "YYYY-MM-DD")
    update_date = by_name(fields["updates"]["fields"])["date"]
    assert (update_date["widget"], update_date["format"]) == ("datetime", "YYYY-MM-DD")
    # an article's date may be a month or a year alone, which no date picker can say
    published = by_name(collection(config, "articles")["fields"])["published"]
    assert published["widget"] == "string"
    pattern = re.compile(published["pattern"][0])
    assert all(pattern.match(d) for d in ("2025", "2025-05", "2025-05-30")) and not pattern.match("30 May 2025")


def test_a_new_check_is_a_draft_dated_today_with_a_slug_by_the_projects_rule(config):
    claims = collection(config, "claims")
    fields = by_name(claims["fields"])
    assert (fields["draft"]["widget"], fields["draft"]["default"]) == ("boolean", True)
    assert fields["published"]["default"] == "{{now}}"
    assert fields["analysis"]["widget"] == "markdown"
    assert claims["slug"]["template"] == "{{fields.claim}}"
    assert claims["slug"]["editable"] == ["create"]  # a published check's address never changes
    slug_rule = re.compile(claims["slug"]["pattern"][0])
    assert slug_rule.match("steel-contract-may") and not slug_rule.match("Steel contract") and not slug_rule.match("a" * 81)
    assert config["slug"] == {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-", "maxlength": 60}


def test_saves_go_through_pull_requests_on_the_sites_repository(config):
    assert config["publish_mode"] == "editorial_workflow"
    assert config["backend"] == {"name": "github", "repo": "newsroom/scale-desk", "auth_methods": ["token"]}
    assert config["output"] == {"omit_empty_optional_fields": True}  # an empty optional field is left out, as `check` wants
    assert [(c["folder"], c["extension"]) for c in config["collections"]] == [
        ("content/claims", "yaml"), ("content/articles", "txt"), ("content/pages", "md")]


@pytest.mark.parametrize("base_url, repo", [
    ("https://newsroom.github.io/scale-desk/", "newsroom/scale-desk"),
    ("https://NewsRoom.github.io/", "newsroom/newsroom.github.io"),
    ("https://checks.example.org/", None),
    ("https://example.org/newsroom.github.io/", None),
])
def test_the_repository_is_read_from_a_github_pages_address(base_url, repo):
    from factdesk.model import Publisher, SiteConfig

    config = SiteConfig(title="T", base_url=base_url, publisher=Publisher("T", base_url))
    assert cms.repository(config) == repo


def test_a_desk_on_its_own_domain_names_its_repository_and_login_worker(tmp_path):
    site = make_site(tmp_path, site_yaml=SITE_YAML_OWN_DOMAIN)
    backend = cms.cms_config(loaded_site(site).config)["backend"]
    assert backend == {"name": "github", "repo": "steel-desk/checks", "auth_methods": ["oauth", "token"],
                       "base_url": "https://factdesk-auth.example.workers.dev"}


def test_people_languages_and_translations_are_chosen_from_what_the_site_has(tmp_path):
    site_yaml = SITE_YAML_OWN_DOMAIN + "languages: [en, ur]\npeople:\n  - {id: amina, name: Amina Rahman}\n"
    fields = by_name(collection(cms.cms_config(loaded_site(make_site(tmp_path, site_yaml=site_yaml)).config), "claims")["fields"])
    assert fields["author"]["options"] == fields["reviewed_by"]["options"] == [{"label": "Amina Rahman", "value": "amina"}]
    assert (fields["language"]["widget"], fields["language"]["options"]) == ("select", ["en", "ur"])
    assert {k: fields["translation_of"][k] for k in ("widget", "collection", "value_field")} == {
        "widget": "relation", "collection": "claims", "value_field": "{{slug}}"}


def test_a_desk_in_one_language_without_people_types_those_fields(config):
    fields = by_name(collection(config, "claims")["fields"])
    assert "options" not in fields["author"] and "options" not in fields["language"]


def test_a_repository_that_is_not_owner_slash_name_is_an_error_with_the_fix(tmp_path):
    site = make_site(tmp_path, site_yaml=SITE_YAML_OWN_DOMAIN.replace("steel-desk/checks", "https://github.com/steel-desk/checks"))
    result = run("check", "--site", site)
    assert result.returncode == 1
    assert "site.yaml:4:13: error: repository must be OWNER/NAME as GitHub shows it, such as steel-desk/checks" in result.stdout + result.stderr


@needs_node_modules
def test_the_configuration_is_valid_for_the_pinned_cms(config):
    import jsonschema

    validator = jsonschema.Draft7Validator(json.loads(SVELTIA_SCHEMA.read_text(encoding="utf-8")))
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message[:200]}" for e in errors[:5])


# -- the committed copies -------------------------------------------------------------------------


def test_committed_reference_configuration_is_current():
    assert cms.COMMITTED_CONFIG.read_text(encoding="utf-8") == cms.reference_config(), (
        "schemas/cms-config.yml is stale: run `python -m factdesk.cms` and commit it")


def test_package_json_pins_the_vendored_versions_exactly():
    pins = json.loads((PROJECT_DIR / "package.json").read_text(encoding="utf-8"))["devDependencies"]
    for source in cms.VENDORED.values():
        package, version = re.match(r"(@?[^@]+)@([^/]+)/", source).groups()
        assert pins[package] == version, f"package.json pins {package} at {pins.get(package)}, the vendored copy is {version}"


@needs_node_modules
@pytest.mark.parametrize("name", list(cms.VENDORED))
def test_vendored_file_equals_the_pinned_npm_packages(name):
    package, version, inside = re.match(r"(@?[^@]+)@([^/]+)/(.*)", cms.VENDORED[name]).groups()
    installed = NODE_MODULES / package
    assert json.loads((installed / "package.json").read_text(encoding="utf-8"))["version"] == version, "run `npm ci`"
    assert (cms.VENDOR_DIR / name).read_bytes() == (installed / inside).read_bytes(), (
        f"vendor/sveltia-cms/{name} differs from {package} {version}: copy it again from node_modules")


def test_the_page_replaces_the_cms_cdn_fonts_with_the_vendored_ones():
    """The CMS skips its own font styles when the page has a style of the same id; that id and
    the fonts it names change with the CMS's version, so an upgrade must come here too."""
    script = (cms.VENDOR_DIR / cms.SCRIPT).read_text(encoding="utf-8")
    styles = re.search(r"\{hash:`" + re.escape(cms.FONT_STYLE_ID) + r"`,code:`(.*?)`\}", script, re.S)
    assert styles, f"the CMS no longer names its font styles {cms.FONT_STYLE_ID}"
    cdn_fonts = re.findall(r"cdn\.jsdelivr\.net/fontsource/fonts/([a-z0-9-]+)(?::vf)?@([\d.]+)/([a-z0-9-]+\.woff2)", styles.group(1))
    vendored = {Path(name).name: source for name, source in cms.VENDORED.items() if name.startswith("fonts/")}
    assert len(cdn_fonts) == len(vendored) == 3
    for family, version, file in cdn_fonts:
        source = vendored[f"{family}-{file}"]
        assert f"@{version}/" in source, f"the CMS asks for {family} {version}; vendored: {source}"


# -- the admin page in a built site --------------------------------------------------------------


@pytest.fixture(scope="module")
def built(scale_site, tmp_path_factory) -> Path:
    return build_site(scale_site, tmp_path_factory.mktemp("out") / "site")


def test_the_built_site_has_the_cms_and_its_configuration(built, scale_site):
    admin = built / "admin"
    assert (admin / "config.yml").read_text(encoding="utf-8") == cms.config_yaml(loaded_site(scale_site).config)
    assert yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))["collections"][0]["name"] == "claims"
    for name in cms.VENDORED:
        assert (admin / name).read_bytes() == (cms.VENDOR_DIR / name).read_bytes()
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<script src="/scale-desk/admin/admin.js"></script>\n<script src="/scale-desk/admin/sveltia-cms.js"></script>' in page  # the guard first
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "the admin page loads nothing from another host"


def test_the_admin_page_has_its_own_narrow_policy_and_other_pages_keep_theirs(built):
    admin = html_page(built, "admin/index.html")
    policy = admin.find("meta", **{"http-equiv": "Content-Security-Policy"}).attrs["content"]
    assert policy == cms.ADMIN_POLICY
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"  # no CDN, no eval, no inline script
    assert directives["connect-src"].split() == ["'self'", "blob:", "data:", "https://api.github.com"]
    home = html_page(built, "index.html").find("meta", **{"http-equiv": "Content-Security-Policy"}).attrs["content"]
    assert "github" not in home and "'unsafe-inline'" not in home


def test_the_admin_page_is_kept_out_of_search_engines_the_sitemap_feeds_and_search(built):
    admin = html_page(built, "admin/index.html")
    assert admin.find("meta", name="robots").attrs["content"] == "noindex, nofollow"
    assert admin.find("body").attrs["data-pagefind-ignore"] == "all"
    for machine_file in ("sitemap.xml", "feed.xml", "claims.json"):
        assert "admin" not in (built / machine_file).read_text(encoding="utf-8"), machine_file
    from factdesk.search import GLOB

    assert not Path("admin/index.html").match(GLOB)  # Pagefind indexes only the claim pages
