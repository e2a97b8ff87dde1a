// Keyboard shortcuts for the review console (moderation/templates/console_*.html). Progressive
// enhancement only: every action is a plain link or form that works without this file.
//
// Queue:  j / k move between cases, x selects one, Shift+A selects all, Enter opens.
// Case:   a w r m s choose allow / warn / remove / mute / suspend; Enter sends the decision;
//         n gives the case back and skips to the next one.
// Both:   ? shows or hides the list of shortcuts.

const CHOICES = ["checkbox", "radio", "button", "submit"];

/** Whether keys pressed on `target` are typing (a radio or a checkbox takes no text). */
function typing(target) {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement) return !CHOICES.includes(target.type);
  return target.isContentEditable || ["TEXTAREA", "SELECT"].includes(target.tagName);
}

function toggleShortcuts() {
  const list = document.querySelector("[data-shortcuts]");
  if (list) list.open = !list.open;
}

function queueKeys(form) {
  const rows = [...form.querySelectorAll("[data-queue-row]")];
  const selectAll = form.querySelector("[data-select-all]");
  const boxes = () => rows.map((row) => row.querySelector("input[type=checkbox]"));
  let current = -1;

  if (selectAll) {
    selectAll.hidden = false;
    selectAll.addEventListener("change", () => {
      for (const box of boxes()) box.checked = selectAll.checked;
    });
  }

  function move(step) {
    if (!rows.length) return;
    rows[current]?.classList.remove("is-current");
    current = Math.min(rows.length - 1, Math.max(0, current + step));
    const row = rows[current];
    row.classList.add("is-current");
    row.querySelector("[data-open]")?.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }

  return (event) => {
    if (event.key === "j") move(1);
    else if (event.key === "k") move(-1);
    else if (event.key === "x" && rows[current]) {
      const box = rows[current].querySelector("input[type=checkbox]");
      box.checked = !box.checked;
    } else if (event.key === "A" && event.shiftKey) {
      const all = boxes().every((box) => box.checked);
      for (const box of boxes()) box.checked = !all;
      if (selectAll) selectAll.checked = !all;
    } else if (event.key === "Enter" && rows[current]) {
      rows[current].querySelector("[data-open]")?.click();
    } else return false;
    return true;
  };
}

function caseKeys() {
  const form = document.querySelector("form[data-decide]");
  const skip = document.querySelector("[data-skip]");

  // Enter anywhere in the decision form but a text area sends it (a select or a radio would
  // otherwise swallow it); the browser still checks the required fields first.
  form?.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.target.tagName === "TEXTAREA") return;
    if (event.target.tagName === "BUTTON") return;
    event.preventDefault();
    form.requestSubmit();
  });

  return (event) => {
    const choice = form?.querySelector(`input[data-key="${CSS.escape(event.key)}"]`);
    if (choice) {
      choice.checked = true;
      choice.focus();
    } else if (event.key === "n" && skip) {
      if (skip instanceof HTMLFormElement) skip.requestSubmit();
      else skip.click();
    } else return false;
    return true;
  };
}

function start() {
  const queue = document.querySelector("form[data-queue]");
  const handle = queue ? queueKeys(queue) : document.querySelector(".case-layout") ? caseKeys() : null;
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (event.key === "?") {
      if (typing(event.target)) return;
      event.preventDefault();
      toggleShortcuts();
      return;
    }
    // In a field, keys are typing — except Enter, which the decision form handles itself.
    if (typing(event.target) || !handle) return;
    if (handle(event)) event.preventDefault();
  });
}

start();
