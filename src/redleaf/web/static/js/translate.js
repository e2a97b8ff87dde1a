// Translate / Show original on notes and comments (translation/templates/_translate.html).
// The answer replaces the text in place; a credit line names the engine, and a dictionary gloss
// is always labelled as such, with its words and readings, never passed off as a translation.

const labels = document.getElementById("translate-labels")?.dataset || {};
const ENGINES = {
  ct2: "OPUS-MT",
  openai: "AI",
  libretranslate: "LibreTranslate",
  opencc: "OpenCC",
  gloss: "CC-CEDICT",
};

function fill(template, engine) {
  return (template || "").replace("%(engine)s", ENGINES[engine] || engine);
}

// A dictionary sense can run to a sentence ("Chengdu subprovincial city and capital of..."):
// the first words say enough beside the reading.
function short(sense, limit = 32) {
  return sense.length > limit ? `${sense.slice(0, limit - 1).trimEnd()}…` : sense;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function creditFor(answer) {
  const box = el("div", "translate-credit");
  box.append(el("p", "translate-by", fill(answer.kind === "gloss" ? labels.gloss : labels.by, answer.engine)));
  if (answer.kind === "gloss" && answer.words?.length) {
    const words = el("ul", "gloss-words");
    for (const word of answer.words.slice(0, 60)) {
      const item = el("li", "gloss-word");
      item.append(el("span", "gloss-text", word.text));
      if (word.reading) item.append(el("span", "gloss-reading", word.reading));
      if (word.senses?.length) item.append(el("span", "gloss-sense", short(word.senses[0])));
      words.append(item);
    }
    box.append(words);
  }
  if (answer.terms?.length) {
    const terms = el("dl", "gloss-terms");
    terms.setAttribute("aria-label", labels.terms || "");
    for (const term of answer.terms) {
      terms.append(el("dt", "", `${term.term} → ${term.rendering}`));
      if (term.note) terms.append(el("dd", "", term.note));
    }
    box.append(terms);
  }
  return box;
}

function setup(button) {
  const key = button.dataset.trKey;
  const targets = [...document.querySelectorAll(`[data-tr^="${CSS.escape(key)}:"]`)];
  const originals = new Map(targets.map((node) => [node, node.innerHTML]));
  const holder = button.closest(".translate");
  let answer = null;
  let showing = false;
  let credit = null;

  const show = (translated) => {
    showing = translated;
    for (const node of targets) {
      if (translated) {
        const field = node.dataset.tr.split(":").pop();
        node.textContent = answer[field] ?? "";
        node.setAttribute("lang", answer.target_lang);
        node.classList.add("is-translated");
      } else {
        node.innerHTML = originals.get(node);
        node.removeAttribute("lang");
        node.classList.remove("is-translated");
      }
    }
    if (credit) credit.hidden = !translated;
    button.textContent = translated ? labels.original : labels.translate;
    button.setAttribute("aria-pressed", translated ? "true" : "false");
  };

  button.hidden = false;
  button.addEventListener("click", async () => {
    if (showing) return show(false);
    if (!answer) {
      button.disabled = true;
      button.textContent = labels.loading;
      try {
        const response = await fetch(button.dataset.translate, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        const body = await response.json();
        if (!response.ok) throw new Error(body?.error?.message || labels.failed);
        answer = body;
        holder.querySelector(".translate-error")?.remove();
        if (answer.engine !== "none") {
          credit = creditFor(answer);
          holder.after(credit);
        }
      } catch (error) {
        button.textContent = labels.translate;
        let status = holder.querySelector(".translate-error");
        if (!status) {
          status = el("span", "translate-error");
          status.setAttribute("role", "status");
          holder.append(status);
        }
        status.textContent = error.message || labels.failed;
        return;
      } finally {
        button.disabled = false;
      }
    }
    show(true);
  });
  if (button.hasAttribute("data-auto")) button.click();
}

function setupAll(root) {
  for (const button of root.querySelectorAll("button[data-translate]:not([data-tr-ready])")) {
    if (!button.dataset.translate) continue; // a template's empty button
    button.dataset.trReady = "";
    setup(button);
  }
}

setupAll(document);
// Comments loaded or posted later (note.js) bring their own buttons.
new MutationObserver((changes) => {
  for (const change of changes) {
    for (const added of change.addedNodes) {
      if (added.nodeType === Node.ELEMENT_NODE) setupAll(added);
    }
  }
}).observe(document.body, { childList: true, subtree: true });
