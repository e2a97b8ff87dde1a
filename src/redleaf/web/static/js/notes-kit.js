// What the note scripts share (grid.js, note.js, composer.js): API calls with the CSRF header,
// counts and dates shown as the server shows them, cards built from note JSON, a toast.
// Pages load this through the content-hashed URL in <meta name="redleaf-notes-kit"> so a new
// release never pairs a fresh page script with a stale copy of this file.

export const lang = document.documentElement.lang || "en";
const zh = lang === "zh-Hans";

function csrfToken() {
  return document.querySelector('meta[name="csrf-token"]')?.content || "";
}

/** An API refusal: `message` is already translated by the server; `field` names the input. */
export class ApiError extends Error {
  constructor(message, status, code, field) {
    super(message || "");
    this.status = status;
    this.code = code || "";
    this.field = field || null;
  }
}

/** fetch() for our JSON API: CSRF header, JSON in and out, errors as ApiError. */
export async function api(method, url, body) {
  const headers = { Accept: "application/json", "X-CSRF-Token": csrfToken() };
  const init = { method, headers, credentials: "same-origin" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError("", 0, "network");
  }
  let data = null;
  try {
    const raw = await response.text();
    data = raw ? JSON.parse(raw) : null;
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(error.message, response.status, error.code, error.field);
  }
  return data;
}

export function csrfHeader() {
  return csrfToken();
}


/** 1234 → "1.2k"; Chinese readers get 1.2万: the twin of common.compact_count. */
export function compactCount(n) {
  const value = Math.max(0, Math.trunc(Number(n) || 0));
  const units = zh
    ? [[100_000_000, "亿"], [10_000, "万"]]
    : [[1_000_000_000, "B"], [1_000_000, "M"], [1_000, "k"]];
  for (const [size, suffix] of units) {
    if (value >= size) {
      const scaled = value / size;
      // Truncated, never rounded up, as the server does: 1,999 likes are "1.9k".
      const shown = scaled < 10
        ? (Math.floor(scaled * 10) / 10).toFixed(1).replace(/\.0$/, "")
        : String(Math.trunc(scaled));
      return shown + suffix;
    }
  }
  return String(value);
}

const dayFormat = new Intl.DateTimeFormat(zh ? "zh-CN" : "en-US", {
  dateStyle: "medium",
  timeZone: "UTC",
});

/** "Nov 25, 2025" / "2025年11月25日", as common.day writes it. */
export function formatDay(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? "" : dayFormat.format(date);
}

const COLOR = /^#[0-9a-f]{6}$/i;

/** The placeholder colour of images that are still loading (CSSOM: allowed by the CSP). */
export function paintPlaceholders(root = document) {
  for (const element of root.querySelectorAll("[data-color]")) {
    const color = element.dataset.color;
    if (!COLOR.test(color)) continue;
    if (element instanceof HTMLImageElement && element.complete && element.naturalWidth) continue;
    element.style.backgroundColor = color;
    // Once the picture is there, its letterbox (object-fit: contain) shows the page again.
    if (element instanceof HTMLImageElement || element instanceof HTMLVideoElement) {
      const clear = () => element.style.removeProperty("background-color");
      element.addEventListener(element instanceof HTMLImageElement ? "load" : "loadeddata", clear, { once: true });
    }
  }
}

// Twin of common.cover_box: a cover keeps its shape between 3:4 and 4:3.
const MIN_RATIO = 0.75;
const MAX_RATIO = 4 / 3;

export function coverBox(cover) {
  const width = Number(cover && cover.width) || 0;
  const height = Number(cover && cover.height) || 0;
  if (width <= 0 || height <= 0) return [3, 4];
  const ratio = Math.min(Math.max(height / width, MIN_RATIO), MAX_RATIO);
  return [600, Math.round(600 * ratio)];
}

/** Twin of common.excerpt: the title, or the start of the body. */
export function excerpt(note, limit = 60) {
  if (note.title) return note.title;
  const body = Array.from(String(note.body || "").split(/\s+/).filter(Boolean).join(" "));
  return body.length <= limit ? body.join("") : body.slice(0, limit - 1).join("").trimEnd() + "…";
}

function stateKey(note) {
  if (["draft", "processing", "failed"].includes(note.state)) return note.state;
  if (["held", "removed"].includes(note.moderation_state)) return note.moderation_state;
  if (note.visibility === "private") return "private";
  if (note.visibility === "followers") return "followers";
  return "";
}

/** A grid card for `note`, cloned from the page's <template id="note-card-template"> so it is
 * the same markup as the server's `card()` macro. */
export function buildCard(template, note) {
  const card = template.content.firstElementChild.cloneNode(true);
  card.dataset.noteId = note.id;
  const media = card.querySelector(".note-card-media");
  media.href = note.url;
  const img = card.querySelector(".note-card-img");
  const play = card.querySelector(".note-card-play");
  const text = card.querySelector(".note-card-text");
  const cover = note.cover || {};
  if (cover.url) {
    const [width, height] = coverBox(cover);
    img.src = cover.url;
    img.width = width;
    img.height = height;
    img.dataset.color = cover.color || "";
    text.remove();
    if (!cover.video) play.remove();
  } else {
    img.remove();
    play.remove();
    const style = Number.isInteger(note.text_style) && note.text_style >= 0 && note.text_style < 6
      ? note.text_style : 0;
    text.classList.add(`text-style-${style}`);
    text.querySelector(".note-card-text-inner").textContent = excerpt(note, 80);
  }
  const state = card.querySelector(".note-card-state");
  const key = stateKey(note);
  const label = key ? template.dataset[`label${key[0].toUpperCase()}${key.slice(1)}`] : "";
  if (label) state.textContent = label;
  else state.remove();
  const title = card.querySelector(".note-card-title a");
  title.href = note.url;
  title.textContent = excerpt(note);
  const author = card.querySelector(".note-card-author");
  author.href = `/u/${note.author.username}`;
  author.querySelector("img").src = note.author.avatar_url;
  author.querySelector(".note-card-name").textContent = note.author.display_name;
  const likes = card.querySelector(".note-card-likes");
  if (note.viewer && note.viewer.liked) likes.classList.add("is-liked");
  likes.querySelector(".note-card-count").textContent = compactCount(note.counts.likes);
  paintPlaceholders(card);
  return card;
}

// Twin of the tag rule of notes/text.py (Python's \w is Unicode: letters, digits, underscore).
const TAG = /(?:^|(?<=[\s(（,，。.!！?？、:：;；"'“‘]))#([\p{L}\p{N}_\u00b7-]{1,60})#?/gu;

/** Comment text with #tags linked, built as DOM nodes (never as HTML). */
export function richText(text) {
  const fragment = document.createDocumentFragment();
  let position = 0;
  for (const match of text.matchAll(TAG)) {
    fragment.append(text.slice(position, match.index));
    const link = document.createElement("a");
    link.className = "tag-link";
    link.href = `/search?q=${encodeURIComponent(`#${match[1]}`)}`;
    link.textContent = match[0];
    fragment.append(link);
    position = match.index + match[0].length;
  }
  fragment.append(text.slice(position));
  return fragment;
}

let toastTimer = 0;

/** A short message at the bottom of the screen (the page's <p class="toast">). */
export function toast(message) {
  let box = document.querySelector(".toast");
  if (!box) {
    box = document.createElement("p");
    box.className = "toast";
    box.setAttribute("role", "status");
    document.body.append(box);
  }
  box.textContent = message;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => {
    box.hidden = true;
  }, 2600);
}

/** Forms marked data-confirm ask first (deleting a note, a comment, a board). */
export function confirmForms(root = document) {
  root.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm) return;
    if (form.dataset.confirmed === "yes") return;
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
}
