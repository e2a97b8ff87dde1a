// Live notifications for signed-in members: the nav badge on every page, new lines on the
// notifications page, and "read" when a line is opened. Loaded only for members (base.html).
//
// One open tab holds the EventSource (a Web Lock elects it) and shares what it hears with the
// other tabs over a BroadcastChannel: browsers allow only six HTTP/1.1 connections per site, and
// one stream per tab would use them up. Without those APIs each tab opens its own stream.
// Everything shown comes already translated from the server; text is set with textContent.

const badge = document.querySelector("[data-notifications-badge]");
const list = document.querySelector("[data-notifications-list]");
const CHANNEL = "redleaf-notifications";

/** The badge (and the list page's summary line) show `count` unread notifications. */
function showCount(count) {
  if (badge) {
    const number = badge.querySelector("[data-count]");
    if (number) number.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = !count;
  }
  const summary = document.querySelector("[data-notifications-summary]");
  if (summary) {
    const wording = !count ? summary.dataset.none : count === 1 ? summary.dataset.one : summary.dataset.other;
    if (wording) summary.textContent = wording.replace("{n}", String(count));
  }
}

/** The per-tab counts on the list page, from the unread count of each kind. */
function showTabCounts(byKind) {
  for (const tab of document.querySelectorAll("[data-tab-kinds]")) {
    const kinds = tab.dataset.tabKinds.split(" ").filter(Boolean);
    let sum = 0;
    for (const [kind, n] of Object.entries(byKind)) {
      if (!kinds.length || kinds.includes(kind)) sum += n;
    }
    let count = tab.querySelector(".notif-tab-count");
    if (!sum) {
      count?.remove();
      continue;
    }
    if (!count) {
      count = document.createElement("span");
      count.className = "notif-tab-count";
      count.setAttribute("aria-hidden", "true");
      tab.querySelector(".notif-tab-icon")?.append(count);
    }
    count.textContent = sum > 99 ? "99+" : String(sum);
  }
}

function cloneKindIcon(kind) {
  const icons = document.getElementById("notification-kinds");
  const found = icons?.content.querySelector(`[data-kind="${CSS.escape(kind)}"] svg`);
  return found ? found.cloneNode(true) : null;
}

/** A list line for `item` (the stream's JSON), shaped like notifications/_line.html. */
function buildLine(item) {
  const template = document.getElementById("notification-template");
  if (!template) return null;
  const line = template.content.firstElementChild.cloneNode(true);
  line.dataset.group = item.group;
  line.dataset.kind = item.kind;
  line.classList.toggle("is-unread", Boolean(item.unread));

  const link = line.querySelector(".notif-link");
  link.href = item.url;

  const avatars = line.querySelector(".notif-avatars");
  const kindBadge = avatars.querySelector(".notif-kind");
  avatars.classList.toggle("is-stacked", item.actors.length > 1);
  for (const actor of item.actors) {
    const img = document.createElement("img");
    img.className = "avatar notif-avatar";
    img.src = actor.avatar_url;
    img.alt = "";
    img.width = 44;
    img.height = 44;
    avatars.insertBefore(img, kindBadge);
  }
  kindBadge.classList.add(`notif-kind-${item.kind}`);
  const icon = cloneKindIcon(item.kind);
  if (icon) kindBadge.append(icon);

  const text = line.querySelector(".notif-text");
  const unreadLabel = text.querySelector(".notif-unread-label");
  if (!item.unread) unreadLabel.remove();
  for (const part of item.parts) {
    if (part.username) {
      const strong = document.createElement("strong");
      strong.textContent = part.text;
      text.append(strong);
    } else {
      text.append(document.createTextNode(part.text));
    }
  }

  const excerpt = line.querySelector(".notif-excerpt");
  if (item.comment) excerpt.textContent = item.comment.excerpt;
  else excerpt.remove();

  const time = line.querySelector(".notif-time");
  time.dateTime = item.created_at;
  time.textContent = item.when;

  const photo = line.querySelector("img.notif-thumb");
  const textThumb = line.querySelector(".notif-thumb-text");
  if (item.note?.cover?.url) {
    photo.src = item.note.cover.url;
    textThumb.remove();
  } else if (item.note) {
    textThumb.firstElementChild.textContent = item.note.title;
    photo.remove();
  } else {
    photo.remove();
    textThumb.remove();
  }

  const follow = line.querySelector(".notif-action");
  if (item.follow_back && item.actors.length) {
    follow.action = `/u/${encodeURIComponent(item.actors[0].username)}/follow`;
  } else {
    follow.remove();
  }
  return line;
}

/** On the first page of the list, put a line that changed on top (replacing its old self). */
function showLine(item) {
  if (!list || list.dataset.live !== "true") return;
  const kinds = (list.dataset.kinds || "").split(" ").filter(Boolean);
  if (kinds.length && !kinds.includes(item.kind)) return;
  const line = buildLine(item);
  if (!line) return;
  for (const old of list.querySelectorAll("[data-group]")) {
    if (old.dataset.group === item.group) old.remove();
  }
  line.classList.add("is-new");
  list.prepend(line);
  list.hidden = false;
  document.querySelector("[data-notifications-empty]")?.remove();
}

let lastCounts = null; // the latest {count, by_kind}, for tabs that open later

/** What every tab does with a message, whichever tab heard it from the server. */
function apply(message) {
  if (typeof message?.count === "number") {
    lastCounts = { count: message.count, by_kind: message.by_kind };
    showCount(message.count);
  }
  if (message?.by_kind) showTabCounts(message.by_kind);
  if (message?.item) showLine(message.item);
}

/** Open the stream in this tab; `share` passes each message on to the other tabs. */
function listen(share) {
  const source = new EventSource(badge.dataset.stream);
  const relay = (message) => {
    apply(message);
    share(message);
  };
  source.addEventListener("unread", (event) => {
    const data = JSON.parse(event.data);
    relay({ count: data.count, by_kind: data.by_kind });
  });
  source.addEventListener("notification", (event) => {
    const data = JSON.parse(event.data);
    relay({ count: data.count, by_kind: data.by_kind, item: data.item });
  });
  // A 401 (signed out elsewhere) closes the EventSource for good; network errors retry by
  // themselves after the server's `retry:` delay, resuming from the last event id.
  return source;
}

function start() {
  const channel = "BroadcastChannel" in window ? new BroadcastChannel(CHANNEL) : null;
  if (!channel || !navigator.locks) {
    listen(() => {});
    return;
  }
  let leading = false;
  channel.addEventListener("message", (event) => {
    if (event.data?.hello) {
      if (leading && lastCounts) channel.postMessage(lastCounts);
      return;
    }
    apply(event.data);
  });
  // The lock is held for the life of this page; when the leading tab goes, another takes over.
  navigator.locks.request(CHANNEL, () => {
    leading = true;
    listen((message) => channel.postMessage(message));
    return new Promise(() => {});
  });
  channel.postMessage({ hello: true }); // the leader answers with the current count
}

/** Opening a line marks its group read, without waiting (the page unloads right after). */
function markReadOnOpen() {
  if (!list) return;
  const token = document.querySelector('meta[name="csrf-token"]')?.content || "";
  list.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("[data-notification-link]") : null;
    const line = link?.closest(".notif.is-unread");
    if (!line) return;
    fetch("/api/v1/notifications/read", {
      method: "POST",
      keepalive: true,
      credentials: "same-origin",
      headers: { "content-type": "application/json", "x-csrf-token": token },
      body: JSON.stringify({ groups: [line.dataset.group] }),
    }).catch(() => {});
  });
}

if (badge?.dataset.stream) start();
markReadOnOpen();
