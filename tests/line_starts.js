// Every place in the page's article where a rendered line starts with one of the characters
// in `marks` (Chinese closing punctuation): the character's box sits on a lower line than
// whatever comes just before it (the previous character, or a formula, code or image).
(marks) => {
  const found = [];
  const article = document.querySelector("article") || document.body;
  const leaves = [];  // text nodes, and formulas/pictures as one box each, in page order
  const visit = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) {
        if (child.textContent.trim()) leaves.push(child);
      } else if (child.nodeType === Node.ELEMENT_NODE) {
        const tag = child.tagName.toLowerCase();
        if (tag === "math" || tag === "img" || tag === "svg") leaves.push(child);
        else if (tag !== "pre" && tag !== "script" && tag !== "style") visit(child);
      }
    }
  };
  visit(article);
  const lastBox = (leaf) => {
    if (leaf.nodeType === Node.ELEMENT_NODE) {
      const rects = leaf.getClientRects();
      return rects.length ? rects[rects.length - 1] : null;
    }
    const text = leaf.textContent;
    let end = text.length;
    while (end > 0 && /\s/.test(text[end - 1])) end--;
    if (!end) return null;
    const range = document.createRange();
    range.setStart(leaf, end - 1);
    range.setEnd(leaf, end);
    const rects = range.getClientRects();
    return rects.length ? rects[rects.length - 1] : null;
  };
  leaves.forEach((leaf, index) => {
    if (leaf.nodeType !== Node.TEXT_NODE) return;
    const text = leaf.textContent;
    for (let i = 0; i < text.length; i++) {
      if (!marks.includes(text[i])) continue;
      const range = document.createRange();
      range.setStart(leaf, i);
      range.setEnd(leaf, i + 1);
      const box = range.getBoundingClientRect();
      if (!box.width && !box.height) continue;  // not rendered (hidden tab, closed details)
      let before = null;
      let j = i - 1;
      while (j >= 0 && /\s/.test(text[j])) j--;
      if (j >= 0) {
        const r = document.createRange();
        r.setStart(leaf, j);
        r.setEnd(leaf, j + 1);
        const rects = r.getClientRects();
        before = rects.length ? rects[rects.length - 1] : null;
      } else {
        for (let k = index - 1; k >= 0 && !before; k--) before = lastBox(leaves[k]);
      }
      if (!before || (!before.width && !before.height)) continue;
      if (box.top >= before.bottom - 2) {
        const block = leaf.parentElement.closest("p, li, td, th, dd, div, h1, h2, h3, h4");
        found.push({
          mark: text[i],
          context: text.slice(Math.max(0, i - 12), i + 6),
          block: block ? block.textContent.trim().slice(0, 60) : "",
        });
      }
    }
  });
  return found;
}
