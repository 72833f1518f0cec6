// Live blog: fetch entries newer than the newest one on the page every few seconds, hold them
// back until the reader presses "Show new updates" (so the text never jumps while they read),
// and let the reader pause fetching altogether. Without JavaScript, reloading shows everything.
(function () {
  "use strict";
  const blog = document.querySelector("[data-live-blog]");
  if (!blog) return;
  const list = blog.querySelector(".live-entries");
  const show = blog.querySelector("[data-live-show]");
  const pause = blog.querySelector("[data-live-pause]");
  const held = [];
  let latest = Number(blog.dataset.latest) || 0;
  let paused = false;

  function label() {
    show.textContent = held.length === 1 ? "Show 1 new update" : `Show ${held.length} new updates`;
    show.hidden = held.length === 0;
  }

  async function poll() {
    if (paused || document.hidden) return;
    try {
      const response = await fetch(`${blog.dataset.liveUrl}?after=${latest}`, {
        headers: { Accept: "text/html" },
      });
      if (!response.ok) return;
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      const fresh = [...template.content.querySelectorAll("[data-entry-id]")];
      for (const entry of fresh.reverse()) {
        latest = Math.max(latest, Number(entry.dataset.entryId));
        held.unshift(entry);
      }
      label();
    } catch (error) {
      // Offline for a moment: try again at the next tick.
    }
  }

  show.addEventListener("click", () => {
    list.prepend(...held.splice(0));
    label();
    list.querySelector("[data-entry-id]")?.focus?.();
  });
  pause.hidden = false;
  pause.addEventListener("click", () => {
    paused = !paused;
    pause.setAttribute("aria-pressed", String(paused));
    pause.textContent = paused ? "Resume live updates" : "Pause live updates";
  });
  setInterval(poll, (Number(blog.dataset.pollSeconds) || 20) * 1000);
})();
