// Live queues (moderation.live_queue): comments that enter the queue shown wait behind an
// "N new in this queue - show" button, never put in under the moderator's eyes (WCAG 2.2.2),
// the count announced once per burst in a polite status (4.1.3); a card on the page that
// someone else decides meanwhile is marked with what was done and by whom, its deciding
// buttons off, so two moderators do not decide one comment twice unknowingly (the server
// refuses the second decision anyway: actions.DecidedSince). EventSource reconnects by itself
// with Last-Event-ID, so nothing is missed.
(function () {
  "use strict";
  const box = document.getElementById("mod-live");
  if (!box || !window.EventSource) return;
  const button = document.getElementById("mod-live-show");
  const status = document.getElementById("mod-live-status");
  const queue = box.dataset.queue;
  const article = box.dataset.article;
  let fresh = []; // ids of comments new to this queue, not on the page
  let announce = null;

  const cardOf = (comment) => document.querySelector(`[data-mod-card][data-comment="${comment}"]`);
  const say = (text) => { status.textContent = text; };
  const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

  function refresh() {
    fresh = fresh.filter((id) => !cardOf(id));
    if (!fresh.length) { button.hidden = true; return; }
    button.textContent = `${fresh.length} new in this queue \u2014 show`;
    button.hidden = false;
    clearTimeout(announce);
    announce = setTimeout(() => {
      if (fresh.length) say(`${plural(fresh.length, "new comment", "new comments")} in this queue. Use the button above the comments to show ${fresh.length === 1 ? "it" : "them"}.`);
    }, 1500);
  }

  // A card shown before someone else decided it: say what was done, and turn its deciding
  // buttons off (author actions stay: they are about the reader, not this comment).
  function markDecided(card, said) {
    card.classList.add("mod-card--decided");
    let note = card.querySelector(".mod-decided");
    if (!note) {
      note = document.createElement("p");
      note.className = "mod-decided";
      const head = card.querySelector(":scope > header");
      if (head) head.after(note);
      else card.prepend(note);
    }
    note.textContent = `${said} since this page was shown. Open the queue again to decide it.`;
    const held = document.activeElement;
    card.querySelectorAll(
      'button[name="action"][value="approve"], button[name="action"][value="feature"], ' +
      'button[name="action"][value="unfeature"], button[name="action"][value="reject"], ' +
      'button[name="decision"], input[name="review"]'
    ).forEach((control) => { control.disabled = true; });
    // A button turned off while it had focus drops it to the top of the page: it goes to the
    // card instead (focusable, for j and k), which now says what was done (WCAG 2.4.3).
    if (held && held.disabled && card.contains(held)) card.focus();
  }

  // The tabs' counts follow the events as they come: an event says which comment moved and
  // where, not which queue it left nor whether this page's author filter counts it, so the
  // counts are read again (at most once a second, however many events a burst brings). They
  // change silently: the polite status already says what there is to hear about this queue.
  let counting = null; // a read of the counts waiting or under way
  let recountAfter = false; // an event came while it was under way: read them once more after
  const countsUrl = new URL(box.dataset.counts, window.location.href);
  const author = new URL(window.location.href).searchParams.get("author");
  if (author) countsUrl.searchParams.set("author", author);
  function recount() {
    if (counting) { recountAfter = true; return; }
    counting = setTimeout(() => {
      recountAfter = false;
      fetch(countsUrl.toString(), { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .then((answer) => {
          if (!answer) return;
          Object.entries(answer.counts).forEach(([key, n]) => {
            const here = document.querySelector(`[data-queue-count="${key}"]`);
            if (here) here.textContent = n > 10000 ? "10,000+" : String(n);
          });
        })
        .catch(() => {})
        .then(() => {
          counting = null;
          if (recountAfter) recount();
        });
    }, 1000);
  }

  const url = box.dataset.events + (box.dataset.since ? `?since=${encodeURIComponent(box.dataset.since)}` : "");
  const source = new EventSource(url);
  source.addEventListener("open", () => { box.dataset.state = "open"; });
  source.addEventListener("error", () => { box.dataset.state = "reconnecting"; });

  function heard(data, onCard) {
    recount();
    const card = cardOf(data.comment);
    if (card) { onCard(card); return; }
    if (data.queue !== queue || fresh.includes(data.comment)) return;
    if (article && data.thread && String(data.thread) !== article) return; // filtered to another
    fresh.push(data.comment);
    refresh();
  }
  source.addEventListener("decided", (message) => {
    const data = JSON.parse(message.data);
    heard(data, (card) => {
      markDecided(card, "Decided");
      // The event carries ids only: the words, and who, come from the admin.
      fetch(box.dataset.decision.replace(/0\/$/, `${data.action}/`), { credentials: "same-origin" })
        .then((response) => (response.ok ? response.json() : null))
        .then((answer) => { if (answer) markDecided(card, answer.said); })
        .catch(() => {});
      say("A comment on this page was decided since it was shown: its card says how.");
    });
  });
  source.addEventListener("reported", (message) => {
    heard(JSON.parse(message.data), (card) => {
      markDecided(card, "Reported again by a reader");
      say("A comment on this page was reported again: its card says so.");
    });
  });
  source.addEventListener("appealed", (message) => {
    heard(JSON.parse(message.data), (card) => {
      markDecided(card, "Appealed by its author");
    });
  });
  // Comments that entered a queue together (an import's batch): one event names them all.
  source.addEventListener("entered", (message) => {
    const data = JSON.parse(message.data);
    recount();
    if (data.queue !== queue) return;
    data.comments.forEach(([comment, thread]) => {
      if (cardOf(comment) || fresh.includes(comment)) return;
      if (article && String(thread) !== article) return; // filtered to another
      fresh.push(comment);
    });
    refresh();
  });
  source.addEventListener("resync", () => {
    // Too much was missed to tell what: offer the queue again.
    recount();
    button.dataset.reload = "true";
    if (!button.dataset.warned) button.textContent = "The queue has changed \u2014 show it again";
    button.hidden = false;
  });

  // What a moderator has put into a card and not sent (a reason, a note, a tick): drawing the
  // queue again would throw it away.
  function unsent() {
    return Array.from(document.querySelectorAll("[data-mod-card] input, [data-mod-card] select, [data-mod-card] textarea")).some((field) => {
      if (field.type === "hidden") return false;
      if (field.type === "checkbox") return field.checked !== field.defaultChecked;
      if (field.tagName === "SELECT") return Array.from(field.options).some((option) => option.selected !== option.defaultSelected);
      return field.value !== field.defaultValue;
    });
  }

  // Show: the queue's first page is read again and the announced cards go in above the others,
  // focus on the first; cards already here keep whatever the moderator typed in them.
  button.addEventListener("click", () => {
    const address = new URL(window.location.href);
    address.searchParams.delete("before");
    address.hash = "";
    if (button.dataset.reload) {
      // As on the article page: with something typed and not sent, the first press says so
      // and keeps it; a second press shows the queue again anyway.
      if (!button.dataset.warned && unsent()) {
        button.dataset.warned = "true";
        button.textContent = "The queue has changed \u2014 show it again (what you have typed and not sent will be lost)";
        say("Showing the queue again would lose what you have typed into a card and not sent. " +
          "Send it or copy it first, or press the button again to show the queue anyway.");
        return;
      }
      window.location.assign(address.toString());
      return;
    }
    const asked = fresh.slice();
    const pressed = document.activeElement === button; // from the keyboard, or focused anyway
    button.disabled = true;
    fetch(address.toString(), { credentials: "same-origin" })
      .then((response) => { if (!response.ok) throw new Error(String(response.status)); return response.text(); })
      .then((html) => {
        const page = new DOMParser().parseFromString(html, "text/html");
        const list = document.querySelector("[data-mod-cards]");
        // In the order the queue lists them, above the cards shown before.
        const anchor = list.firstChild;
        const added = [];
        page.querySelectorAll("[data-mod-cards] [data-mod-card]").forEach((card) => {
          // Only those announced: cards that moved up into the first page meanwhile are not new.
          if (!asked.includes(Number(card.dataset.comment))) return;
          if (cardOf(card.dataset.comment) || document.getElementById(card.id)) return;
          added.push(list.insertBefore(document.importNode(card, true), anchor));
        });
        const shown = added.length;
        const empty = list.querySelector("[data-mod-empty]");
        if (empty && shown) empty.remove();
        page.querySelectorAll("[data-queue-count]").forEach((count) => {
          const here = document.querySelector(`[data-queue-count="${count.dataset.queueCount}"]`);
          if (here) here.textContent = count.textContent;
        });
        fresh = fresh.filter((id) => !asked.includes(id));
        refresh();
        if (shown) {
          say(`${plural(shown, "new comment", "new comments")} shown.`);
          added[0].focus();
        } else {
          say("The new comments are no longer in this queue, or not among those this page is filtered to.");
          // The button hides with nothing to show: focus, which was on it, goes to what stands
          // where it was (the first card, or "Nothing in this queue."), not to the top of the page.
          const next = list.querySelector("[data-mod-card], [data-mod-empty]");
          if (pressed && button.hidden && next) {
            if (!next.hasAttribute("tabindex")) next.tabIndex = -1;
            next.focus();
          }
        }
      })
      .catch(() => { say("The new comments could not be loaded. Try again in a moment."); })
      .then(() => { button.disabled = false; });
  });
})();
