"""What counts as English on a translated page: the word list, the reviewed allow-list, and
the script that collects a page's strings in the browser.

Used by ``tests/test_language_leaks.py``. A string of a French, Spanish or Chinese page leaks
when (after the allowed phrases are removed) it still has a word that is not allowed and

* it is exactly a string of the same English page, or
* one of its words is in :data:`ENGLISH_WORDS`.

Code (``<code>``, ``<pre>``, ``<kbd>``), formulas (``<math>``) and passages marked as another
language (``lang="en"``, e.g. the 404 page's "Go to the home page" link) are never collected.
Identifiers (a word with ``_`` or a digit: ``input_dim``, ``weight_ih_l0``) never count.
"""

from __future__ import annotations

import re

# Common English words (UI and this site's subject) that are not also French or Spanish words:
# "on", "or", "but", "as", "an", "table", "type", "mode", "question", "candidate", "projection",
# "destination", "navigation", "total", "options", "notation", "simple" are, so they are not here.
ENGLISH_WORDS = frozenset(
    """
    about above after again all also and any are at back be because been before being
    below between both by can cannot copied copy could did do does done down each either
    every few first for from further get go had have having her here how if in into is it
    its itself just last least less made make many may more most must my new next nor not
    now of off one only other our out over own previous redirected redirecting same
    search see she should show so some such than that the their them then there these they
    this those through to too under until up very was way we were what when where which
    while who whom why will with within without would you your link links home found
    clipboard dark light switch skip header footer contents select language close clear
    share results result initializing searching start typing output input layer layers gate
    gates unit weight weights parameter parameters count counts cell cells state hidden step
    steps time shape shapes number numbers biases recurrent forget update reset calculator
    glossary answer short example examples live failed run running stacked bidirectional
    whole size
    """.split()
)

# Reviewed allow-list: words that may stand in a translated page although they are English
# or appear on the English page. Each group says why.
ALLOWED_WORDS = frozenset(
    (  # exact spelling: "Input" (the Keras class) is allowed, the English word "input" is not
        # proper names: libraries, tools, people, our own site
        "Keras", "PyTorch", "torch", "numpy", "NumPy", "Numpy", "TensorFlow", "Python", "JavaScript",
        "MkDocs", "Material", "Chromium", "BigInt", "Hochreiter", "Schmidhuber", "Gers",
        "Cummins", "Olah", "lstm", "docs", "LSTMs",
        # authors cited in the Sources sections, names kept as they are ("Cho et al.,",
        # "Christopher Olah,"), the Latin "et al." of citations, and the ONNX format's name
        "Cho", "Shi", "Christopher", "Zhang", "Lipton", "Li", "Smola", "et", "al", "ONNX",
        # layer and class names as the frameworks spell them (also outside code, e.g. in titles)
        "LSTM", "GRU", "RNN", "SimpleRNN", "Dense", "Sequential", "Input", "Bidirectional", "Embedding",
        "nn", "Linear", "Model", "keras",
        "LSTMCell", "GRUCell", "SimpleRNNCell", "RNNCell", "TimeDistributed", "Masking", "ConvLSTM2D",
        # argument and attribute names of Keras/PyTorch written in prose, figures and the
        # calculator's labels; the reader types them as is
        "units", "bias", "kernel", "dropout", "summary", "sigmoid", "tanh", "softmax",
        "float32", "float64", "None", "True", "False",
        # language names in the language switcher (each language's own name for itself)
        "English", "Français", "Español",
        # "framework" is the usual French and Spanish word in this field (the glossaries use it)
        "framework", "Framework", "frameworks",
    )
)

# Phrases allowed as a whole (a proper name with English words in it).
ALLOWED_PHRASES = (
    "Material for MkDocs",  # the theme's name, in the footer's credit
    "Long Short-Term Memory",  # the name LSTM stands for, quoted as a name
    # Keras's error message, quoted verbatim in a question's heading (readers search for it; the
    # table of contents drops the heading's lang="en" mark)
    "expected ndim=3, found ndim=2",
)

# Strings that are spelled the same in English and in the language, and are the right word
# there (reviewed one by one); only the exact string is allowed, per language.
SAME_AS_ENGLISH = {
    "fr": frozenset({
        "Questions",  # the questions page's title and navigation entry
        "Navigation",  # the theme's label of the navigation
        "Notation",  # the glossary's section
        "Total",  # calculator tables
        "activation", "projection",  # glossary terms (French terms, no English gloss needed)
        "candidate",  # "valeur candidate" drawn on two lines in the figures
    }),
    "es": frozenset({"Total"}),  # calculator tables
    "zh": frozenset(),
}

_WORD = re.compile(r"[^\W\d_][\w'’]*")  # any script: "unités" is one word, not "unit" + "s"


def words(text: str) -> list[str]:
    """The Latin words of ``text`` that could be English: no identifiers, no single letters."""
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    found = []
    for word in _WORD.findall(text):
        word = word.strip("'’")
        if not word.isascii():
            continue  # "unités", "número", "单元": not an English word
        if len(word) < 2 or "_" in word or any(c.isdigit() for c in word):
            continue
        if word in ALLOWED_WORDS:
            continue
        found.append(word)
    return found


def leak(text: str, english: set[str], lang: str) -> str | None:
    """Why ``text`` (a string of a page in ``lang``) is English, or ``None``."""
    remaining = words(text)
    if not remaining or text in SAME_AS_ENGLISH[lang]:
        return None
    if text in english:
        return "same as the English page"
    english_words = [w for w in remaining if w.lower() in ENGLISH_WORDS]
    if english_words:
        return "English word " + ", ".join(repr(w) for w in english_words)
    return None


# Runs in the page: every string a reader sees or hears. Text nodes anywhere in <head>'s
# <title> and <body> (including those shown later: search results' messages, hidden tabs,
# the phone drawer), SVG <title>/<desc>, the attributes title/aria-label/placeholder/alt, and
# the theme's translations handed to its script (search messages, "copy to clipboard").
COLLECT = r"""
() => {
  const pageLang = document.documentElement.lang;
  const skip = "code, pre, kbd, samp, math, script, style, template, noscript";
  const out = [];
  const add = (kind, text, where) => {
    text = (text || "").replace(/\s+/g, " ").trim();
    if (text) out.push({kind, text, where});
  };
  const otherLanguage = (el) => {
    const marked = el.closest("[lang]");
    return marked && marked.getAttribute("lang") !== pageLang;
  };
  const describe = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) s += "#" + el.id;
    const cls = (el.getAttribute("class") || "").split(/\s+/).filter(Boolean)[0];
    if (cls) s += "." + cls;
    return s;
  };
  add("<title>", document.title, "head");
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest(skip) || otherLanguage(el)) continue;
    add("text", node.textContent, describe(el));
  }
  for (const el of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
    if (el.closest("code, pre, math") || otherLanguage(el)) continue;
    for (const name of ["title", "aria-label", "placeholder", "alt"]) {
      if (el.hasAttribute(name)) add(name, el.getAttribute(name), describe(el));
    }
  }
  const config = document.getElementById("__config");
  if (config) {
    const translations = JSON.parse(config.textContent).translations || {};
    for (const [key, value] of Object.entries(translations)) add("theme string", value, key);
  }
  return out;
}
"""
