// The site's one script, loaded with defer from base.html. The pages work without
// it; it only adds copy buttons to citations. No inline script anywhere: the
// Content-Security-Policy allows scripts from the site itself only.
"use strict";

function addCopyButtons(box) {
  const status = box.querySelector(".copy-status");
  for (const text of box.querySelectorAll("[data-copy-name]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = `${box.dataset.copyLabel} ${text.dataset.copyName}`;
    button.setAttribute("aria-describedby", text.id);
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(text.textContent.trim() + "\n");
        status.textContent = `${box.dataset.copiedLabel}: ${text.dataset.copyName}`;
      } catch {
        selectText(text);
        status.textContent = box.dataset.copyFailedLabel;
      }
    });
    const place = text.closest("details") || text;
    place.before(button);
  }
}

function selectText(element) {
  const range = document.createRange();
  range.selectNodeContents(element);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
}

for (const box of document.querySelectorAll(".cite-box")) {
  addCopyButtons(box);
}
