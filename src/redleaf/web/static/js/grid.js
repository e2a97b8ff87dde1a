// The note grid (Explore, profiles, boards): a masonry of columns and infinite scroll. Without
// this file the grid is CSS columns with a "More" link to the next page, which still works.

const kit = await import(document.querySelector('meta[name="redleaf-notes-kit"]').content);

/** Deals the cards into as many columns as the CSS asks for (its `column-count` at this width),
 * each card to the shortest column, in reading order, so new pages never reshuffle old ones. */
class Masonry {
  constructor(grid) {
    this.grid = grid;
    this.cards = [...grid.querySelectorAll(":scope > .note-card")];
    this.columns = [];
    grid.classList.add("is-masonry");
    this.layout();
    new ResizeObserver(() => this.layout()).observe(grid);
  }

  wanted() {
    const count = Number.parseInt(getComputedStyle(this.grid).columnCount, 10);
    return Number.isFinite(count) && count > 0 ? count : 2;
  }

  layout() {
    const count = this.wanted();
    if (count === this.columns.length) return;
    this.columns = Array.from({ length: count }, () => {
      const column = document.createElement("div");
      column.className = "note-col";
      return column;
    });
    this.grid.replaceChildren(...this.columns);
    for (const card of this.cards) this.place(card);
  }

  place(card) {
    // Heights are known before images load: every cover has width and height attributes.
    let shortest = this.columns[0];
    for (const column of this.columns) {
      if (column.offsetHeight < shortest.offsetHeight) shortest = column;
    }
    shortest.append(card);
  }

  add(card) {
    this.cards.push(card);
    this.place(card);
  }
}

function setUp(grid) {
  kit.paintPlaceholders(grid);
  const masonry = new Masonry(grid);
  const box = grid.nextElementSibling?.classList.contains("grid-more") ? grid.nextElementSibling : null;
  const link = box?.querySelector("[data-more]");
  const template = document.getElementById("note-card-template");
  if (!box || !link || !template || !grid.dataset.feed) return;

  let cursor = link.dataset.cursor;
  let loading = false;
  const label = link.textContent;
  const seen = new Set(masonry.cards.map((card) => card.dataset.noteId));

  async function loadMore() {
    if (loading || !cursor) return;
    loading = true;
    link.textContent = grid.dataset.loading;
    link.setAttribute("aria-busy", "true");
    try {
      const url = new URL(grid.dataset.feed, window.location.href);
      url.searchParams.set("cursor", cursor);
      const page = await kit.api("GET", url.pathname + url.search);
      for (const note of page.items) {
        if (seen.has(note.id)) continue;
        seen.add(note.id);
        masonry.add(kit.buildCard(template, note));
      }
      cursor = page.next_cursor;
      if (!cursor) {
        observer.disconnect();
        box.replaceChildren(grid.dataset.end);
        box.classList.add("grid-end");
        return;
      }
      // The link keeps pointing at the next page: it still works when opened in a new tab.
      const next = new URL(link.href);
      next.searchParams.set("cursor", cursor);
      link.href = next.pathname + next.search;
      link.textContent = label;
      // Observing again reports at once whether the end is still in reach (a short page).
      observer.unobserve(box);
      observer.observe(box);
    } catch {
      link.textContent = grid.dataset.failed;
    } finally {
      loading = false;
      link.removeAttribute("aria-busy");
    }
  }

  // Start fetching well before the reader reaches the end.
  const observer = new IntersectionObserver(
    (entries) => {
      if (entries.some((entry) => entry.isIntersecting)) loadMore();
    },
    { rootMargin: "0px 0px 900px 0px" },
  );
  observer.observe(box);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    loadMore();
  });
}

for (const grid of document.querySelectorAll("[data-grid]")) setUp(grid);
// Board tiles and other covers outside a grid still get their placeholder colour.
kit.paintPlaceholders(document.querySelector(".board-tiles") || document.createElement("div"));
kit.confirmForms();
