// The composer: pick or drop photos (or one video), watch each upload, reorder, remove; write
// with counters of the characters left; tags as chips; a place (optionally from the device);
// then send the note as JSON. Without this file the page is a plain form for text notes.

const kit = await import(document.querySelector('meta[name="redleaf-notes-kit"]').content);

const form = document.querySelector("[data-composer]");
const msg = form ? form.dataset : {};
const POLL_MS = 1500;
const HEIC = /\.(heic|heif)$/i;

// --- counters of the characters left ------------------------------------------------------------

function remainingCounters() {
  for (const field of form.querySelectorAll("[data-remaining][maxlength]")) {
    const max = Number(field.getAttribute("maxlength"));
    // The server counts code points; maxlength counts UTF-16 units, so an emoji-rich text may
    // meet maxlength early but is never cut by the server.
    const counter = document.createElement("p");
    counter.className = "counter";
    counter.setAttribute("aria-live", "polite");
    const update = () => {
      const left = max - [...field.value].length;
      counter.textContent = (left >= 0 ? msg.msgLeft : msg.msgOver).replace("{n}", String(Math.abs(left)));
      counter.classList.toggle("over", left < 0);
      counter.classList.toggle("low", left >= 0 && left <= Math.max(5, max / 10));
    };
    field.insertAdjacentElement("afterend", counter);
    field.addEventListener("input", update);
    update();
  }
}

// --- field errors --------------------------------------------------------------------------------

function showError(field, message) {
  const name = String(field || "form").split(".")[0];
  const box = form.querySelector(`[data-field-error="${name}"]`) || form.querySelector('[data-field-error="form"]');
  box.textContent = message;
  box.hidden = false;
  box.closest(".field")?.classList.add("has-error");
  const details = box.closest("details");
  if (details) details.open = true;
  box.scrollIntoView({ block: "center", behavior: "smooth" });
}

function clearErrors() {
  for (const box of form.querySelectorAll("[data-field-error]")) {
    box.hidden = true;
    box.textContent = "";
    box.closest(".field")?.classList.remove("has-error");
  }
}

// --- media tiles ---------------------------------------------------------------------------------

const tileList = form?.querySelector("[data-tiles]");
const addTile = tileList?.querySelector(".media-add");
const tileTemplate = document.getElementById("media-tile-template");
const tiles = new Map(); // element -> {id, kind, state, xhr, objectUrl}

function tileElements() {
  return [...tileList.querySelectorAll(":scope > .media-tile")];
}

function setTileState(tile, state, text) {
  const info = tiles.get(tile);
  info.state = state;
  tile.dataset.state = state;
  const status = tile.querySelector(".media-status");
  status.textContent = text || "";
  const progress = tile.querySelector(".media-progress");
  progress.hidden = state !== "uploading" && state !== "processing";
  if (state === "processing") progress.removeAttribute("value"); // indeterminate
  refresh();
}

function setThumb(tile, url, kind) {
  const img = tile.querySelector(".media-thumb-img");
  tile.querySelector(".media-thumb-video").hidden = kind !== "video";
  if (!url) return;
  img.src = url;
  img.hidden = false;
  img.onerror = () => {
    img.hidden = true; // e.g. a HEIC photo the browser cannot show until it is converted
  };
}

function newTile(kind) {
  const tile = tileTemplate.content.firstElementChild.cloneNode(true);
  tile.dataset.kind = kind;
  tiles.set(tile, { id: null, kind, state: "new", xhr: null, objectUrl: null });
  wireTile(tile);
  tileList.insertBefore(tile, addTile);
  return tile;
}

function mediaReady(tile, media) {
  const info = tiles.get(tile);
  info.id = String(media.id);
  tile.dataset.mediaId = info.id;
  const urls = media.urls || {};
  if (media.state === "ready") {
    setThumb(tile, media.kind === "video" ? urls.poster : urls["360"] || urls["720"], media.kind);
    setTileState(tile, "ready", "");
  } else if (media.state === "failed") {
    setTileState(tile, "failed", (media.error && media.error.message) || msg.msgFailed);
  } else {
    setTileState(tile, "processing", msg.msgProcessing);
    setTimeout(() => poll(tile), POLL_MS);
  }
}

async function poll(tile) {
  const info = tiles.get(tile);
  if (!info || !tile.isConnected || info.state !== "processing") return;
  try {
    mediaReady(tile, await kit.api("GET", `${form.dataset.mediaApi}/${info.id}`));
  } catch (error) {
    if (error.status === 0 || error.status >= 500) setTimeout(() => poll(tile), POLL_MS * 2);
    else setTileState(tile, "failed", error.message || msg.msgFailed);
  }
}

function upload(tile, file) {
  const info = tiles.get(tile);
  const xhr = new XMLHttpRequest();
  info.xhr = xhr;
  const progress = tile.querySelector(".media-progress");
  progress.value = 0;
  setTileState(tile, "uploading", msg.msgUploading);
  xhr.open("POST", form.dataset.mediaApi);
  xhr.setRequestHeader("X-CSRF-Token", kit.csrfHeader());
  xhr.setRequestHeader("Accept", "application/json");
  xhr.responseType = "json";
  xhr.upload.onprogress = (event) => {
    if (event.lengthComputable) progress.value = Math.round((event.loaded / event.total) * 100);
  };
  xhr.onload = () => {
    info.xhr = null;
    const data = xhr.response;
    if (xhr.status >= 200 && xhr.status < 300 && data && data.id) {
      mediaReady(tile, data);
    } else {
      const message = data && data.error && data.error.message;
      setTileState(tile, "failed", message || msg.msgFailed);
    }
  };
  xhr.onerror = () => {
    info.xhr = null;
    setTileState(tile, "failed", msg.msgNetwork);
  };
  const body = new FormData();
  body.append("file", file, file.name);
  xhr.send(body);
}

function kindOf(file) {
  if (file.type.startsWith("image/") || (!file.type && HEIC.test(file.name))) return "image";
  if (file.type.startsWith("video/")) return "video";
  return null;
}

function addFiles(files) {
  clearErrors();
  for (const file of files) {
    const kind = kindOf(file);
    const present = tileElements().map((tile) => tiles.get(tile).kind);
    if (!kind) {
      showError("media_ids", msg.msgWrongType);
      continue;
    }
    if (present.includes("video") || (kind === "video" && present.length > 0)) {
      showError("media_ids", msg.msgOneVideo);
      continue;
    }
    if (present.length >= Number(msg.maxImages)) {
      showError("media_ids", msg.msgTooMany);
      break;
    }
    const limit = Number(kind === "video" ? msg.maxVideoBytes : msg.maxImageBytes);
    const tile = newTile(kind);
    const info = tiles.get(tile);
    info.objectUrl = URL.createObjectURL(file);
    if (kind === "image") setThumb(tile, info.objectUrl, kind);
    else videoThumb(tile, info.objectUrl);
    if (file.size > limit) {
      setTileState(tile, "failed", kind === "video" ? msg.msgVideoTooBig : msg.msgImageTooBig);
      continue;
    }
    upload(tile, file);
  }
  refresh();
}

function videoThumb(tile, url) {
  // The first frame of the chosen video, until the server's poster exists.
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.preload = "metadata";
  video.src = url;
  video.className = "media-thumb-img";
  tile.querySelector(".media-thumb-img").replaceWith(video);
  tile.querySelector(".media-thumb-video").hidden = false;
}

function removeTile(tile) {
  const info = tiles.get(tile);
  info.xhr?.abort();
  if (info.objectUrl) URL.revokeObjectURL(info.objectUrl);
  tiles.delete(tile);
  tile.remove();
  refresh();
  addTile.querySelector("label").focus();
}

function moveTile(tile, step) {
  const all = tileElements();
  const index = all.indexOf(tile) + step;
  if (index < 0 || index >= all.length) return;
  if (step < 0) tileList.insertBefore(tile, all[index]);
  else tileList.insertBefore(tile, all[index].nextSibling);
  refresh();
  tile.querySelector(`[data-move="${step}"]`).focus();
}

let dragged = null;

function wireTile(tile) {
  tile.querySelector("[data-remove]").addEventListener("click", () => removeTile(tile));
  for (const button of tile.querySelectorAll("[data-move]")) {
    button.addEventListener("click", () => moveTile(tile, Number(button.dataset.move)));
  }
  // Mouse dragging (HTML drag and drop); touch and keyboard use the arrow buttons.
  tile.addEventListener("dragstart", (event) => {
    dragged = tile;
    tile.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", tile.dataset.mediaId || "");
  });
  tile.addEventListener("dragend", () => {
    tile.classList.remove("is-dragging");
    dragged = null;
    refresh();
  });
  tile.addEventListener("dragover", (event) => {
    if (!dragged || dragged === tile) return;
    event.preventDefault();
    const box = tile.getBoundingClientRect();
    const after = event.clientX > box.left + box.width / 2;
    tileList.insertBefore(dragged, after ? tile.nextSibling : tile);
  });
  tile.addEventListener("drop", (event) => event.preventDefault());
}

function hydrateServerTiles() {
  for (const stub of [...tileList.querySelectorAll(".media-tile[data-media-id]")]) {
    const tile = tileTemplate.content.firstElementChild.cloneNode(true);
    const kind = stub.dataset.kind || "image";
    tile.dataset.kind = kind;
    tile.dataset.color = stub.dataset.color || "";
    tiles.set(tile, { id: stub.dataset.mediaId, kind, state: "new", xhr: null, objectUrl: null });
    tile.dataset.mediaId = stub.dataset.mediaId;
    wireTile(tile);
    stub.replaceWith(tile);
    setThumb(tile, stub.dataset.thumb, kind);
    if (stub.dataset.state === "processing" || stub.dataset.state === "uploaded") {
      setTileState(tile, "processing", msg.msgProcessing);
      setTimeout(() => poll(tile), POLL_MS);
    } else if (stub.dataset.state === "failed") {
      setTileState(tile, "failed", msg.msgFailed);
    } else {
      setTileState(tile, "ready", "");
    }
  }
  kit.paintPlaceholders(tileList);
}

function mediaSection() {
  const section = form.querySelector("[data-media-section]");
  section.hidden = false;
  const input = form.querySelector("[data-file-input]");
  input.addEventListener("change", () => {
    addFiles([...input.files]);
    input.value = ""; // choosing the same file again still fires "change"
  });
  const zone = form.querySelector("[data-drop-zone]");
  // The whole section takes drops, not only the small "+" tile.
  section.addEventListener("dragover", (event) => {
    if (dragged || !event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    zone.classList.add("is-over");
  });
  section.addEventListener("dragleave", () => zone.classList.remove("is-over"));
  section.addEventListener("drop", (event) => {
    if (dragged || !event.dataTransfer.files.length) return;
    event.preventDefault();
    zone.classList.remove("is-over");
    addFiles([...event.dataTransfer.files]);
  });
  hydrateServerTiles();
}

// --- tags as chips -----------------------------------------------------------------------------

const tagState = { chips: [], input: null, hidden: null, list: null };
const TAG_SPLIT = /[\s,，、;；#]+/;

function renderChips() {
  tagState.list.replaceChildren();
  for (const tag of tagState.chips) {
    const item = document.createElement("li");
    item.className = "tag-chip";
    item.textContent = `#${tag}`;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "tag-chip-remove";
    remove.setAttribute("aria-label", `× #${tag}`);
    remove.textContent = "×";
    remove.addEventListener("click", () => {
      tagState.chips = tagState.chips.filter((t) => t !== tag);
      renderChips();
      tagState.input.focus();
    });
    item.append(remove);
    tagState.list.append(item);
  }
  tagState.hidden.value = tagState.chips.join(" ");
  tagState.input.placeholder = tagState.chips.length ? "" : tagState.placeholder;
  for (const button of form.querySelectorAll("[data-tag]")) {
    button.hidden = tagState.chips.includes(button.dataset.tag.toLowerCase());
  }
}

function addTags(text) {
  for (const raw of text.split(TAG_SPLIT)) {
    const tag = raw.trim().toLowerCase();
    if (!tag || tagState.chips.includes(tag)) continue;
    if (tagState.chips.length >= Number(msg.maxTags)) {
      showError("tags", msg.msgTagsMax);
      break;
    }
    tagState.chips.push(tag);
  }
  renderChips();
}

function tagChips() {
  const field = form.querySelector("[data-tags-field]");
  const input = field.querySelector("[data-tags-input]");
  const hidden = document.createElement("input");
  hidden.type = "hidden";
  hidden.name = "tags";
  input.removeAttribute("name");
  const wrap = document.createElement("div");
  wrap.className = "tag-box";
  const list = document.createElement("ul");
  list.className = "tag-chips";
  input.replaceWith(wrap);
  wrap.append(list, input, hidden);
  Object.assign(tagState, { input, hidden, list, chips: [], placeholder: input.placeholder });
  addTags(input.value);
  input.value = "";
  input.addEventListener("keydown", (event) => {
    if (event.isComposing) return; // a Chinese input method is still choosing characters
    if (["Enter", " ", ",", "，", "、"].includes(event.key)) {
      event.preventDefault();
      addTags(input.value);
      input.value = "";
    } else if (event.key === "Backspace" && !input.value && tagState.chips.length) {
      tagState.chips.pop();
      renderChips();
    }
  });
  input.addEventListener("blur", () => {
    addTags(input.value);
    input.value = "";
  });
  const suggestions = field.querySelector("[data-tag-suggestions]");
  suggestions.hidden = false;
  for (const button of suggestions.querySelectorAll("[data-tag]")) {
    button.addEventListener("click", () => addTags(button.dataset.tag));
  }
  wrap.addEventListener("click", (event) => {
    if (event.target === wrap || event.target === list) input.focus();
  });
}

function pendingTags() {
  if (tagState.input?.value) {
    addTags(tagState.input.value);
    tagState.input.value = "";
  }
  return tagState.chips;
}

// --- place --------------------------------------------------------------------------------------

function locateButton() {
  const button = form.querySelector("[data-locate]");
  const status = form.querySelector("[data-locate-status]");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  button.addEventListener("click", () => {
    status.textContent = msg.msgLocating;
    navigator.geolocation.getCurrentPosition(
      (position) => {
        form.elements.place_lat.value = position.coords.latitude.toFixed(5);
        form.elements.place_lon.value = position.coords.longitude.toFixed(5);
        status.textContent = "";
      },
      () => {
        status.textContent = msg.msgNoLocation;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 },
    );
  });
}

function placeValue() {
  const name = form.elements.place_name.value.trim();
  const nameZh = form.elements.place_name_zh.value.trim();
  const number = (input) => {
    const text = input.value.trim().replace("，", ".").replace(",", ".");
    return text === "" ? null : Number(text);
  };
  const lat = number(form.elements.place_lat);
  const lon = number(form.elements.place_lon);
  if ([lat, lon].some((value) => value !== null && !Number.isFinite(value))) return undefined;
  if (!name && !nameZh && lat === null && lon === null) return null;
  return { name, name_zh: nameZh || null, lat, lon };
}

// --- preview, text card styles ------------------------------------------------------------------

function refresh() {
  if (!form) return;
  const all = tileElements();
  const preview = form.querySelector("[data-preview]");
  const img = preview.querySelector("[data-preview-img]");
  const text = preview.querySelector("[data-preview-text]");
  const first = all[0];
  const source = first?.querySelector("img.media-thumb-img:not([hidden])");
  const style = form.querySelector('input[name="text_style"]:checked')?.value || "0";
  if (source && source.src) {
    img.src = source.src;
    img.hidden = false;
    text.hidden = true;
  } else {
    img.hidden = true;
    text.hidden = false;
    text.className = `note-card-text text-style-${style}`;
  }
  const title = form.elements.title.value.trim();
  const body = form.elements.body.value.trim();
  const placeholder = preview.querySelector("[data-preview-title]").dataset.placeholder;
  preview.querySelector("[data-preview-title]").textContent = title || placeholder;
  preview.querySelector("[data-preview-text-inner]").textContent = title || body.slice(0, 80) || placeholder;
  // Text cards only matter for a note without photos.
  form.querySelector("[data-text-styles]").hidden = all.length > 0;
}

// --- sending ------------------------------------------------------------------------------------

let sending = false;
let dirty = false;

async function submit(event) {
  event.preventDefault();
  if (sending) return;
  clearErrors();
  const action = event.submitter?.value || "publish";
  const states = tileElements().map((tile) => tiles.get(tile));
  if (states.some((info) => info.state === "uploading" || !info.id && info.state !== "failed")) {
    showError("media_ids", msg.msgWait);
    return;
  }
  if (states.some((info) => info.state === "failed")) {
    showError("media_ids", msg.msgRemoveFailed);
    return;
  }
  const place = placeValue();
  if (place === undefined) {
    showError("place", msg.msgCoordinates);
    return;
  }
  const payload = {
    title: form.elements.title.value,
    body: form.elements.body.value,
    tags: pendingTags(),
    place,
    visibility: form.elements.visibility.value,
    text_style: Number(form.querySelector('input[name="text_style"]:checked')?.value || 0),
    media_ids: states.map((info) => info.id),
  };
  const editing = form.dataset.method === "PATCH";
  if (!editing) payload.draft = action === "draft";
  else if (action === "publish") payload.draft = false;
  sending = true;
  const buttons = form.querySelectorAll("[data-submit]");
  for (const button of buttons) button.setAttribute("aria-busy", "true");
  try {
    const note = await kit.api(form.dataset.method, form.dataset.api, payload);
    dirty = false;
    window.location.assign(note.url);
  } catch (error) {
    showError(error.field, error.message || msg.msgFailed);
    sending = false;
    for (const button of buttons) button.removeAttribute("aria-busy");
  }
}

function start() {
  if (!form) return;
  remainingCounters();
  mediaSection();
  tagChips();
  locateButton();
  refresh();
  form.addEventListener("input", () => {
    dirty = true;
    refresh();
  });
  form.addEventListener("change", refresh);
  form.addEventListener("submit", submit);
  window.addEventListener("beforeunload", (event) => {
    const uploads = tileElements().some((tile) => tiles.get(tile).objectUrl);
    if ((dirty || uploads) && !sending) {
      event.preventDefault();
      event.returnValue = msg.msgLeave;
    }
  });
}

start();
