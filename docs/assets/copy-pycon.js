// A pycon block's copy button should give runnable code: the statements without
// their ">>> " / "... " prompts, and none of the printed output. Material copies
// the `data-copy` attribute of the nearest ancestor when one is present.
document$.subscribe(() => {
  for (const block of document.querySelectorAll(".language-pycon")) {
    const code = block.querySelector("code");
    if (!code) continue;
    const statements = code.textContent
      .split("\n")
      .filter((line) => /^(>>>|\.\.\.)( |$)/.test(line))
      .map((line) => line.slice(4));
    block.setAttribute("data-copy", statements.join("\n"));
  }
});
