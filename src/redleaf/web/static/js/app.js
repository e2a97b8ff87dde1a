// Progressive enhancement only: every page works without this file. No inline scripts (CSP),
// no framework, no build step. Text shown by scripts comes from data attributes that the
// server has already translated.

/** Disable a form's submit buttons while it is being sent, so a double tap posts once. */
function guardSubmits() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
    const buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    // After this tick: a button disabled before the form data is built would drop its value.
    setTimeout(() => {
      for (const button of buttons) {
        button.disabled = true;
        button.setAttribute("aria-busy", "true");
      }
    }, 0);
  });
  // Coming back through the history cache must not leave buttons dead.
  window.addEventListener("pageshow", () => {
    for (const button of document.querySelectorAll("button[aria-busy=true]")) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
    }
  });
}

/** A Show/Hide button on password fields marked `data-reveal`. */
function passwordToggles() {
  for (const input of document.querySelectorAll("input[data-reveal]")) {
    const wrap = document.createElement("div");
    wrap.className = "reveal";
    input.replaceWith(wrap);
    wrap.append(input);
    const toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "reveal-toggle";
    toggle.textContent = input.dataset.reveal;
    toggle.setAttribute("aria-controls", input.id);
    toggle.setAttribute("aria-pressed", "false");
    toggle.addEventListener("click", () => {
      const showing = input.type === "text";
      input.type = showing ? "password" : "text";
      toggle.textContent = showing ? input.dataset.reveal : input.dataset.conceal;
      toggle.setAttribute("aria-pressed", String(!showing));
      input.focus();
    });
    wrap.append(toggle);
  }
}

/** A live "used/max" count under fields marked `data-counter` that have a maxlength. */
function counters() {
  for (const field of document.querySelectorAll("[data-counter][maxlength]")) {
    const max = Number(field.getAttribute("maxlength"));
    const counter = document.createElement("p");
    counter.className = "counter";
    counter.setAttribute("aria-hidden", "true");
    const update = () => {
      // Code points, as the server counts them (maxlength counts UTF-16 units).
      const used = [...field.value].length;
      counter.textContent = `${used}/${max}`;
      counter.classList.toggle("over", used > max);
    };
    field.insertAdjacentElement("afterend", counter);
    field.addEventListener("input", update);
    update();
  }
}

/** The surge page counts down and then sends the same form again by itself. */
function surgeCountdown() {
  const box = document.querySelector("[data-countdown]");
  if (!box) return;
  const form = box.closest("form");
  const number = box.querySelector(".countdown-number");
  let left = Math.max(1, Number(box.dataset.countdown) || 30);
  const timer = setInterval(() => {
    left -= 1;
    if (number) number.textContent = String(left);
    if (left > 0) return;
    clearInterval(timer);
    box.hidden = true;
    const done = form?.querySelector(".countdown-done");
    if (done) done.hidden = false;
    form?.requestSubmit();
  }, 1000);
}

/** Select a freshly created API token in one tap, ready to copy. */
function selectOnFocus() {
  for (const input of document.querySelectorAll("[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
}

/** Close an open "more" menu when tapping elsewhere or pressing Escape. */
function closeMenus() {
  const closeAll = (except) => {
    for (const menu of document.querySelectorAll("details.menu[open]")) {
      if (menu !== except) menu.open = false;
    }
  };
  document.addEventListener("click", (event) => {
    closeAll(event.target instanceof Element ? event.target.closest("details.menu") : null);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeAll(null);
  });
}

guardSubmits();
passwordToggles();
counters();
surgeCountdown();
selectOnFocus();
closeMenus();
