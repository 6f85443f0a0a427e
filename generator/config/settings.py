"""Configuration: the typed, validated contents of `playbook.yml`.

Every option is a pydantic field that validates itself; an unknown or misspelt key is an
error naming its line. This module reads one file and knows nothing of content or output.
"""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from generator.config.mkdocs_yml import MKDOCS_NAME, is_mkdocs_project, mkdocs_settings
from generator.content.problems import CurrencyCode, problems_from
from generator.content.schema import NEWSLETTER_CADENCES, canonical_word, unknown_word, vocabulary
from generator.content.yamlsource import LocatedYaml, YamlError, load_located
from generator.errors import BuildFailed, Problem, Problems
from generator.newsletter.tracking import MERGE_TAG
from generator.urls import UrlScheme

CONFIG_NAME = "playbook.yml"
MERGE_TAG_EXAMPLES = "*|UNSUB|*, {{ unsubscribe_url }}, %unsubscribe_url%"
TOKEN_FIELD = "{token}"


def _base_url(value: str | None, example: str) -> str | None:
    """An absolute http(s) URL that pages are addressed under: it ends with '/'."""
    if value is None:
        return None
    if not re.match(r'^https?://[^/\s"<>]+[^\s"<>]*$', value):
        raise ValueError(f"must be an absolute http(s) URL, e.g. {example}")
    return value if value.endswith("/") else value + "/"


def _inside_project(value: str) -> str:
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or not value.strip() or value.strip() == ".":
        raise ValueError(f"must be a folder inside the project (a relative path without '..'), got {value!r}")
    return value


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Language(Strict):
    code: str
    name: str

    @field_validator("code")
    @classmethod
    def _known_locale(cls, code: str) -> str:
        try:
            Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            raise ValueError(f"'{code}' is not a language code Babel knows (e.g. en, es, bg, fi)") from None
        return code


class Tracking(Strict):
    """UTM tagging and share links (see README, "Tracked links")."""

    utm_source: str = "newsletter"
    utm_medium: str = "email"
    utm_campaign: str = "{slug}"  # {slug}, {issue} and {lang} are filled in per issue
    share_campaign: str = "playbook"  # utm_campaign of share links on pages that are not issues
    short_links: bool = False
    share_networks: list[vocabulary("linkedin", "x", "facebook", "whatsapp", "email")] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["linkedin", "x", "facebook", "whatsapp", "email"]
    )
    share_pages: bool | None = None  # share buttons on site pages; default: only on a `public` site


class Smtp(Strict):
    host: str = "localhost"
    port: int = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    user: str | None = None
    password_env: str = "PLAYBOOK_SMTP_PASSWORD"
    timeout: float = 20
    retries: Annotated[int, Field(ge=0, le=10)] = 4  # a 4xx answer or a dropped connection is tried again
    retry_delay: Annotated[float, Field(ge=0)] = 2  # seconds before the first retry, doubled for each next one


class Newsletter(Strict):
    """Sender, public archive and unsubscribe settings (see README, "Sending a newsletter")."""

    from_address: str = "newsletter@example.org"
    from_name: str | None = None
    reply_to: str | None = None
    organisation: str | None = None
    postal_address: str | None = None
    public_url: str | None = None  # the public host of the newsletter archive (customer issues link here)
    public_dir: str = "public"  # the public archive's output folder, next to site/
    unsubscribe_url: str = Field(
        default="{{ unsubscribe_url }}", validation_alias=AliasChoices("unsubscribe_url", "unsubscribe")
    )
    unsubscribe_secret_env: str = "PLAYBOOK_UNSUBSCRIBE_SECRET"
    list_id: str | None = None  # default: from_address with '@' as '.', e.g. newsletter.example.org
    suppression_file: str = "suppressed.csv"
    max_html_kb: int = 102
    cadence: str | dict[str, str] | None = None
    """How often an issue goes out: one of NEWSLETTER_CADENCES, or one per language code."""

    @field_validator("cadence", mode="before")
    @classmethod
    def _cadence(cls, value: object) -> object:
        if isinstance(value, str):
            return _one_cadence(value)
        if isinstance(value, dict):
            return {str(code): _one_cadence(every) for code, every in value.items()}
        if value is None:
            return None
        raise ValueError(
            f"expected a cadence, got {value!r}: write cadence: monthly, or one per language: "
            "cadence: {en: weekly, es: monthly}"
        )

    def cadence_for(self, lang: str) -> str | None:
        """The cadence of `lang`'s issues (None: no cadence set)."""
        return self.cadence.get(lang) if isinstance(self.cadence, dict) else self.cadence

    @field_validator("public_url")
    @classmethod
    def _public_base(cls, value: str | None) -> str | None:
        return _base_url(value, "https://news.example.com/")

    @field_validator("unsubscribe_url")
    @classmethod
    def _unsubscribe_target(cls, value: str) -> str:
        """An https URL with {token} (a list send fills it per recipient) or a service's merge tag."""
        if value.startswith("https://") and TOKEN_FIELD in value and not re.search(r'[\s"<>]', value):
            return value
        if not value.lower().startswith(("http://", "https://")) and MERGE_TAG.fullmatch(value):
            return value
        raise ValueError(
            f"must be an https URL with {TOKEN_FIELD} (e.g. https://example.org/unsubscribe?t={TOKEN_FIELD}) "
            f"or your e-mail service's merge tag ({MERGE_TAG_EXAMPLES}), got {value!r}"
        )

    @field_validator("public_dir", "suppression_file")
    @classmethod
    def _in_project(cls, value: str) -> str:
        return _inside_project(value)

    @property
    def one_click(self) -> bool:
        """True when the unsubscribe link is Playbook's own https URL (RFC 8058 one-click)."""
        return self.unsubscribe_url.startswith("https://")

    @property
    def list_address(self) -> str:
        return self.list_id or self.from_address.replace("@", ".")


def _one_cadence(value: object) -> str:
    found = canonical_word(value, NEWSLETTER_CADENCES) if isinstance(value, str) else None
    if found is None:
        raise ValueError(unknown_word(str(value), NEWSLETTER_CADENCES))
    return found


class HeadingIds(Strict):
    """How heading ids are made. `playbook`: Unicode slugs, repeats `-1`. The others are the
    slug functions of MkDocs' toc extension (`toc`: ASCII, `toc_unicode`) and of
    pymdownx.slugs (`pymdownx`, with its `case`, `normalize` and `percent_encode`); with
    those, repeats are numbered `_1` as MkDocs does."""

    slugify: Literal["playbook", "toc", "toc_unicode", "pymdownx"] = "playbook"
    separator: str = "-"
    case: Literal["none", "lower", "lower-ascii", "fold"] = "lower"
    normalize: Literal["NFC", "NFD", "NFKC", "NFKD"] | None = "NFC"
    percent_encode: bool = False


class BlockType(Strict):
    """A block name made by pymdownx.blocks' admonition or details (`/// tip`): the class it
    adds and its title when the header gives none (the name, capitalised)."""

    name: str
    css_class: str | None = None
    title: str | None = None


ADMONITION_TYPES = ("note", "attention", "caution", "danger", "error", "tip", "hint", "warning", "important")


class BlockTypes(Strict):
    """The names of `///` admonition and details blocks besides `admonition` and `details`
    (pymdownx's defaults, or the `types:` of mkdocs.yml)."""

    admonition: tuple[BlockType, ...] = tuple(BlockType(name=name) for name in ADMONITION_TYPES)
    details: tuple[BlockType, ...] = ()


class MarkdownSettings(Strict):
    raw_html: bool = True
    heading_ids: HeadingIds = Field(default_factory=HeadingIds)
    plugin_syntax: bool = False
    """Leave out (with a warning) the syntax of MkDocs plugins Playbook does not run:
    mkdocstrings `::: name` blocks and macros `{{ ... }}`. On for MkDocs projects."""
    snippets_base: tuple[str, ...] = ()
    """Folders (relative to the project) where `--8<-- "file"` looks; the project root always."""
    snippets_append: tuple[str, ...] = ()
    """Snippet files added at the end of every page (a glossary of abbreviations): what
    pymdownx.snippets' `auto_append` does in MkDocs projects."""
    block_types: BlockTypes = Field(default_factory=BlockTypes)
    includes_base: str | None = None
    """The folder (relative to the project) `{!file!}` includes are read from (mdx_include's
    `base_path`); None: `{!...!}` is plain text, as in a MkDocs site without mdx_include."""
    icon_folders: tuple[str, ...] = ()
    """Folders (relative to the project) of the project's own SVG icons: `:name:` for
    `name.svg`, `:set-name:` for `set/name.svg` (pymdownx.emoji's `custom_icons`)."""
    smart_symbols: bool = False
    """`(c)` ©, `(tm)` ™, `-->` →, `1/2` ½, `1st` 1<sup>st</sup> and the like in text: what
    pymdownx.smartsymbols does; on in MkDocs projects that list it."""
    linkify: bool = False
    """Bare web and e-mail addresses (`https://...`, `www....`, `name@host`) become links, as
    GitHub shows them. On in MkDocs projects that list `pymdownx.magiclink`."""
    linenums: bool | None = None
    """Line numbers on code blocks: true numbers every block (a block's `linenums="0"` opts
    out), false none; unset, the blocks that ask (`linenums="1"`). pymdownx.highlight's
    `linenums`."""
    line_anchors: bool = False
    """Every line of a code block gets an id, `__codelineno-B-N` (B: the block's place on the
    page from 0, N: the line's number), and line numbers link to it: pymdownx.highlight's
    `anchor_linenums`, so links to lines of a Material site keep working."""


Level = Literal["error", "warning", "ignore"]


class LinkChecks(Strict):
    """What a broken link or anchor is. MkDocs projects take mkdocs.yml's `validation:`."""

    not_found: Level = "error"
    anchors: Level = "error"
    unrecognized: Level = "error"
    """A missing target without a file extension (MkDocs: an unrecognized relative link)."""
    omitted_files: Level = "ignore"
    """A page the explicit outline (a MkDocs `nav`) does not list."""
    nav_not_found: Level = "error"
    """An outline entry naming a page that does not exist."""


class NavItem(Strict):
    """One entry of an explicit sidebar: a page (`path`), an external link (`url`), or a
    section (`children`); `title` is its label (a page's own title when None)."""

    title: str | None = None
    path: str | None = None
    url: str | None = None
    children: list[NavItem] = Field(default_factory=list)


class NavOutline(Strict):
    """An explicit sidebar (from a MkDocs `nav`): its tree of entries, in order."""

    items: list[NavItem] = Field(default_factory=list)

    @property
    def order(self) -> list[str]:
        """Content paths in the order the outline lists them."""
        return [path for item in self.items for path in _paths(item)]


def _paths(item: NavItem) -> list[str]:
    own = [item.path] if item.path else []
    return own + [path for child in item.children for path in _paths(child)]


HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{3,8}$")


class Config(Strict):
    """The whole of `playbook.yml`."""

    site_name: str
    site_url: str | None = None
    description: str = ""
    logo: str | None = None
    accent_colour: Annotated[str, Field(pattern=HEX_COLOUR.pattern)] = "#0b6e4f"
    languages: list[Language] = Field(default_factory=lambda: [Language(code="en", name="English")])
    default_language: str | None = None
    default_language_at_root: bool = True
    translation_fallback: bool = True
    currency: CurrencyCode = "EUR"
    timezone: str = "UTC"
    theme_dir: str = "themes"
    content_dir: str = "content"
    output_dir: str = "site"
    newsletters_dir: str = "newsletters"
    nav: list[str] = Field(default_factory=list)
    outline: NavOutline | None = None
    title_from_heading: bool = False
    extra: dict[str, Any] = Field(default_factory=dict)
    edit_url: str | None = None
    search: bool = True
    public: bool = False
    """A public site: pages may be indexed by search engines and shared."""
    url_style: Literal["playbook", "mkdocs"] = "playbook"
    """`mkdocs`: URLs are file names as MkDocs writes them (`README.md` is the folder's page)."""
    directory_urls: bool = True
    links: LinkChecks = Field(default_factory=LinkChecks)
    repo_url: str | None = None
    repo_name: str | None = None
    author: str | None = None
    copyright: str | None = None
    favicon: str | None = None
    extra_css: list[str] = Field(default_factory=list)
    extra_javascript: list[str] = Field(default_factory=list)
    redirects: dict[str, str] = Field(default_factory=dict)
    """Old content path -> new content path or URL: each old address gets a redirect page."""
    exclude: list[str] = Field(default_factory=list)
    """Content files not to publish, as .gitignore patterns (MkDocs' `exclude_docs`)."""
    not_in_nav: list[str] = Field(default_factory=list)
    """Pages meant to stay out of the outline (.gitignore patterns): no omitted-file warning."""
    _load_problems: list[Problem] = PrivateAttr(default_factory=list)

    @property
    def load_problems(self) -> list[Problem]:
        """Warnings found while reading the settings file (the build reports them)."""
        return self._load_problems

    markdown: MarkdownSettings = Field(default_factory=MarkdownSettings)
    newsletter: Newsletter = Field(default_factory=Newsletter)
    tracking: Tracking = Field(default_factory=Tracking)
    smtp: Smtp = Field(default_factory=Smtp)

    @field_validator("languages", mode="before")
    @classmethod
    def _languages_from_mapping(cls, value: object) -> object:
        """Accept `{en: English, es: Español}` as well as a list of {code, name}."""
        if isinstance(value, dict):
            return [{"code": str(code), "name": name} for code, name in value.items()]
        return value

    @field_validator("site_url")
    @classmethod
    def _absolute_url(cls, value: str | None) -> str | None:
        return _base_url(value, "https://intranet.example.com/playbook/")

    @field_validator("logo", "edit_url", "repo_url", "favicon")
    @classmethod
    def _safe_link(cls, value: str | None) -> str | None:
        """Only web links or paths: no javascript:, data: or other schemes reach a page."""
        if value is None:
            return None
        scheme = urlsplit(value).scheme
        if (scheme and scheme not in ("http", "https")) or re.search(r'[\s"<>]', value):
            raise ValueError(f"must be an http(s) URL or a path, got {value!r}")
        return value

    @field_validator("content_dir", "theme_dir")
    @classmethod
    def _inside_project(cls, value: str) -> str:
        return _inside_project(value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA time zone (e.g. UTC, Europe/Madrid, Europe/Sofia)") from None
        return value

    @model_validator(mode="after")
    def _default_language_is_configured(self) -> Config:
        codes = [lang.code for lang in self.languages]
        if not codes:
            raise ValueError("languages: at least one language is needed")
        if len(set(codes)) != len(codes):
            raise ValueError("languages: each code may appear only once")
        if self.default_language is None:
            object.__setattr__(self, "default_language", codes[0])
        elif self.default_language not in codes:
            raise ValueError(f"default_language '{self.default_language}' is not in languages ({', '.join(codes)})")
        return self

    @model_validator(mode="after")
    def _cadence_languages_are_configured(self) -> Config:
        cadence = self.newsletter.cadence
        unknown = [code for code in cadence if code not in self.language_codes] if isinstance(cadence, dict) else []
        if unknown:
            codes = ", ".join(self.language_codes)
            raise ValueError(f"newsletter.cadence: {', '.join(map(repr, unknown))} is not in languages ({codes})")
        return self

    @property
    def url_scheme(self) -> UrlScheme:
        return UrlScheme(self.url_style == "mkdocs", self.directory_urls)

    @property
    def language_codes(self) -> list[str]:
        return [lang.code for lang in self.languages]

    @property
    def default_lang(self) -> str:
        return self.default_language or self.languages[0].code

    def language_name(self, code: str) -> str:
        return next((lang.name for lang in self.languages if lang.code == code), code)

    @property
    def shares_pages(self) -> bool:
        """Site pages carry share buttons: only where outsiders can open what is shared."""
        return self.public if self.tracking.share_pages is None else self.tracking.share_pages


def load_config(root: Path) -> Config:
    """Read and validate `playbook.yml` in `root`; raise BuildFailed listing every problem."""
    path = root / CONFIG_NAME
    problems = Problems()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if is_mkdocs_project(root):
            found = mkdocs_settings(root)
            config = validated(LocatedYaml(found.data, found.lines), MKDOCS_NAME)
            config.load_problems.extend(found.warnings)
            return config
        problems.error(CONFIG_NAME, f"no {CONFIG_NAME} in {root} (run `playbook init {root}` to start one)")
        raise BuildFailed(problems) from None
    except UnicodeDecodeError as exc:
        problems.error(CONFIG_NAME, f"not UTF-8 text (byte {exc.start})")
        raise BuildFailed(problems) from None
    return parse_config(text, CONFIG_NAME)


def parse_config(text: str, display_path: str) -> Config:
    """Validate configuration text; `display_path` names it in messages."""
    problems = Problems()
    try:
        located = load_located(text)
    except YamlError as exc:
        problems.error(display_path, exc.message, exc.line)
        raise BuildFailed(problems) from None
    if located.data is None:
        located = LocatedYaml({}, located.lines)
    if not isinstance(located.data, dict):
        problems.error(display_path, "must be a mapping of settings (key: value)", 1)
        raise BuildFailed(problems)
    return validated(located, display_path, fallback_line=1)


def validated(settings: LocatedYaml, display_path: str, fallback_line: int | None = None) -> Config:
    """The Config of these settings; BuildFailed naming `display_path` and each key's line."""
    try:
        return Config.model_validate(settings.data)
    except ValidationError as exc:
        problems = Problems(problems_from(exc, settings, display_path, model=Config, fallback_line=fallback_line))
        raise BuildFailed(problems) from None
