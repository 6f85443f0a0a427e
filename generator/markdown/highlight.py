"""Fenced code at build time: Pygments colours every block whose language it knows (classes
styled by the theme's highlight.css, in light and dark), a `title="file.py"` becomes a file
name above the block, `hl_lines="2 4-6"` emphasises lines and `linenums="1"` numbers them
(as pymdownx.highlight does; numbers are CSS-drawn so copying leaves them out), and
`mermaid` diagrams are kept as `<pre class="mermaid">` for a diagram script. Lexers and
formatters are made once per process: highlighting stays cheap.

Run `python -m generator.markdown.highlight > generator/site/builtin_theme/assets/highlight.css` after
changing the styles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.util import ClassNotFound

from generator.config.settings import MarkdownSettings
from generator.markdown.notes import note
from generator.markdown.source_lines import LINE_OFFSET_KEY

INLINE_STYLES_KEY = "inline_styles"
CODE_ANCHORS_KEY = "code_line_anchors"
BLOCK_COUNT_KEY = "code_blocks_rendered"
LINE_ANCHOR = "__codelineno"  # pymdownx.highlight's ids: __codelineno-<block>-<line>
LIGHT_STYLE = "default"
DARK_STYLE = "github-dark"
# github-dark's own highlighted-line grey leaves its text below 4.5:1 (WCAG AA); this navy
# keeps every token colour of the style at 4.6:1 or more.
DARK_HIGHLIGHTED_LINE = "#16233f"
EMAIL_LINE_NUMBER_COLOUR = "#56625d"  # the theme's muted ink: 6:1 on the light code background
DIAGRAMS = frozenset({"mermaid"})
_OPTION = re.compile(r"""(?P<name>[\w-]+)=(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>\S+))""")
# pymdownx.superfences' forms: `hl_lines="1 3-5"`, `linenums="start [step [special]]"`.
_HL_LINES = re.compile(r"\d+(?:-\d+)?(?:[ \t]+\d+(?:-\d+)?)*")
_LINENUMS = re.compile(r"(?P<start>\d+)(?:[ \t]+(?P<step>\d+))?")
_LINE = re.compile(r"[^\n]*\n|[^\n]+\Z")


@dataclass(frozen=True)
class FenceInfo:
    """What follows the opening fence: ```` ```python title="app.py" hl_lines="2" ```` or
    ```` ``` { .python linenums="1" } ````."""

    language: str
    title: str
    hl_lines: str = ""
    linenums: str = ""

    @classmethod
    def parse(cls, info: str) -> FenceInfo:
        text = info.strip().removeprefix("{").removesuffix("}").strip()
        options = {m.group("name"): m.group("dq") or m.group("sq") or m.group("bare") for m in _OPTION.finditer(text)}
        first = _OPTION.sub("", text).split()
        language = first[0].lstrip(".") if first else ""
        return cls(
            language,
            options.get("title") or "",
            (options.get("hl_lines") or "").strip(),
            (options.get("linenums") or "").strip(),
        )


class FenceProblem(NamedTuple):
    option: str
    message: str


class CodeLines(NamedTuple):
    """Which lines of a block are emphasised (counted from the block's first line, whatever its
    numbers) and how lines are numbered: from `first_number`, every `step`-th shown; 0: none."""

    highlighted: frozenset[int]
    first_number: int
    step: int
    problems: tuple[FenceProblem, ...]

    @property
    def marked(self) -> bool:
        return bool(self.highlighted or self.first_number)

    def number(self, index: int) -> int:
        """The number of the line at `index` (from 0); an unnumbered block counts from 1."""
        return max(self.first_number, 1) + index


def code_lines(info: FenceInfo, line_count: int, numbered: bool | None) -> CodeLines:
    """`numbered` is the site's setting (pymdownx.highlight's `linenums`): True numbers every
    block (`linenums="0"` opts one out), False none, None the blocks that ask."""
    highlighted, hl_problems = _highlighted(info.hl_lines, line_count)
    match = _LINENUMS.match(info.linenums) if info.linenums else None
    start = int(match.group("start")) if match else -1
    step = int(match.group("step") or 1) if match else 1
    shown = (numbered is True and start != 0) or (numbered is not False and start > 0)
    problems = hl_problems
    if info.linenums and not match:
        problems += (FenceProblem("linenums", f'linenums="{info.linenums}" is not a line number: ignored'),)
    return CodeLines(highlighted, max(start, 1) if shown else 0, max(step, 1), problems)


def _highlighted(option: str, line_count: int) -> tuple[frozenset[int], tuple[FenceProblem, ...]]:
    """The lines `hl_lines` names inside the block; numbers and ranges outside it are dropped
    (pymdownx drops them silently; we say so)."""
    if not option:
        return frozenset(), ()
    if not _HL_LINES.fullmatch(option):
        message = f'hl_lines="{option}" is not a list of line numbers and ranges such as "2 4-6": ignored'
        return frozenset(), (FenceProblem("hl_lines", message),)
    lines: set[int] = set()
    outside = []
    for entry in option.split():
        first, _, last = entry.partition("-")
        low, high = int(first), int(last or first)
        lines.update(range(max(low, 1), min(high, line_count) + 1))
        if low < 1 or high > line_count or low > high:
            outside.append(entry)
    if not outside:
        return frozenset(lines), ()
    entries = ", ".join(outside)
    message = f"hl_lines {entries} goes outside the block's lines 1 to {line_count}: only lines inside are highlighted"
    return frozenset(lines), (FenceProblem("hl_lines", message),)


def highlight_plugin(md: MarkdownIt, settings: MarkdownSettings) -> None:
    """`settings.linenums`: line numbers on every block (True), on none (False), on those that
    ask (None); `settings.line_anchors`: an id on every line."""

    def render(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: dict) -> str:
        return render_fence(tokens[idx], env, settings)

    def check(state: StateCore) -> None:
        report_fence_problems(state, settings.linenums)
        if settings.line_anchors:
            state.env[CODE_ANCHORS_KEY] = list(line_anchors(state.tokens, settings.linenums))

    md.add_render_rule("fence", render)
    md.core.ruler.push("fence_options", check)


def report_fence_problems(state: StateCore, numbered: bool | None) -> None:
    """Core rule: a note, with its line, for every fence option that cannot be followed."""
    offset = state.env.get(LINE_OFFSET_KEY, 1)
    for token in state.tokens:
        if token.type != "fence" or "=" not in token.info:
            continue
        info = FenceInfo.parse(token.info)
        if info.language in DIAGRAMS:
            continue
        lines = code_lines(info, _line_count(token.content), numbered)
        for problem in lines.problems:
            line = token.map[0] + offset if token.map else None
            note(state.env, line, problem.option, problem.message)


def line_anchors(tokens: Sequence[Token], numbered: bool | None) -> Iterator[str]:
    """The ids `line_anchors` gives the lines of a page's code blocks (link targets)."""
    fences = [(FenceInfo.parse(token.info), token) for token in tokens if token.type == "fence"]
    for block, (info, token) in enumerate((info, t) for info, t in fences if info.language not in DIAGRAMS):
        count = _line_count(token.content)
        lines = code_lines(info, count, numbered)
        yield from (f"{LINE_ANCHOR}-{block}-{lines.number(index)}" for index in range(count))


@cache
def lexer_for(language: str) -> Lexer | None:
    if not language:
        return None
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=True)
    except ClassNotFound:
        return None


@cache
def formatter(inline_styles: bool) -> HtmlFormatter:
    if inline_styles:
        return HtmlFormatter(nowrap=True, noclasses=True, style=LIGHT_STYLE)
    return HtmlFormatter(nowrap=True)


def render_fence(token: Token, env: dict, settings: MarkdownSettings) -> str:
    info = FenceInfo.parse(token.info)
    if info.language in DIAGRAMS:
        return f'<pre class="{info.language}"><code>{escapeHtml(token.content)}</code></pre>\n'
    lexer = lexer_for(info.language)
    inline = bool(env.get(INLINE_STYLES_KEY))
    code = escapeHtml(token.content) if lexer is None else highlight(token.content, lexer, formatter(inline))
    anchors = _block_anchor(env) if settings.line_anchors and not inline else ""
    if info.hl_lines or info.linenums or settings.linenums or anchors:
        code = _marked(code, code_lines(info, _line_count(token.content), settings.linenums), inline, anchors)
    language = f' class="language-{escapeHtml(info.language)}"' if info.language else ""
    title = f'<span class="filename">{escapeHtml(info.title)}</span>' if info.title else ""
    pre_style = f' style="background:{_light_background()};padding:8px"' if inline else ""
    return f'<div class="highlight">{title}<pre{pre_style}><code{language}>{code}</code></pre></div>\n'


def _line_count(code: str) -> int:
    return len(_LINE.findall(code))


def _block_anchor(env: dict) -> str:
    """`__codelineno-B` for the page's next code block (B from 0, as pymdownx counts)."""
    block = env.get(BLOCK_COUNT_KEY, 0)
    env[BLOCK_COUNT_KEY] = block + 1
    return f"{LINE_ANCHOR}-{block}"


def _marked(code: str, lines: CodeLines, inline: bool, anchors: str) -> str:
    """Highlighted code with its numbers, emphasised lines and (with `anchors`, the block's id
    prefix) an id on each line. Pygments closes its spans at every line end, so each line of
    its output stands alone."""
    if not (lines.marked or anchors):
        return code
    rows = _LINE.findall(code)
    width = len(str(lines.first_number + len(rows) - 1))
    marked = []
    for index, row in enumerate(rows):
        anchor = f"{anchors}-{lines.number(index)}" if anchors else ""
        number = _line_number(lines, index, width, inline, anchor) if lines.first_number else ""
        text = number + row
        line = _emphasised(text, inline) if index + 1 in lines.highlighted else text
        marked.append(f'<a id="{anchor}"></a>{line}' if anchor else line)
    return "".join(marked)


def _line_number(lines: CodeLines, index: int, width: int, inline: bool, anchor: str) -> str:
    """A line's number, right-aligned; blank between steps; a link to the line's `anchor`
    if it has one. On pages it is drawn by CSS from `data-linenos`, so neither selecting the
    code nor the Copy button takes it along."""
    value = lines.number(index)
    label = f"{value:>{width}}" if value % lines.step == 0 else " " * width
    if inline:
        return f'<span style="color:{EMAIL_LINE_NUMBER_COLOUR};user-select:none">{label}  </span>'
    number = f'<span class="linenos" data-linenos="{label}"></span>'
    return f'<a href="#{anchor}" aria-label="{value}">{number}</a>' if anchor else number


def _emphasised(row: str, inline: bool) -> str:
    if inline:
        return f'<span style="background-color:{_light_style().highlight_color}">{row}</span>'
    return f'<span class="hll">{row}</span>'


@cache
def _light_background() -> str:
    return _light_style().background_color or "#f8f8f8"


@cache
def _light_style() -> type[Style]:
    return get_style_by_name(LIGHT_STYLE)


@cache
def _dark_style() -> type[Style]:
    """github-dark with a highlighted-line colour that keeps its text readable."""
    return type("PlaybookDark", (get_style_by_name(DARK_STYLE),), {"highlight_color": DARK_HIGHLIGHTED_LINE})


def highlight_css() -> str:
    """The colours of highlighted code: light by default, dark with the theme's dark mode."""
    light = _rules(_light_style(), "")
    dark_forced = _rules(_dark_style(), ':root[data-theme="dark"] ')
    dark_auto = _rules(_dark_style(), ':root:not([data-theme="light"]) ')
    header = "/* Generated by `python -m generator.markdown.highlight`; do not edit. */\n"
    return f"{header}{light}\n{dark_forced}\n@media (prefers-color-scheme: dark) {{\n{dark_auto}\n}}\n"


def _rules(style: type[Style], scope: str) -> str:
    """The style's rules for `.highlight` (line-number rules left out), under `scope`."""
    rules = HtmlFormatter(style=style).get_style_defs(".highlight").splitlines()
    return "\n".join(scope + line for line in rules if line.startswith(".highlight"))


if __name__ == "__main__":
    print(highlight_css(), end="")
