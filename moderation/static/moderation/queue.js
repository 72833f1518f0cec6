// Keyboard moderation: j/k move between cards, a approves, r picks a reject reason (Enter
// rejects), f features, ? opens the help. Keys are ignored while typing in a field.
(function () {
  "use strict";
  const cards = () => Array.from(document.querySelectorAll("[data-mod-card]"));
  // WCAG 2.1.4: single-key shortcuts can be turned off, by the switch that turns off Wagtail's own
  // (Account, Preferences, Keyboard shortcuts), which Wagtail hands its scripts in wagtail-config.
  // A key pressed by mistake, or a speech command heard as a letter, then decides nothing.
  function shortcutsOn() {
    const config = document.getElementById("wagtail-config");
    if (!config) return true;
    try {
      return JSON.parse(config.textContent).KEYBOARD_SHORTCUTS_ENABLED !== false;
    } catch (error) {
      return true;
    }
  }
  let current = -1;

  function focusCard(index) {
    const list = cards();
    if (!list.length) return;
    current = Math.max(0, Math.min(index, list.length - 1));
    list.forEach((card, i) => card.classList.toggle("mod-card--current", i === current));
    list[current].focus();
    list[current].scrollIntoView({ block: "nearest" });
  }

  function press(key) {
    const card = cards()[current];
    if (!card) return;
    const control = card.querySelector(`[data-mod-key="${key}"]`);
    if (!control) return;
    if (control.tagName === "SELECT") control.focus();
    else control.click();
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Enter" && target.matches('select[data-mod-key="r"]')) {
      // r then Enter: reject with the reason chosen in the focused list.
      event.preventDefault();
      target.form.requestSubmit(target.form.querySelector('button[value="reject"]'));
      return;
    }
    if (target.closest("input, textarea, select, [contenteditable]")) return;
    if (!shortcutsOn()) return;
    const help = document.querySelector("[data-mod-help]");
    switch (event.key) {
      case "j": focusCard(current + 1); break;
      case "k": focusCard(current - 1); break;
      case "a": press("a"); break;
      case "r": press("r"); break;
      case "f": press("f"); break;
      case "?": if (help) help.showModal(); break;
      default: return;
    }
    event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", () => {
    const open = document.querySelector("[data-mod-help-open]");
    const help = document.querySelector("[data-mod-help]");
    if (open && help) open.addEventListener("click", () => help.showModal());
    // A reject sent without a reason comes back with the note kept, and so does a refused author
    // action (a ban without a reason or unconfirmed, a note too long) or appeal decision: start
    // at the field the server marked to put right. Otherwise the page opens at its top (the
    // heading, the filters, what was just done), and j picks the first card: focusing it on
    // load scrolled a phone's screen past all of those.
    // The server sends the page to that field's own address (#review-7-reason), so the browser
    // focuses it too: sent to the card's, it focused the card after this script had run.
    const draft = document.querySelector(
      "[data-mod-draft], [data-mod-author-draft], [data-mod-appeal-draft], [data-mod-bulk-draft]"
    );
    if (draft) {
      const card = draft.closest("[data-mod-card]");
      if (card) focusCard(cards().indexOf(card)); // j and k go on from this card
      const field = draft.querySelector('[aria-invalid="true"]');
      if (field) field.focus();
      return;
    }
    // What was just done ("Approved the comment by ...") comes drawn in the page, in Wagtail's
    // messages, and a status region's words present when a page loads are not read out: so a
    // moderator who pressed a with a screen reader heard nothing. Said again in the queue's own
    // status region once the page has settled, it is announced (WCAG 4.1.3); there for screen
    // readers only, as the banner above already shows it (seen twice, it read as two actions).
    const status = document.getElementById("mod-live-status");
    const said = Array.from(document.querySelectorAll(".messages li"), (item) => {
      const words = item.cloneNode(true);
      words.querySelectorAll("button").forEach((button) => button.remove()); // "Go to the first error"
      return words.textContent.replace(/\s+/g, " ").trim();
    }).filter(Boolean).join(" ");
    if (said && status) {
      setTimeout(() => {
        if (status.textContent) return; // live news came first
        const words = document.createElement("span");
        words.className = "w-sr-only";
        words.textContent = said;
        status.replaceChildren(words);
      }, 400);
    }
  });
})();
