// Render the LaTeX that pymdownx.arithmatex leaves in the page, with the vendored KaTeX.
document$.subscribe(({ body }) => {
  renderMathInElement(body, {
    delimiters: [
      { left: "\\[", right: "\\]", display: true },
      { left: "\\(", right: "\\)", display: false },
    ],
    throwOnError: false,
  });
  keyboardScrollableFormulas();
});

// A display formula wider than the column scrolls sideways; keyboard users need to
// be able to focus it to scroll it (axe-core: scrollable-region-focusable).
function keyboardScrollableFormulas() {
  for (const formula of document.querySelectorAll("div.arithmatex")) {
    if (formula.scrollWidth > formula.clientWidth) {
      formula.tabIndex = 0;
    } else {
      formula.removeAttribute("tabindex");
    }
  }
}

let resizeQueued = false;
window.addEventListener("resize", () => {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(() => {
    resizeQueued = false;
    keyboardScrollableFormulas();
  });
});
