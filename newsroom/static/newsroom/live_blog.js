// Live blog: when the page's live stream (opened by site.js, one per page) says new entries were
// published, fetch the entries newer than the newest one here and hold them back until the reader
// presses "Show new updates", so the text never jumps while they read. The pause toggle stops
// fetching until the reader presses it again. Without JavaScript, reloading shows everything.
(function () {
  "use strict";
  const blog = document.querySelector("[data-live-blog]");
  if (!blog) return;
  const list = blog.querySelector(".live-entries");
  const show = blog.querySelector("[data-live-show]");
  const pause = blog.querySelector("[data-live-pause]");
  const status = blog.querySelector("[data-live-status]");
  const held = [];
  let announceTimer = null;
  let latest = Number(blog.dataset.latest) || 0;
  let paused = false;
  let missed = false;

  function label() {
    show.textContent = held.length === 1 ? "Show 1 new update" : `Show ${held.length} new updates`;
    show.hidden = held.length === 0;
  }

  // Said by the status region, once for a burst of entries rather than once for each; the
  // button's own text is not announced when it first appears.
  function announce() {
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => {
      const n = held.length;
      if (!n || !status) return;
      status.textContent = n === 1
        ? "1 new update published. Use the button above the updates to show it."
        : `${n} new updates published. Use the button above the updates to show them.`;
    }, 1500);
  }

  async function fetchNew() {
    if (paused) { missed = true; return; }
    try {
      const response = await fetch(`${blog.dataset.liveUrl}?after=${latest}`, {
        headers: { Accept: "text/html" },
      });
      if (!response.ok) return;
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      const fresh = [...template.content.querySelectorAll("[data-entry-id]")];
      let added = false;
      for (const entry of fresh.reverse()) {
        const id = Number(entry.dataset.entryId);
        if (id <= latest && document.getElementById(entry.id)) continue;
        latest = Math.max(latest, id);
        entry.tabIndex = -1;
        held.unshift(entry);
        added = true;
      }
      label();
      if (added) announce();
    } catch (error) {
      missed = true; // offline for a moment: the next event, or resuming, fetches again
    }
  }

  // site.js relays the stream's "entries" events (and "resync", with no detail).
  document.addEventListener("broadsheet:entries", (event) => {
    const newest = event.detail && Number(event.detail.latest);
    if (!newest || newest > latest) fetchNew();
  });

  show.addEventListener("click", () => {
    list.prepend(...held.splice(0));
    label();
    // Emptied, so that news of the next entries is a change the screen reader says, even in
    // the same words.
    if (status) status.textContent = "";
    list.querySelector("[data-entry-id]")?.focus?.();
  });
  pause.hidden = false;
  // A toggle button: its name stays "Pause live updates" and only aria-pressed says whether it
  // is on (a screen reader says "pressed"), as the style shows sighted readers. Changing the
  // name too would read as "Resume live updates, pressed", which contradicts itself.
  pause.addEventListener("click", () => {
    paused = !paused;
    pause.setAttribute("aria-pressed", String(paused));
    if (!paused && missed) { missed = false; fetchNew(); }
  });
  // A browser without EventSource still gets updates, by asking now and then.
  if (!window.EventSource) setInterval(fetchNew, (Number(blog.dataset.pollSeconds) || 20) * 1000);
})();
