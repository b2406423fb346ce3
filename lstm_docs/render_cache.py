"""Cache of the deterministic rendering steps of a build (``.cache/render/``, gitignored).

Some steps of every build are pure functions of their input and cost most of a warm build, or
of a ``serve`` rebuild (issue #17).  ``install()`` wraps them:

* ``pymdownx.highlight.Highlight.highlight(src, language, ...) -> html``: memoised on the
  code, every argument and every setting of the highlighter (block code only; inline code
  returns an element and is not cached);
* ``material.plugins.search.plugin.SearchIndex.add_entry_from_context(page)``: memoised on
  what the index entries are made of (the page's HTML, table of contents, URL, title and
  ``meta``, and the index's settings) -> the entries it appends;
* ``mkdocs.structure.pages.Page.render(config, files)`` (Markdown -> HTML): memoised on the
  page's Markdown once every hook has run (includes expanded, outputs written), its paths, the
  Markdown extensions and their settings, the link checks' settings and every file's source,
  URL and inclusion (what its links resolve against) -> what ``render`` sets on the page
  (content, table of contents, title, anchors, links to check).  Links to other pages' anchors
  are checked afresh on every build; a render that logged anything (a broken link) is never
  stored, so it runs, and says so, on every build;
* Jinja's own bytecode cache, shared by every environment of the theme (the four languages',
  and the one the search plugin makes at each configuration load) and kept on disk;
* the listing of each installed theme directory (Material's ~10,000 icons), walked once per
  process instead of once per language (in memory only; ``overrides/`` is walked every time).

Every key also holds the versions of the packages that compute the step and of Python
(``namespace()``), so an upgrade, or a cache copied from another machine, misses.  The cache
changes no byte of the site: ``tests/test_render_cache.py`` builds with and without it and
compares every file.  ``LSTM_DOCS_NO_LIVE=1`` (the nothing-run baseline of
``benchmarks/build.py``) and ``LSTM_DOCS_NO_CACHE=1`` turn it off.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHE_DIR = ".cache/render"
#: a directory to keep the cache in instead of ``<project>/.cache/render`` (the test suite
#: shares one among its many copies of the project: the cache changes no byte of a site)
DIR_ENV = "LSTM_DOCS_RENDER_CACHE"
VERSION = "1"
#: the distributions whose code computes a cached step
PACKAGES = ("markdown", "pygments", "pymdown-extensions", "mkdocs-material", "jieba", "jinja2", "mkdocs")
KINDS = ("highlight", "search", "page")


@functools.cache
def namespace() -> str:
    """Hash of the versions of Python and of ``PACKAGES``: part of every key."""
    from lstm_docs.live.cache import distribution_version

    versions = [VERSION, sys.version, *(f"{p}=={distribution_version(p)}" for p in PACKAGES)]
    return hashlib.sha256(json.dumps(versions).encode()).hexdigest()[:16]


def _digest(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=repr).encode()).hexdigest()


class Store:
    """``kind -> {key: value}`` loaded once per process from ``root/.cache/render/<kind>.json``;
    ``save()`` writes a kind back only when it gained entries (and drops entries not used
    since the process started once the file holds four times more than were used)."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.entries: dict[str, dict[str, Any]] = {}
        self.used: dict[str, set[str]] = {kind: set() for kind in KINDS}
        self.added: set[str] = set()
        self.hits = 0
        self.misses = 0

    def _table(self, kind: str) -> dict[str, Any]:
        if kind not in self.entries:
            try:
                data = json.loads((self.dir / f"{kind}.json").read_text(encoding="utf-8"))
                table = data["entries"] if data.get("namespace") == namespace() else {}
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                table = {}
            self.entries[kind] = table if isinstance(table, dict) else {}
        return self.entries[kind]

    def get(self, kind: str, key: str) -> Any | None:
        value = self._table(kind).get(key)
        if value is None:
            self.misses += 1
        else:
            self.hits += 1
            self.used[kind].add(key)
        return value

    def put(self, kind: str, key: str, value: Any) -> None:
        self._table(kind)[key] = value
        self.used[kind].add(key)
        self.added.add(kind)

    def save(self) -> None:
        for kind in sorted(self.added):
            table = self.entries[kind]
            used = self.used[kind]
            if len(table) > 4 * max(len(used), 1):
                table = {k: v for k, v in table.items() if k in used}
                self.entries[kind] = table
            self.dir.mkdir(parents=True, exist_ok=True)
            path = self.dir / f"{kind}.json"
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"namespace": namespace(), "entries": table}), encoding="utf-8")
            os.replace(tmp, path)
        self.added.clear()


#: the store of this process (one per project root); None: caching is off
_store: list[Store | None] = [None]


def enabled() -> bool:
    off = ("LSTM_DOCS_NO_LIVE", "LSTM_DOCS_NO_CACHE")
    return not any(os.environ.get(name, "") not in ("", "0") for name in off)


def store() -> Store | None:
    return _store[0]


def install(root: Path) -> Store | None:
    """Wrap the cached steps (once per process) and point them at ``root``'s cache; None when
    caching is off (the wrapped steps then run as if unwrapped)."""
    _wrap_highlight()
    _wrap_search()
    _wrap_page_render()
    _wrap_theme_files()
    _wrap_theme_env()
    if not enabled():
        _store[0] = None
        return None
    directory = cache_dir(root)
    if _store[0] is None or _store[0].dir != directory:
        _store[0] = Store(directory)
    return _store[0]


def cache_dir(root: Path) -> Path:
    """Where the cache of the project ``root`` lives (``DIR_ENV`` overrides it)."""
    override = os.environ.get(DIR_ENV, "")
    return Path(override).resolve() if override else Path(root).resolve() / CACHE_DIR


def save() -> None:
    if _store[0] is not None:
        _store[0].save()


def _wrap(owner: type, name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]) -> None:
    original = getattr(owner, name)
    if getattr(original, "lstm_docs_cached", False):
        return
    wrapped = functools.wraps(original)(make(original))
    wrapped.lstm_docs_cached = True  # type: ignore[attr-defined]
    setattr(owner, name, wrapped)


def _wrap_highlight() -> None:
    from pymdownx.highlight import Highlight

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        def highlight(self: Any, src: str, language: str, *args: Any, **kwargs: Any) -> Any:
            current = _store[0]
            if current is None or kwargs.get("inline") or (len(args) > 5 and args[5]):
                return original(self, src, language, *args, **kwargs)
            settings = {k: v for k, v in vars(self).items() if k != "md"}
            key = _digest(["highlight", src, language, args, kwargs, settings])
            html = current.get("highlight", key)
            if html is None:
                html = original(self, src, language, *args, **kwargs)
                if isinstance(html, str):
                    current.put("highlight", key, html)
            return html

        return highlight

    _wrap(Highlight, "highlight", make)


def _toc(items: Any) -> list[Any]:
    return [[item.id, item.url, item.title, item.level, _toc(item.children)] for item in items]


def _wrap_search() -> None:
    try:
        from material.plugins.search.plugin import SearchIndex
    except ImportError:  # another theme's search: nothing to wrap
        return

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        def add_entry_from_context(self: Any, page: Any) -> Any:
            current = _store[0]
            if current is None:
                return original(self, page)
            key = _digest(["search", page.content, _toc(page.toc), page.url, page.title, page.meta,
                           self.config, _jieba_present()])  # fmt: skip
            entries = current.get("search", key)
            if entries is None:
                start = len(self.entries)
                result = original(self, page)
                current.put("search", key, copy.deepcopy(self.entries[start:]))
                return result
            self.entries.extend(copy.deepcopy(entries))
            return None

        return add_entry_from_context

    _wrap(SearchIndex, "add_entry_from_context", make)


def _wrap_page_render() -> None:
    from mkdocs.structure.pages import Page

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        def render(self: Any, config: Any, files: Any) -> None:
            current = _store[0]
            if current is None or self.markdown is None:
                return original(self, config, files)
            key = _digest(["page", self.markdown, self.file.src_uri, self.file.dest_uri, self.file.url,
                           config["markdown_extensions"], config["mdx_configs"], dict(config.validation),
                           config["use_directory_urls"], _files_digest(files),
                           logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG])
            held = current.get("page", key)
            if held is not None and _restore_render(self, held, files):
                return None
            with _Heard() as heard:
                original(self, config, files)
            if not heard.records:  # a render that said something (a broken link...) runs each time
                current.put("page", key, _rendered(self))
            return None

        return render

    _wrap(Page, "render", make)


def _files_digest(files: Any) -> str:
    """What links on a page resolve against: every file's source, URL and inclusion
    (computed once per collection: pages render after the collection is complete)."""
    held = getattr(files, "_lstm_docs_digest", None)
    if held is None or held[0] != len(files):
        digest = _digest(sorted((f.src_uri, f.dest_uri, f.url, str(f.inclusion)) for f in files))
        held = (len(files), digest)
        files._lstm_docs_digest = held
    return held[1]


def _toc_tokens(items: Any) -> list[dict[str, Any]]:
    return [{"level": i.level, "id": i.id, "name": i.title, "children": _toc_tokens(i.children)} for i in items]


def _rendered(page: Any) -> dict[str, Any]:
    """What ``Page.render`` leaves on the page, as JSON."""
    links = getattr(page, "links_to_anchors", None)
    return {
        "content": page.content,
        "toc": _toc_tokens(page.toc),
        "title": page._title_from_render,
        "anchors": sorted(page.present_anchor_ids or ()),
        "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
        "has_links": "links_to_anchors" in vars(page),  # mkdocs sets it unless logging at DEBUG
    }


def _restore_render(page: Any, held: dict[str, Any], files: Any) -> bool:
    """Set what ``Page.render`` sets from ``held``; False (render it) if a linked file is gone."""
    from mkdocs.structure.toc import get_toc

    links = None
    if held["links"] is not None:
        links = {}
        for src_uri, anchors in held["links"].items():
            target = files.get_file_from_path(src_uri)
            if target is None:
                return False
            links[target] = dict(anchors)
    page.content = held["content"]
    page.toc = get_toc(copy.deepcopy(held["toc"]))
    page._title_from_render = held["title"]
    page.present_anchor_ids = set(held["anchors"])
    if held["has_links"]:
        page.links_to_anchors = links
    return True


class _Heard(logging.Handler):
    """Collects what is logged at INFO or above while a page renders (mkdocs' own loggers do
    not propagate to the root: both are listened to)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> "_Heard":
        for name in ("mkdocs", ""):
            logging.getLogger(name).addHandler(self)
        return self

    def __exit__(self, *exc: Any) -> None:
        for name in ("mkdocs", ""):
            logging.getLogger(name).removeHandler(self)


def _wrap_theme_env() -> None:
    """Every Jinja environment of the theme gets the shared bytecode cache as it is made:
    besides the build's own (``on_env``), the search plugin compiles the language templates
    in a fresh environment at each configuration load (each ``serve`` rebuild)."""
    from mkdocs.theme import Theme

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        def get_env(self: Any) -> Any:
            env = original(self)
            cache = bytecode_cache(env)
            if cache is not None:
                env.bytecode_cache = cache
            return env

        return get_env

    _wrap(Theme, "get_env", make)


def _wrap_theme_files() -> None:
    from mkdocs.structure.files import Files

    def make(original: Callable[..., Any]) -> Callable[..., Any]:
        def add_files_from_theme(self: Any, env: Any, config: Any) -> Any:
            if _store[0] is None or not hasattr(env.loader, "searchpath"):
                return original(self, env, config)
            return original(self, _ThemeListing(env, tuple(config.theme.static_templates)), config)

        return add_files_from_theme

    _wrap(Files, "add_files_from_theme", make)


class _ThemeListing:
    """What ``Files.add_files_from_theme`` asks of the theme's Jinja environment -- its
    template names through mkdocs' filter -- with each *installed* theme directory walked
    and filtered once per process (Material's holds some 10,000 icons, and each of the four
    languages' builds walked it again).  The project's own theme directories (``overrides/``)
    are walked on every call, so an edit under ``serve`` is seen.  The filter depends only on
    the theme's ``static_templates`` (part of the key) and mkdocs' version (fixed in a process)."""

    def __init__(self, env: Any, static_templates: tuple[str, ...]) -> None:
        self.env = env
        self.static_templates = static_templates

    def list_templates(self, filter_func: Callable[[str], bool]) -> list[str]:
        import jinja2

        names: set[str] = set()
        for directory in self.env.loader.searchpath:
            if not _installed(directory):
                names.update(n for n in jinja2.FileSystemLoader(directory).list_templates() if filter_func(n))
                continue
            key = (os.path.realpath(directory), self.static_templates)
            if key not in _installed_listings:
                listed = jinja2.FileSystemLoader(directory).list_templates()
                _installed_listings[key] = frozenset(n for n in listed if filter_func(n))
            names |= _installed_listings[key]
        return sorted(names)


#: (installed theme directory, static_templates) -> the template names mkdocs' filter keeps
_installed_listings: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}


def _installed(directory: str) -> bool:
    """A directory of an installed package (site-packages), not of the project."""
    import sysconfig

    real = os.path.realpath(directory)
    roots = {os.path.realpath(sysconfig.get_paths()[k]) for k in ("purelib", "platlib")}
    return any(real == root or real.startswith(root + os.sep) for root in roots)


def _jieba_present() -> bool:
    from material.plugins.search import plugin

    return getattr(plugin, "jieba", None) is not None


class _SharedBytecodeCache:
    """Jinja's bytecode cache for every environment of this process, backed by
    ``root/.cache/render/jinja/`` (made lazily: Jinja checks each template's source checksum
    and its own version, so a changed template recompiles)."""

    def __init__(self) -> None:
        self.caches: dict[tuple[str, str], Any] = {}

    def get(self, root: Path, extensions: str) -> Any:
        from jinja2 import FileSystemBytecodeCache

        key = (str(root), extensions)
        if key not in self.caches:
            directory = root / f"jinja-{namespace()}-{hashlib.sha256(extensions.encode()).hexdigest()[:8]}"
            directory.mkdir(parents=True, exist_ok=True)
            self.caches[key] = _MemoryFirst(FileSystemBytecodeCache(str(directory)))
        return self.caches[key]


class _MemoryFirst:
    """A Jinja bytecode cache that keeps what it read or wrote in memory (the four languages'
    environments compile each template once), over a disk cache (the next build)."""

    def __init__(self, disk: Any) -> None:
        self.disk = disk
        self.memory: dict[str, tuple[str, bytes]] = {}

    def get_bucket(self, environment: Any, name: str, filename: str | None, source: str) -> Any:
        from jinja2.bccache import Bucket

        key = self.disk.get_cache_key(name, filename)
        checksum = self.disk.get_source_checksum(source)
        bucket = Bucket(environment, key, checksum)
        held = self.memory.get(key)
        if held is not None and held[0] == checksum:
            bucket.bytecode_from_string(held[1])
        else:
            self.disk.load_bytecode(bucket)
        return bucket

    def set_bucket(self, bucket: Any) -> None:
        if bucket.code is not None:
            self.memory[bucket.key] = (bucket.checksum, bucket.bytecode_to_string())
        self.disk.dump_bytecode(bucket)


_bytecode = _SharedBytecodeCache()


def bytecode_cache(env: Any) -> Any | None:
    """The shared bytecode cache for Jinja environment ``env`` (None when caching is off)."""
    if _store[0] is None:
        return None
    extensions = ",".join(sorted(env.extensions))
    return _bytecode.get(_store[0].dir, extensions)
