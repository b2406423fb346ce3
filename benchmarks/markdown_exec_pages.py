"""Convert a copy of the project so markdown-exec runs its snippets (the peer of
``benchmarks/build.py``): same pages, same snippets, nothing checked.

Each page becomes what our engine would hand mkdocs with every check off
(``render_unchecked``: includes expanded, ties and stored outputs dropped); then every
``python`` fence becomes a markdown-exec block (``exec="true" source="material-block"
result="text"``, one session per page) and the stored output after it is dropped, so
markdown-exec prints it instead.  A hidden first block makes ``import keras`` / ``import
torch`` load lstm_docs' mirrors (as our worker does) and sends ``sys.stdout`` to
markdown-exec's ``print``: out of the box markdown-exec captures only ``print`` calls made in
the block itself, so the ``summary()`` tables would be missing (its issue 21).  A last block
puts ``sys.stdout`` back.
"""

from __future__ import annotations

import re
from pathlib import Path

_TIE = re.compile(r"\{=[^{}\n]*\}|\{-\}")
_BLOCK = re.compile(
    r"^(?P<ind>[ \t]*)```python[^\n]*\n(?P<code>.*?)\n(?P=ind)```[ \t]*\n"
    r"(?P<output>(?:[ \t]*\n)*(?P=ind)``` *\{[^}\n]*\.live-output[^}\n]*\}\n.*?\n(?P=ind)```[ \t]*\n)?",
    re.DOTALL | re.MULTILINE,
)
SETUP = '''```python exec="true" session="{session}"
import sys
import numpy as np
from lstm_docs.aliases import install_aliases
install_aliases()
np.random.seed(0)
class _ToPrint:
    def write(self, text):
        print(text, end="")
        return len(text)
    def flush(self):
        pass
sys.stdout = _ToPrint()
```

'''
TEARDOWN = '''

```python exec="true" session="{session}"
sys.stdout = sys.__stdout__
```
'''


def convert_page(text: str, path: str, lang: str, root: Path) -> tuple[str, int]:
    """(the page for markdown-exec, how many snippets it executes)."""
    from lstm_docs.live.engine import render_unchecked

    rendered = _TIE.sub("", render_unchecked(text, path, lang, root=root))
    session = re.sub(r"\W", "_", Path(path).stem)
    count = 0

    def block(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        ind = match["ind"]
        return (f'{ind}```python exec="true" source="material-block" result="text" session="{session}"\n'
                f'{match["code"]}\n{ind}```\n')

    body = _BLOCK.sub(block, rendered)
    if not count:
        return body, 0
    return _after_front_matter(body, SETUP.format(session=session)) + TEARDOWN.format(session=session), count


def convert_project(root: Path) -> int:
    """Rewrite ``root``'s pages and ``mkdocs.yml`` for markdown-exec; the snippets it will run."""
    total = 0
    for page in sorted((root / "docs").rglob("*.md")):
        rel = page.relative_to(root).as_posix()
        lang = rel.split("/")[1]
        text, count = convert_page(page.read_text(encoding="utf-8"), rel, lang, root)
        page.write_text(text, encoding="utf-8")
        total += count
    config = root / "mkdocs.yml"
    yml = config.read_text(encoding="utf-8")
    config.write_text(yml.replace("plugins:\n", "plugins:\n  - markdown-exec\n", 1), encoding="utf-8")
    return total


def _after_front_matter(text: str, block: str) -> str:
    if not text.startswith("---\n"):
        return block + text
    end = text.find("\n---\n", 3)
    if end < 0:
        return block + text
    cut = end + len("\n---\n")
    return text[:cut] + "\n" + block + text[cut:]
