// The note page: carousel, instant like / collect (with a board picker) / share, comments and
// replies through the API, the view count, and the author's "processing" banner that reloads
// the page once the note is published. Every action is a plain form first (see note.html).

const kit = await import(document.querySelector('meta[name="redleaf-notes-kit"]').content);

const article = document.querySelector("[data-note]");
const noteApi = article?.dataset.api || "";

// --- carousel -------------------------------------------------------------------------------

function carousel(root) {
  const track = root.querySelector(".carousel-track");
  const slides = [...root.querySelectorAll(".carousel-slide")];
  const dots = [...root.querySelectorAll(".carousel-dot")];
  const current = root.querySelector("[data-current]");
  const prev = root.querySelector(".carousel-prev");
  const next = root.querySelector(".carousel-next");
  const ratio = Number.parseFloat(root.dataset.ratio);
  if (ratio > 0) root.style.setProperty("--carousel-ratio", String(ratio));
  root.classList.add("is-enhanced");
  let index = 0;

  const show = (i) => {
    index = Math.max(0, Math.min(slides.length - 1, i));
    dots.forEach((dot, n) => dot.setAttribute("aria-current", n === index ? "true" : "false"));
    if (current) current.textContent = String(index + 1);
    if (prev) prev.disabled = index === 0;
    if (next) next.disabled = index === slides.length - 1;
  };
  const go = (i) => {
    const target = Math.max(0, Math.min(slides.length - 1, i));
    track.scrollTo({ left: target * track.clientWidth, behavior: "smooth" });
    show(target);
  };
  // Swipes are native (scroll snapping); the dots and the counter follow the scroll position.
  let frame = 0;
  track.addEventListener("scroll", () => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => show(Math.round(track.scrollLeft / track.clientWidth)));
  }, { passive: true });
  prev?.addEventListener("click", () => go(index - 1));
  next?.addEventListener("click", () => go(index + 1));
  for (const button of [prev, next]) if (button) button.hidden = false;
  dots.forEach((dot, n) => dot.addEventListener("click", (event) => {
    event.preventDefault();
    go(n);
  }));
  root.addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") go(index - 1);
    else if (event.key === "ArrowRight") go(index + 1);
    else return;
    event.preventDefault();
  });
  show(0);
}

// --- like, collect, share ---------------------------------------------------------------------

function setCount(element, delta) {
  if (!element) return;
  const value = Math.max(0, (Number(element.dataset.count) || 0) + delta);
  element.dataset.count = String(value);
  const hideZero = element.classList.contains("comment-like-count");
  element.textContent = hideZero && value === 0 ? "" : kit.compactCount(value);
}

function flip(form, on) {
  const button = form.querySelector("button");
  button.setAttribute("aria-pressed", on ? "true" : "false");
  form.action = form.action.replace(/\/(un)?(like|collect)$/, on ? "/un$2" : "/$2");
}

/** Forms with data-toggle (like, collect, comment like): instant, through the API. */
async function toggle(form) {
  const button = form.querySelector("button");
  if (button.getAttribute("aria-busy") === "true") return;
  const on = button.getAttribute("aria-pressed") === "true";
  const count = form.querySelector("[data-count]");
  flip(form, !on);
  setCount(count, on ? -1 : 1);
  button.setAttribute("aria-busy", "true");
  try {
    await kit.api(on ? "DELETE" : "POST", form.dataset.api);
    if (form.dataset.toggle === "collect") {
      if (on) form.dataset.boardId = "";
      else picker.open();
    }
  } catch (error) {
    flip(form, on);
    setCount(count, on ? 1 : -1);
    kit.toast(error.message || document.querySelector("#board-picker")?.dataset.failed || "");
  } finally {
    button.removeAttribute("aria-busy");
  }
}

/** After collecting: pick a board (or make one) from GET /api/v1/me/boards. */
const picker = (() => {
  const dialog = document.getElementById("board-picker");
  const collectForm = document.querySelector('form[data-toggle="collect"]');
  if (!dialog || !collectForm || typeof dialog.showModal !== "function") return { open() {} };
  const list = dialog.querySelector("[data-board-choices]");
  const createForm = dialog.querySelector("[data-board-new]");
  const createError = createForm.querySelector(".field-error");

  const choose = async (button, board) => {
    try {
      await kit.api("POST", collectForm.dataset.api, { board_id: board.id });
      collectForm.dataset.boardId = board.id;
      for (const other of list.querySelectorAll("[aria-pressed]")) {
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      }
      dialog.close();
      kit.toast(`✓ ${board.name}`);
    } catch (error) {
      kit.toast(error.message || dialog.dataset.failed);
    }
  };

  const addChoice = (board) => {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "board-choice";
    button.setAttribute("aria-pressed", board.id === collectForm.dataset.boardId ? "true" : "false");
    button.textContent = board.name;
    button.addEventListener("click", () => choose(button, board));
    item.append(button);
    list.append(item);
    return button;
  };

  createForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = createForm.elements.name;
    createError.hidden = true;
    try {
      const board = await kit.api("POST", "/api/v1/boards", { name: input.value.trim() });
      input.value = "";
      await choose(addChoice(board), board);
    } catch (error) {
      createError.textContent = error.message || dialog.dataset.failed;
      createError.hidden = false;
    }
  });
  dialog.querySelector("[data-close]").addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close(); // a tap on the backdrop
  });

  return {
    async open() {
      list.replaceChildren();
      const waiting = document.createElement("li");
      waiting.className = "muted";
      waiting.textContent = dialog.dataset.loading;
      list.append(waiting);
      dialog.showModal();
      try {
        const page = await kit.api("GET", dialog.dataset.boardsApi);
        waiting.remove();
        for (const board of page.items) addChoice(board);
      } catch {
        waiting.textContent = dialog.dataset.failed;
      }
    },
  };
})();

function share(button) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const url = new URL(button.dataset.share, window.location.href).href;
    if (navigator.share) {
      try {
        await navigator.share({ title: button.dataset.shareTitle, url });
      } catch {
        // Closing the share sheet is not an error worth showing.
      }
      return;
    }
    try {
      await navigator.clipboard.writeText(url);
      kit.toast(button.dataset.copied);
    } catch {
      window.prompt("", url);
    }
  });
}

// --- comments ---------------------------------------------------------------------------------

const commentForm = document.querySelector("[data-comment-form]");
const commentList = document.querySelector("[data-comment-list]");
const commentTemplate = document.getElementById("comment-template");

function bumpComments(delta) {
  for (const element of document.querySelectorAll("[data-comment-count], [data-comment-total]")) {
    const value = Math.max(0, (Number(element.dataset.commentCount ?? element.textContent) || 0) + delta);
    if (element.hasAttribute("data-comment-count")) {
      element.dataset.commentCount = String(value);
      element.textContent = kit.compactCount(value);
    } else {
      element.textContent = String(value);
    }
  }
}

/** The Translate button of a comment in a language the reader does not read (translate.js
 * picks it up); the server decides the same for the comments it draws. */
function offerTranslation(node, c) {
  const button = node.querySelector("[data-translate]");
  const reads = (commentTemplate.dataset.reads || "").split(" ");
  const lang = c.lang || "und";
  if (!button) return;
  if (lang === "und" || reads.includes(lang.split("-")[0])) {
    button.closest(".translate").remove();
    return;
  }
  const key = `comment-${c.id}`;
  node.querySelector(".comment-text").dataset.tr = `${key}:text`;
  button.dataset.trKey = key;
  button.dataset.translate = `/api/v1/comments/${c.id}/translation?lang=${commentTemplate.dataset.translateTarget}`;
  if (commentTemplate.hasAttribute("data-auto-translate")) button.dataset.auto = "";
}

/** A comment from its JSON, cloned from <template id="comment-template">. */
function buildComment(c, isReply) {
  const node = commentTemplate.content.firstElementChild.cloneNode(true);
  const noteUrl = commentTemplate.dataset.noteUrl;
  node.id = `comment-${c.id}`;
  node.dataset.commentId = c.id;
  node.dataset.replyCount = String(c.counts.replies);
  if (isReply) node.classList.add("comment-reply");
  const profile = `/u/${c.author.username}`;
  const avatar = node.querySelector(".comment-avatar");
  avatar.href = profile;
  avatar.querySelector("img").src = c.author.avatar_url;
  if (isReply) avatar.querySelector("img").classList.replace("avatar-sm", "avatar-xs");
  const author = node.querySelector(".comment-author");
  author.href = profile;
  author.textContent = c.author.display_name;
  if (c.author.id !== commentTemplate.dataset.authorId) node.querySelector(".badge-author").remove();
  const replyTo = node.querySelector(".comment-reply-to");
  if (c.reply_to) {
    const link = replyTo.querySelector("a");
    link.href = `/u/${c.reply_to.username}`;
    link.textContent = c.reply_to.display_name;
  } else {
    replyTo.remove();
  }
  node.querySelector(".comment-text").replaceChildren(kit.richText(c.body));
  offerTranslation(node, c);
  const time = node.querySelector("time");
  time.dateTime = String(c.created_at);
  time.textContent = kit.formatDay(c.created_at);
  const reply = node.querySelector("[data-reply]");
  reply.href = `${noteUrl}?reply_to=${c.id}#comment-form`;
  reply.dataset.reply = c.id;
  reply.dataset.replyName = c.author.display_name;
  const remove = node.querySelector("[data-delete-comment]");
  if (c.viewer && c.viewer.can_delete) {
    remove.action = `/comments/${c.id}/delete`;
    remove.dataset.api = `/api/v1/comments/${c.id}`;
  } else {
    remove.remove();
  }
  const like = node.querySelector(".comment-like");
  const liked = Boolean(c.viewer && c.viewer.liked);
  like.action = `/comments/${c.id}/${liked ? "unlike" : "like"}`;
  like.dataset.api = `/api/v1/comments/${c.id}/like`;
  like.querySelector("button").setAttribute("aria-pressed", liked ? "true" : "false");
  const count = like.querySelector("[data-count]");
  count.dataset.count = String(c.counts.likes);
  count.textContent = c.counts.likes ? kit.compactCount(c.counts.likes) : "";
  const replies = node.querySelector(".replies");
  if (isReply) {
    replies.remove();
  } else {
    replies.dataset.repliesOf = c.id;
    for (const r of c.replies || []) replies.append(buildComment(r, true));
    const hidden = c.counts.replies - (c.replies || []).length;
    if (hidden > 0) {
      const more = document.createElement("a");
      more.className = "replies-more";
      more.href = `${noteUrl}/comments/${c.id}`;
      more.dataset.moreReplies = `/api/v1/comments/${c.id}/replies`;
      more.textContent = commentTemplate.dataset.moreReplies;
      node.append(more);
    }
  }
  return node;
}

function replyTo(id, name) {
  if (!commentForm) return;
  commentForm.elements.reply_to.value = id || "";
  const banner = commentForm.querySelector(".note-replying");
  banner.hidden = !id;
  banner.querySelector("[data-reply-name]").textContent = name || "";
  if (id) commentForm.elements.body.focus();
}

async function sendComment(event) {
  event.preventDefault();
  const form = commentForm;
  const input = form.elements.body;
  const error = form.querySelector(".note-comment-error");
  const send = form.querySelector("button[type=submit]");
  const body = input.value.trim();
  if (!body || send.getAttribute("aria-busy") === "true") return;
  const payload = { body };
  if (form.elements.reply_to.value) payload.reply_to = form.elements.reply_to.value;
  send.setAttribute("aria-busy", "true");
  error.hidden = true;
  try {
    const made = await kit.api("POST", form.dataset.api, payload);
    const node = buildComment(made, Boolean(made.parent_id));
    if (made.parent_id) {
      const parent = document.getElementById(`comment-${made.parent_id}`);
      if (parent) parent.dataset.replyCount = String((Number(parent.dataset.replyCount) || 0) + 1);
      parent?.querySelector(".replies")?.append(node);
    } else {
      commentList.prepend(node);
    }
    document.querySelector("[data-comments-empty]")?.remove();
    bumpComments(1);
    input.value = "";
    input.dispatchEvent(new Event("input"));
    replyTo(null);
    node.scrollIntoView({ block: "nearest", behavior: "smooth" });
  } catch (failure) {
    error.textContent = failure.message || document.querySelector("#board-picker")?.dataset.failed || "";
    error.hidden = false;
  } finally {
    send.removeAttribute("aria-busy");
  }
}

async function deleteComment(form) {
  try {
    await kit.api("DELETE", form.dataset.api);
  } catch (error) {
    kit.toast(error.message);
    return;
  }
  const item = form.closest(".comment");
  // A top-level comment takes its replies with it, shown or not.
  const removed = item.classList.contains("comment-reply") ? 1 : 1 + (Number(item.dataset.replyCount) || 0);
  const parent = item.parentElement.closest(".comment");
  if (parent) parent.dataset.replyCount = String(Math.max(0, (Number(parent.dataset.replyCount) || 0) - 1));
  item.remove();
  bumpComments(-removed);
}

async function moreReplies(link) {
  const list = link.closest(".comment").querySelector(".replies");
  const url = new URL(link.dataset.moreReplies, window.location.href);
  if (link.dataset.cursor) url.searchParams.set("cursor", link.dataset.cursor);
  try {
    const page = await kit.api("GET", url.pathname + url.search);
    for (const r of page.items) {
      if (!document.getElementById(`comment-${r.id}`)) list.append(buildComment(r, true));
    }
    if (page.next_cursor) link.dataset.cursor = page.next_cursor;
    else link.remove();
  } catch (error) {
    kit.toast(error.message || "");
  }
}

async function moreComments(link) {
  const url = new URL(link.dataset.moreComments, window.location.href);
  url.searchParams.set("cursor", link.dataset.cursor);
  try {
    const page = await kit.api("GET", url.pathname + url.search);
    for (const c of page.items) {
      if (!document.getElementById(`comment-${c.id}`)) commentList.append(buildComment(c, false));
    }
    if (page.next_cursor) link.dataset.cursor = page.next_cursor;
    else link.closest(".more").remove();
  } catch (error) {
    kit.toast(error.message || "");
  }
}

// --- wiring -------------------------------------------------------------------------------------

function wire() {
  kit.confirmForms();
  kit.paintPlaceholders(article || document);
  for (const root of document.querySelectorAll("[data-carousel]")) carousel(root);
  for (const button of document.querySelectorAll("[data-share]")) share(button);

  // Capture phase: handled (and default-prevented) before app.js's double-submit guard looks.
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (form.dataset.toggle) {
      event.preventDefault();
      toggle(form);
    } else if (form.hasAttribute("data-delete-comment") && commentTemplate) {
      event.preventDefault();
      deleteComment(form);
    }
  }, true);
  commentForm?.addEventListener("submit", sendComment);
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const reply = target?.closest("[data-reply]");
    if (reply && commentForm) {
      event.preventDefault();
      replyTo(reply.dataset.reply, reply.dataset.replyName);
      return;
    }
    if (target?.closest("[data-cancel-reply]")) {
      event.preventDefault();
      replyTo(null);
      return;
    }
    const replies = target?.closest("[data-more-replies]");
    if (replies) {
      event.preventDefault();
      moreReplies(replies);
      return;
    }
    const comments = target?.closest("[data-more-comments]");
    if (comments) {
      event.preventDefault();
      moreComments(comments);
    }
  });

  // Counted once per reader per day by the server; a failure here is not the reader's problem.
  if (article?.hasAttribute("data-count-view")) {
    kit.api("POST", `${noteApi}/view`).catch(() => {});
  }

  // The author's note waits for its media: look again every few seconds, then show it.
  if (document.querySelector("[data-poll-state]")) {
    let tries = 0;
    const poll = setInterval(async () => {
      tries += 1;
      if (tries > 200) clearInterval(poll);
      try {
        const note = await kit.api("GET", noteApi);
        if (note.state !== "processing") {
          clearInterval(poll);
          window.location.reload();
        }
      } catch {
        // Keep trying: the connection may come back.
      }
    }, 3000);
  }
}

wire();
