"""The language registry: one entry per language of the site, everything else derives from it.

A language has its ``code`` (the ``docs/<code>/`` folder, mkdocs-static-i18n's ``locale`` and
``theme.language``), its ``name`` as the language switcher shows it, whether it is the
``default`` (built at the site root, the one translations are made from), its number
:class:`Convention`, its typography :class:`Rules` and whether its figure labels are wide
(CJK) glyphs.  Derived from it: ``strings.LANGUAGES``, ``numbers.CONVENTIONS``,
``typography.RULES``, ``translations.TRANSLATIONS`` and :func:`of_path`, the one rule that
finds a page's language.  ``mkdocs.yml`` cannot read Python: ``tests/test_languages.py``
checks that its i18n languages equal this registry.

    >>> codes()
    ('en', 'fr', 'es', 'zh')
    >>> of_path("docs/fr/units.md"), of_path("fr/units.md"), of_path("snippets/units/count.md")
    ('fr', 'fr', 'en')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, TypeVar

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


@dataclass(frozen=True)
class Convention:
    """How one language writes numbers.

    ``group``: canonical thousands separator; ``groups``: every separator accepted when
    reading; ``decimal``: the decimal mark; ``min_grouped``: smallest integer written with
    separators (``1000`` → ``1,000`` in en; Spanish style leaves four-digit numbers alone).
    """

    group: str
    groups: tuple[str, ...]
    decimal: str
    min_grouped: int = 1000


@dataclass(frozen=True)
class Rules:
    """How one language punctuates.

    ``list_separator`` joins items of a list (``a, b``; ``甲、乙``), ``clause_separator``
    joins clauses (``d = …, u = …``; ``…，…``), ``group_separator`` joins items that hold
    commas themselves (``kernel，形状 (2, 12)；bias，形状 (12,)``), ``latin_han_space``: a
    space between Latin letters or digits and Chinese characters (``proj_size 为空``).
    ``checks``: the names of the checks of ``lstm_docs.typography`` that the language's
    pages must pass (``"french_spacing"``, ``"inverted_marks"``, ``"cjk_punctuation"``).
    """

    list_separator: str
    clause_separator: str
    group_separator: str
    latin_han_space: bool = False
    checks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Language:
    """One language of the site (see the module docstring for what each field feeds)."""

    code: str
    name: str
    number: Convention
    typography: Rules
    default: bool = False
    #: figure labels are wide glyphs (CJK: about 12 px a character instead of 6.6 px)
    wide_glyphs: bool = False


_LATIN = Rules(list_separator=", ", clause_separator=", ", group_separator=", ")
_COMMA_DOT = Convention(group=",", groups=(",",), decimal=".")

_REGISTRY: list[Language] = [
    Language("en", "English", _COMMA_DOT, _LATIN, default=True),
    Language(
        "fr",
        "Français",
        Convention(group=NARROW_NBSP, groups=(NARROW_NBSP, NBSP, " "), decimal=","),
        Rules(list_separator=", ", clause_separator=", ", group_separator=", ", checks=("french_spacing",)),
    ),
    Language(
        "es",
        "Español",
        Convention(group=NARROW_NBSP, groups=(NARROW_NBSP, NBSP, " ", "."), decimal=",", min_grouped=10000),
        Rules(list_separator=", ", clause_separator=", ", group_separator=", ", checks=("inverted_marks",)),
    ),
    Language(
        "zh",
        "中文",
        _COMMA_DOT,
        Rules(
            list_separator="、",
            clause_separator="，",
            group_separator="；",
            latin_han_space=True,
            checks=("cjk_punctuation",),
        ),
        wide_glyphs=True,
    ),
]


def all_languages() -> tuple[Language, ...]:
    """Every registered language, in the order the site lists them (the default first)."""
    return tuple(_REGISTRY)


def codes() -> tuple[str, ...]:
    """The codes of every registered language, in registry order."""
    return tuple(lang.code for lang in _REGISTRY)


def default() -> Language:
    """The default language: built at the site root, the source of every translation."""
    return next(lang for lang in _REGISTRY if lang.default)


def translations() -> tuple[str, ...]:
    """The codes of every language except the default one."""
    return tuple(lang.code for lang in _REGISTRY if not lang.default)


def get(code: str) -> Language:
    """The language ``code``; an unknown code is a one-line ``ValueError`` naming the known ones."""
    for lang in _REGISTRY:
        if lang.code == code:
            return lang
    raise ValueError(f"unknown language {code!r}: use one of {', '.join(codes())}")


#: The environment variable of the writer's mode: the languages ``mkdocs serve`` builds.
SERVE_LANGUAGES = "LSTM_DOCS_LANGUAGES"


def serve_selection(value: str | None) -> tuple[str, ...]:
    """The languages a writer's ``mkdocs serve`` builds, from ``LSTM_DOCS_LANGUAGES``
    (``"fr"``, ``"en,zh"``): the default language first (mkdocs-static-i18n always builds it,
    at the site root), then the ones named, in registry order; every language when unset or
    empty.  An unknown code is a one-line ``ValueError`` naming the known ones."""
    if not value or not value.strip():
        return codes()
    named = {code.strip() for code in value.split(",") if code.strip()}
    for code in sorted(named):
        try:
            get(code)
        except ValueError as error:
            raise ValueError(f"{SERVE_LANGUAGES}={value}: {error}") from None
    return tuple(code for code in codes() if code in named or get(code).default)


def of_path(path: str | PurePath) -> str:
    """The language of a page from its path; the default language when the path names none.

    ``docs/fr/units.md`` (repository path, relative or absolute) and ``fr/units.md`` (mkdocs
    ``src_uri``) -> ``fr``; ``units.md``, ``docs/units.md``, ``snippets/units/count.md`` and
    ``docs/de/units.md`` (no such language) -> the default language.
    """
    parts = PurePath(path).parts
    if "docs" in parts:
        parts = parts[len(parts) - parts[::-1].index("docs") :]  # after the last docs/
    if len(parts) > 1 and parts[0] in codes():
        return parts[0]
    return default().code


def _check(language: Language) -> None:
    if language.code in codes():
        raise ValueError(f"language {language.code!r} is already registered: pick another code")
    if language.default:
        raise ValueError(f"language {language.code!r}: there is one default language ({default().code}); pass default=False")
    if language.number.decimal in language.number.groups:
        raise ValueError(
            f"language {language.code!r}: decimal mark {language.number.decimal!r} is also a group separator; "
            "remove it from groups"
        )


@contextmanager
def registered(language: Language) -> Iterator[Language]:
    """Register ``language`` for the duration of a ``with`` block (tests: a hypothetical language)."""
    _check(language)
    _REGISTRY.append(language)
    try:
        yield language
    finally:
        _REGISTRY.remove(language)


# ---------------------------------------------------------------------------------------------
# Live views: module constants elsewhere (strings.LANGUAGES, numbers.CONVENTIONS, ...) that
# always show the registry as it is, a language registered by a test included.

T = TypeVar("T")


class CodesView(Sequence[str]):
    """A tuple of language codes read from the registry at each use (``LANGUAGES[0]``, ``in``, ``len``)."""

    def __init__(self, read: Callable[[], tuple[str, ...]]) -> None:
        self._read = read

    def __getitem__(self, index: Any) -> Any:
        return self._read()[index]

    def __len__(self) -> int:
        return len(self._read())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self) == tuple(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self._read())


class ByLanguage(Mapping[str, T]):
    """``code -> attribute`` of every registered language, read at each use (``CONVENTIONS["fr"]``)."""

    def __init__(self, attribute: Callable[[Language], T]) -> None:
        self._attribute = attribute

    def __getitem__(self, code: str) -> T:
        for lang in _REGISTRY:
            if lang.code == code:
                return self._attribute(lang)
        raise KeyError(code)

    def __iter__(self) -> Iterator[str]:
        return iter(codes())

    def __len__(self) -> int:
        return len(_REGISTRY)

    def __repr__(self) -> str:
        return repr(dict(self))

