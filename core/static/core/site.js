// Progressive enhancement only: every control here also works without JavaScript.
(function () {
  "use strict";
  // Let htmx swap in the server's answer to a refused form (422), a rate limit (429), or a write
  // the rate limits could not count while Redis is down (503, marked X-Refused: unreachable by
  // core.middleware.unreachable_in_place), so the reader sees the message beside their text
  // instead of nothing. Any other 503 (the site's whole "Try again" page, a proxy's) is not the
  // form, and is said beside it below (htmx:responseError).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var status = xhr.status;
    if (status === 422 || status === 429 ||
        (status === 503 && xhr.getResponseHeader("X-Refused") === "unreachable")) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  // Any other refusal (403, a server error) or no answer at all would leave the reader pressing
  // a button that does nothing. Their text stays where it is, and a message beside the control
  // (role=alert, so it is announced) says what happened and what to do. A refused security token
  // (X-Refused: csrf) almost always means the reader signed in or out in another tab, which
  // renews the cookie's secret: the page takes the cookie's current token, so sending again
  // works.
  function renewToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (!match) return false;
    var token = decodeURIComponent(match[1]);
    document.body.setAttribute("hx-headers", JSON.stringify({ "X-CSRFToken": token }));
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
    return true;
  }
  function requestTrouble(elt, text) {
    var form = elt.closest("form");
    var message = document.createElement("p");
    message.className = "request-error";
    message.setAttribute("role", "alert");
    message.textContent = text;
    if (form) {
      var old = form.querySelector(":scope > .request-error");
      if (old) old.remove();
      // Just above the button the reader pressed, where they are looking.
      var button = form.querySelector("[type=submit]");
      var anchor = button && (button.parentElement === form ? button : button.closest("form > *"));
      form.insertBefore(message, anchor || null);
    } else {
      var holder = elt.closest(".reaction") || elt;
      var next = holder.nextElementSibling;
      if (next && next.classList.contains("request-error")) next.remove();
      holder.insertAdjacentElement("afterend", message);
    }
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    var form = elt.closest && elt.closest("form");
    var old = form ? form.querySelector(":scope > .request-error")
      : elt.closest && (elt.closest(".reaction") || elt).nextElementSibling;
    if (old && old.classList.contains("request-error")) old.remove();
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var typed = event.detail.elt.closest && event.detail.elt.closest("form") &&
      event.detail.elt.closest("form").querySelector("textarea");
    var text;
    if (xhr.status === 403 && xhr.getResponseHeader("X-Refused") === "csrf") {
      text = renewToken()
        ? "This page's security check had run out (did you sign in or out in another tab?). " +
          (typed ? "It has been renewed and your text is still here: please send again."
            : "It has been renewed: please press again.")
        : "This page's security check has run out and your browser has no new one. " +
          (typed ? "Copy your text, reload the page, then send again." : "Reload the page.");
    } else if (xhr.status === 413) {
      // Over what the site reads at all (core.views.bad_request): a pasted file, megabytes of
      // text. Reloading, as the generic message advised, would throw the text away.
      text = "That is far too long to send, so nothing was sent or changed. " +
        (typed ? "Your text is still here: shorten it (the limit is under the box), then send again."
          : "Shorten it, then send again.");
    } else if (xhr.status >= 500) {
      text = "Something went wrong on our side, and nothing was changed. " +
        (typed ? "Your text is still here: please try again in a moment."
          : "Please try again in a moment.");
    } else {
      text = "That was refused (error " + xhr.status + "), and nothing was changed. Reload the " +
        "page to see the discussion as it is now.";
    }
    requestTrouble(event.detail.elt, text);
  });
  document.addEventListener("htmx:sendError", function (event) {
    requestTrouble(event.detail.elt, "We could not reach the site, so nothing was sent. " +
      "Check your connection; your text is still here, so you can send again.");
  });
  // htmx puts its answer in the page at once but takes over the controls in it only as they
  // settle, a moment later. A press in between, such as the second of two quick presses of
  // Recommend, was the browser's own submit of the form, reloading the page. htmx takes them over
  // as soon as they are in the page instead (doing it again as they settle changes nothing), so
  // every press after the first's answer is htmx's; one before it is dropped (hx-sync).
  document.addEventListener("htmx:afterSwap", function (event) {
    if (window.htmx && event.target instanceof Element) window.htmx.process(event.target);
  });
  // Ignore and Stop ignoring (discussion.ignore_views) swap the pressed comment's first element:
  // the collapsed line (a details element) or the comment itself. The same member's other
  // comments on the page follow it (their profile link names them; no other id is in the page),
  // and focus goes to what now stands in the pressed comment's place: the collapsed line, or the
  // Ignore button. A refusal comes back as the comment was, its reason by the button.
  function followAlike(href, done, ignoring) {
    document.querySelectorAll("li.comment .comment__profile").forEach(function (link) {
      if (link.getAttribute("href") !== href || done.contains(link)) return;
      var article = link.closest("article");
      var wrapper = article && article.parentElement.tagName === "DETAILS" ? article.parentElement : null;
      if (!article || article.parentElement.tagName !== "LI" && !wrapper) return;
      if (ignoring && !wrapper) {
        var details = document.createElement("details");
        details.className = "comment__ignored";
        details.appendChild(done.querySelector("summary").cloneNode(true));
        article.before(details);
        details.appendChild(article);
      } else if (!ignoring && wrapper) {
        wrapper.before(article);
        wrapper.remove();
      } else {
        return;
      }
      var button = article.querySelector(".comment__ignore");
      if (button) {
        button.value = ignoring ? "off" : "on";
        button.firstChild.nodeValue = ignoring ? "Stop ignoring" : "Ignore";
      }
    });
  }
  document.addEventListener("htmx:afterSettle", function (event) {
    var button = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!button || !button.classList || !button.classList.contains("comment__ignore")) return;
    if (button.dataset.settled) return;  // once, though the status region settles too
    button.dataset.settled = "true";
    var comment = document.getElementById(button.id.replace("ignore-", "c-"));
    var first = comment && comment.firstElementChild;
    if (!first) return;
    var ignoring = first.tagName === "DETAILS";
    if (event.detail.xhr.status === 200) {
      var link = first.querySelector(".comment__profile");
      if (link) followAlike(link.getAttribute("href"), first, ignoring);
    }
    var target = ignoring && !first.open ? first.querySelector("summary")
      : document.getElementById(button.id);
    if (target) target.focus();
  });
  // The profile's Stop ignoring takes its line away: focus goes to the next line's button (or
  // the one before, or the list's heading), not to the top of the page with the gone button.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = event.detail.requestConfig && event.detail.requestConfig.elt;
    var line = form && form.closest && form.closest(".reader-profile__ignored-line");
    if (!line) return;
    var near = line.nextElementSibling || line.previousElementSibling;
    var entry = form.querySelector("input[name=entry]").value;
    document.addEventListener("htmx:afterSettle", function settled() {
      document.removeEventListener("htmx:afterSettle", settled);
      var again = document.querySelector(".reader-profile__ignored-line input[name=entry][value='" +
        entry + "']");
      var target = again ? again.form.querySelector("button")
        : (near && near.isConnected && near.querySelector("button")) ||
          document.getElementById("ignoring-heading");
      if (target) target.focus();
    });
  });
  // "Cancel reply" on an inline reply form removes that form instead of reloading the page.
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-cancel-reply]");
    if (!cancel) return;
    var form = cancel.closest("form");
    if (form && form.id !== "comment-form") {
      event.preventDefault();
      var slot = form.parentElement;
      form.remove();
      if (slot) releasePlace(slot); // the room held for the form, if any is left (below)
      var reply = slot && slot.closest("article") && slot.closest("article").querySelector(".comment__reply");
      if (reply) reply.focus();
    }
  });
  // Reply pressed again while its form is open under the comment goes to that form, and Report
  // to its report form (the reason chosen, or the first): fetching either afresh would put an
  // empty form in its place and throw away what the reader had typed or chosen.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var link = event.detail.elt;
    if (!link || !link.classList) return;
    var reply = link.classList.contains("comment__reply");
    if (!reply && !link.classList.contains("comment__report")) return;
    var slot = document.querySelector(link.getAttribute("hx-target"));
    var open = slot && (reply ? slot.querySelector("form textarea")
      : slot.querySelector(".report-form input[type=radio]:checked") ||
        slot.querySelector(".report-form input[type=radio]"));
    if (!open) return;
    event.preventDefault();
    open.focus();
  });
  // A freshly inserted reply form takes focus in its textarea; a report form in its first
  // reason (the required choice), not in the optional note below it; the prompt to sign in
  // that a guest's Reply brings on a discussion for members only, itself, so it is read whole.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("reply-slot")) {
      var report = target.querySelector(".report-form");
      var box = report ? report.querySelector("input[type=radio]:checked, input[type=radio]")
        : target.querySelector("textarea") || target.querySelector(".reply-sign-in");
      if (box) box.focus();
    }
  });
  // "Cancel" on a report form under a comment, or Escape inside it, closes the form and puts
  // focus back on the Report link that opened it. (Without JavaScript, Cancel is a link back.)
  function closeReport(form) {
    var slot = form.parentElement;
    if (!slot || !slot.classList.contains("reply-slot")) return false;
    form.remove();
    releasePlace(slot); // the room held for the form, if any is left (below)
    var link = document.querySelector(".comment__report[hx-target='#" + slot.id + "']");
    if (link) link.focus();
    return true;
  }
  document.addEventListener("click", function (event) {
    var cancel = event.target.closest("[data-cancel-report]");
    if (cancel && closeReport(cancel.closest("form"))) event.preventDefault();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var form = event.target.closest(".report-form");
    if (form && closeReport(form)) event.preventDefault();
  });
  // htmx says an answer has settled (afterSettle) on what it put in the page. The last page of
  // "Show more replies" or "Show more comments" puts nothing in the place of the control that
  // asked for it (there is no more to offer), so htmx has nothing to say it on, and the handlers
  // below that wait for it (focus to the first reply that came, a posted reply giving way to the
  // same reply in its own place) never ran. htmx's afterRequest still reaches the document then,
  // from what is left of the page, so it is said here for htmx, with the same details.
  document.addEventListener("htmx:afterRequest", function (event) {
    var target = event.detail.target;
    if (!target || target.isConnected) return;
    document.dispatchEvent(new CustomEvent("htmx:afterSettle", { detail: event.detail }));
  });
  // A reply the reader posted, or one live updates put in, sits at the end of its list, out of
  // its place, until the replies before it are shown (data-live). "Show N more replies" and
  // "Show N earlier replies" tell the server which those are (shown=ids), so the count of the
  // next control leaves them out and each press brings a page of replies new to the reader.
  document.addEventListener("htmx:configRequest", function (event) {
    var control = event.detail.elt;
    var holder = control && control.closest && control.closest(".replies__more");
    if (!holder) return;
    var list = holder.classList.contains("replies__gap") ? holder.parentElement
      : document.getElementById("replies-" + holder.id.slice("replies-more-".length));
    if (!list) return;
    var ids = [];
    list.querySelectorAll(":scope > li.comment[data-live]").forEach(function (item) {
      ids.push(item.id.slice("c-".length));
    });
    if (ids.length) event.detail.parameters.shown = ids.join(",");
  });
  // "Show more replies" appends the next replies to the list; "Show N earlier replies" puts
  // them in place of its own list item. Either way focus moves to the first reply that came (the
  // status says how many), so reading and Tab go on from there rather than from the top of the
  // page, where focus would fall when the pressed control is replaced.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var control = event.detail.target;
    if (!event.detail.shouldSwap || !control || !control.classList) return;
    var list;
    if (control.classList.contains("replies__gap")) {
      list = control.parentElement;
    } else if (control.id && control.id.indexOf("replies-more-") === 0) {
      list = document.getElementById("replies-" + control.id.slice("replies-more-".length));
    } else if (control.id === "comments-more") {
      list = document.getElementById("comment-list");
    } else {
      return;
    }
    if (!list) return;
    // The first comment in the list that was not there before came with the answer. (The last
    // one before cannot mark the place: a reply the reader has just posted sits last, and gives
    // way to the same reply arriving in its own place, leaving nothing after it.)
    var had = new Set(list.children);
    document.addEventListener("htmx:afterSettle", function settled(done) {
      if (done.detail.target !== control) return;
      document.removeEventListener("htmx:afterSettle", settled);
      for (var item = list.firstElementChild; item; item = item.nextElementSibling) {
        if (item.classList.contains("comment") && !had.has(item)) { item.focus(); return; }
      }
    });
  });
  // On a slow network what "Show N more replies", "Show N earlier replies" and "Show more
  // comments" ask for, and the form Reply or Report asks for, come a second or more after the
  // tap: later than the half second in which a browser takes a move on the screen for the
  // reader's own doing. Put in then, they pushed what was below them (the next comment, where
  // the reader was reading) down under the reader's eyes. So their place is held from the tap, as
  // a least height (min-height) of the element they will go in (placeFor), set through the
  // CSSOM, which the site's Content-Security-Policy allows (core.csp): as much more as they are
  // likely to need (replies and comments: as many as are coming, each as tall as those shown
  // beside them; a form: as tall as the comment form on the page), but no further than the foot
  // of the screen (below it, a move is not seen). Once they are in, the least height goes if they
  // fill it; if not, it stays, so nothing below moves, until it is out of sight (scrolled past,
  // when the browser's scroll anchoring keeps what is on the screen where it is, or not yet
  // reached). No answer to put in (a refusal, no connection) gives the room back at once.
  var heldPlaces = new WeakMap(); // a request's xhr -> the element holding its answer's place
  // How tall a list's comments are, each on average (with their replies and the room between).
  function eachOf(list) {
    var shown = list ? list.querySelectorAll(":scope > li.comment").length : 0;
    return shown ? list.getBoundingClientRect().height / shown : 0;
  }
  // Where a control's answer goes, held while it comes: the element that holds the place (box),
  // the room the answer is likely to need, and what the place says meanwhile; null for a
  // control whose answer is not held for. The box is what the answer goes in (the reply or report
  // slot; the comment whose replies "Show N more replies" adds), or else the control's own, which
  // the answer takes the place of ("Show N earlier replies", "Show more comments").
  function placeFor(control, target) {
    var reply = control.classList.contains("comment__reply");
    if (reply || control.classList.contains("comment__report")) {
      // The report form (its reasons and a note) is a little shorter than the comment form:
      // room left over, until it is out of sight, is less of a jolt than a jump.
      var form = document.getElementById("comment-form");
      return {
        box: target, need: form ? form.getBoundingClientRect().height : 0,
        waiting: reply ? "Opening the reply form…" : "Opening the report form…",
      };
    }
    var holder = control.parentElement;
    if (!holder || holder !== target || !holder.id) return null;
    var box = holder;
    var list;
    var count = control.dataset.replies;
    if (holder.id === "comments-more") {
      list = document.getElementById("comment-list");
      count = control.dataset.comments;
    } else if (holder.classList.contains("replies__gap")) {
      list = holder.parentElement;
    } else if (holder.classList.contains("replies__more")) {
      box = holder.parentElement; // the comment, at whose foot its replies come
      list = document.getElementById("replies-" + holder.id.slice("replies-more-".length));
    } else {
      return null;
    }
    // Comments and replies differ in length, one of them by twice the average or more: half as
    // much again is held, as room left over below them (until it is out of sight) is less of a
    // jolt than what is below jumping down. Without a count (the server did not know it), a
    // page of them: taller than any screen.
    return { box: box, need: (Number(count) || 50) * (eachOf(list) || 200) * 1.5, waiting: null };
  }
  // No style attribute is left behind, even an empty one: htmx copies an element's style to the
  // one that takes its place with the same id (as it settles), which the site's
  // Content-Security-Policy refuses.
  function releasePlace(box) {
    box.style.minHeight = "";
    if (!box.getAttribute("style")) box.removeAttribute("style");
  }
  function releaseOutOfSight(box) {
    var watch = new IntersectionObserver(function (entries) {
      if (entries[entries.length - 1].isIntersecting) return;
      watch.disconnect();
      releasePlace(box);
    });
    watch.observe(box);
  }
  // Where what follows a held place begins (next, or the foot of parent when the box is its
  // last), from the top of the page, wherever it is scrolled to.
  function placeEnd(next, parent) {
    var rect = next ? next.getBoundingClientRect().top : parent.getBoundingClientRect().bottom;
    return rect + window.scrollY;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var control = event.detail.elt;
    var target = event.detail.target;
    if (event.defaultPrevented || !control.classList || !target || !target.isConnected) return;
    var place = placeFor(control, target);
    var box = place && place.box;
    if (!box || !box.parentElement) return;
    releasePlace(box); // what an earlier answer left held: this one holds its own
    var more = Math.min(place.need,
      document.documentElement.clientHeight - target.getBoundingClientRect().bottom);
    if (!(more >= 1)) return;
    var waiting = null;
    if (place.waiting) {
      waiting = document.createElement("p");
      waiting.className = "place-held";
      waiting.textContent = place.waiting;
      target.replaceChildren(waiting);
    }
    box.style.minHeight = box.getBoundingClientRect().height + more + "px";
    var next = box.nextElementSibling;
    heldPlaces.set(event.detail.xhr, {
      box: box, waiting: waiting, swapped: false,
      next: next, parent: box.parentElement, end: placeEnd(next, box.parentElement),
    });
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var held = heldPlaces.get(event.detail.xhr);
    if (!held || !event.detail.shouldSwap) return;
    held.swapped = true;
    // Let go now, as htmx puts the answer in (in the same turn, before anything is drawn): a box
    // the answer replaces would hand its least height on to what takes its place (above).
    var box = held.box;
    var least = parseFloat(box.style.minHeight);
    releasePlace(box);
    // Before the browser next draws the page, which has the answer in it by then.
    requestAnimationFrame(function () {
      if (box.isConnected) {
        if (box.getBoundingClientRect().height < least - 0.5) {
          box.style.minHeight = least + "px";
          releaseOutOfSight(box);
        }
        return;
      }
      // The answer took the box's place (its control's): the room it does not fill is held by
      // what now stands last in that place (the last comment or reply that came, the control
      // for more, or what was before the box when nothing came there), or by what the box was
      // in, when it was the last thing there.
      var next = held.next;
      if (next && !next.isConnected || !held.parent.isConnected) return;
      var short = held.end - placeEnd(next, held.parent);
      var stand = next ? next.previousElementSibling : held.parent;
      if (!(short > 0.5) || !stand) return;
      stand.style.minHeight = stand.getBoundingClientRect().height + short + "px";
      releaseOutOfSight(stand);
    });
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var held = heldPlaces.get(event.detail.xhr);
    if (!held) return;
    heldPlaces.delete(event.detail.xhr);
    if (held.swapped) return;
    releasePlace(held.box);
    if (held.waiting) held.waiting.remove();
  });
  // Recommend answers the tap at once: the button pressed (or no longer), its count one up (or
  // down), and the thread's status region says so in the words of the server's answer, which
  // takes a second on a slow network. When it comes, its button (the count as the server counted
  // it) takes the place of this one, and its words are not said again if they are the same. A
  // refusal (a rate limit, whose answer is the button as it was, beside why), an error or no
  // answer at all puts the button back as it was, and takes the words back; the message beside
  // it says what happened. The words are the server's own sentence (_reaction_said.html, which
  // its answer says too), drawn once in the status region with {name} and {count} for this to
  // fill in (_status_region.html): written here as well, a change to one would make the two
  // differ, and the reader would hear both. A page without it says nothing until the answer.
  var guesses = new WeakMap(); // a request's xhr -> what its tap showed before the answer
  var guessedWords = null; // said by a tap whose answer is being put in the page
  function reactionWords(status, button, pressed, count) {
    var sentence = pressed ? status.dataset.saidChose : status.dataset.saidTookBack;
    var article = button.closest("article");
    var author = article && article.querySelector(".comment__author");
    if (!sentence || !author) return "";
    var name = author.textContent.trim();
    // core.text.full_stop: a full stop, unless the name already ends a sentence.
    if (!name || (status.dataset.saidEnds || "").indexOf(name.slice(-1)) < 0) name += ".";
    // In one pass, so that a name with "{count}" in it stays as it was written.
    return sentence.replace(/\{(name|count)\}/g, function (blank, which) {
      return which === "name" ? name : String(count);
    });
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var button = event.detail.elt;
    if (event.defaultPrevented || !button.classList || !button.classList.contains("reaction__button")) return;
    var count = button.querySelector(".reaction__count");
    var before = count ? count.textContent : "";
    if (!/^\d+$/.test(before)) return;
    var pressed = button.getAttribute("aria-pressed") !== "true";
    var now = Math.max(Number(before) + (pressed ? 1 : -1), 0);
    button.setAttribute("aria-pressed", pressed ? "true" : "false");
    count.textContent = String(now);
    var status = document.getElementById("discussion-status");
    var words = status ? reactionWords(status, button, pressed, now) : "";
    if (words) status.textContent = words;
    guesses.set(event.detail.xhr, {
      button: button, count: count, before: before, pressed: pressed, status: status, words: words,
    });
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var guess = guesses.get(event.detail.xhr);
    guessedWords = guess && event.detail.shouldSwap ? guess.words : null;
  });
  document.addEventListener("htmx:oobBeforeSwap", function (event) {
    var region = event.detail.target;
    if (!guessedWords || !region || region.id !== "discussion-status") return;
    if (region.textContent === guessedWords &&
        event.detail.fragment.textContent.trim() === guessedWords) {
      event.detail.shouldSwap = false;
    }
    guessedWords = null;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var guess = guesses.get(event.detail.xhr);
    if (!guess) return;
    guesses.delete(event.detail.xhr);
    guessedWords = null;
    if (event.detail.xhr.status === 200) return;
    if (guess.button.isConnected) {
      guess.button.setAttribute("aria-pressed", guess.pressed ? "false" : "true");
      guess.count.textContent = guess.before;
    }
    if (guess.words && guess.status.textContent === guess.words) guess.status.textContent = "";
  });
  // Focus stays with the reader when htmx replaces what held it (WCAG 2.4.3), rather than
  // falling to the top of the page: to the comment just posted, to the first field a refused
  // form marks invalid (or its error summary), to the preview a form came back with, to the control's replacement (a Recommend
  // button, say), to a message put in its place, or else to the comment it belonged to. Run
  // after the handlers above, and only when focus was lost.
  var FOCUSABLE = "button:not([disabled]), [href], input:not([type=hidden]), textarea, select";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    if (!event.detail.shouldSwap || !active || active === document.body) return;
    var anchors = [];
    for (var node = active; node && node !== document.body; node = node.parentElement) {
      if (node.id) anchors.push(node.id);
    }
    var posted = {};
    document.querySelectorAll("li.comment--focus").forEach(function (c) { posted[c.id] = true; });
    document.addEventListener("htmx:afterSettle", function settled() {
      document.removeEventListener("htmx:afterSettle", settled);
      setTimeout(function () { restoreFocus(anchors, posted); }, 0);
    });
  });
  function restoreFocus(anchors, posted) {
    var now = document.activeElement;
    if (now && now !== document.body && now.isConnected) return;
    var fresh = Array.prototype.filter.call(
      document.querySelectorAll("li.comment--focus"), function (c) { return !posted[c.id]; });
    if (fresh.length) { fresh[fresh.length - 1].focus(); return; }
    for (var i = 0; i < anchors.length; i += 1) {
      var anchor = document.getElementById(anchors[i]);
      if (!anchor) continue;
      var pick = anchor.matches("li.comment") ? anchor : anchor.querySelector("[aria-invalid='true']");
      // A preview the reader asked for: focus goes to it, so it is read out and seen.
      if (!pick) pick = anchor.querySelector(".comment-preview");
      // A report sent from under a comment: its thanks is said by the thread's status region
      // (WCAG 4.1.3), so focus goes back to the comment's own controls, beside the "Reported"
      // that replaced the link, rather than onto the message (said twice, and a dead end).
      if (!pick && anchor.querySelector(":scope > .report-thanks")) {
        var reported = anchor.closest("li.comment");
        pick = reported && (reported.querySelector(".comment__reply") || reported);
      }
      var summary = !pick && anchor.querySelector(".form-errors[role=alert]");
      if (summary) { summary.tabIndex = -1; pick = summary; }
      if (!pick) pick = anchor.matches(FOCUSABLE) ? anchor : anchor.querySelector(FOCUSABLE);
      if (!pick && anchor.firstElementChild) {
        pick = anchor.firstElementChild;
        pick.tabIndex = -1;
      }
      if (pick) { pick.focus(); return; }
    }
  }
  // A reply the reader posts, or one "N new comments - show" brings, comes to go at the end of
  // its list, where "Show N more replies" will bring the replies not yet shown. When the reply
  // that follows it (data-before) is already on the page in its own place, so is the new reply's
  // place: it goes there, before that one, rather than staying among later replies once the rest
  // are shown. Not when "Show N earlier replies" comes just before that one: the place may be
  // among those, which bring the reply in it. Several brought at once may follow one another: a
  // reply waits for the one after it to take its place first.
  function placeReplies() {
    var waiting = Array.prototype.slice.call(document.querySelectorAll("li.comment[data-before]"));
    var placed = true;
    while (placed) {
      placed = false;
      waiting = waiting.filter(function (reply) {
        var next = document.getElementById(reply.dataset.before);
        if (!next || next.parentElement !== reply.parentElement) return false;
        if (next.hasAttribute("data-live")) return next.hasAttribute("data-before");
        var previous = next.previousElementSibling;
        if (previous && previous.classList.contains("replies__gap")) return false;
        next.parentElement.insertBefore(reply, next);
        reply.removeAttribute("data-live");
        placed = true;
        return false;
      });
    }
    document.querySelectorAll("li.comment[data-before]").forEach(function (reply) {
      reply.removeAttribute("data-before");
    });
  }
  document.addEventListener("htmx:afterSwap", placeReplies);
  // The comment a reader posts comes back to go at the end of the list (HX-Reswap: beforeend),
  // where the other orders put a comment nobody has answered or recommended yet. A reader who
  // chose "Newest first" looks for it at the top instead, where live updates put others' new
  // comments too, rather than under the page of older ones.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var box = document.getElementById("live-updates");
    var target = event.detail.target;
    if (box && box.dataset.sort === "newest" && target && target.id === "comment-list" &&
        event.detail.swapOverride === "beforeend") {
      event.detail.swapOverride = "afterbegin";
    }
  });
  // Live updates (discussion.live): new comments wait behind a "N new comments - show" button,
  // so nothing moves under the reader's eyes (WCAG 2.2.2); reaction counts change in place.
  // EventSource reconnects by itself and sends Last-Event-ID, so nothing is missed.
  function startLive(box) {
    if (!window.EventSource) return;
    var button = box.querySelector(".live-updates__show");
    var status = document.getElementById("discussion-status");
    var pending = [];
    var announceTimer = null;
    function onPage(id) { return document.getElementById("c-" + id) !== null; }
    // Where focus goes when the button that held it hides with nothing to show: the heading of
    // the comments, just above where the button was, rather than the top of the page.
    function focusHeading() {
      var heading = document.getElementById("comments-heading");
      if (!heading) return;
      heading.tabIndex = -1;
      heading.focus();
    }
    function say(text) { if (status) status.textContent = text; }
    function unpostedText() {
      return Array.prototype.some.call(
        document.querySelectorAll("#comments form textarea[name=body]"),
        function (field) { return field.value.trim() !== ""; });
    }
    function refresh() {
      pending = pending.filter(function (item) { return !onPage(item.id); });
      if (!pending.length) { button.hidden = true; return; }
      var n = pending.length;
      button.textContent = n + (n === 1 ? " new comment" : " new comments") + " \u2014 show";
      button.hidden = false;
      // One announcement for a burst, not one per comment.
      clearTimeout(announceTimer);
      announceTimer = setTimeout(function () {
        if (pending.length) say(pending.length + (pending.length === 1 ? " new comment" : " new comments") + " posted. Use the button above the comments to show " + (pending.length === 1 ? "it." : "them."));
      }, 1500);
    }
    // The first connection asks for what was published since the page was drawn (a browser
    // sends Last-Event-ID only on reconnecting), so nothing posted meanwhile is missed.
    var url = box.dataset.events;
    if (box.dataset.since) url += "?since=" + encodeURIComponent(box.dataset.since);
    var source = new EventSource(url);
    source.addEventListener("open", function () { box.dataset.state = "open"; });
    source.addEventListener("error", function () { box.dataset.state = "reconnecting"; });
    source.addEventListener("comment", function (message) {
      var data = JSON.parse(message.data);
      if (onPage(data.id) || pending.some(function (item) { return item.id === data.id; })) return;
      // A reply to a comment this page does not show (one further down a long thread) has no
      // place here: it comes with its comment, when "Show more comments" brings that. Offered
      // as new, it was a button that showed nothing ("0 new comments shown.") and, hiding
      // itself, dropped the reader's focus to the top of the page.
      if (data.root && !document.getElementById("replies-" + data.root)) return;
      pending.push(data);
      refresh();
    });
    source.addEventListener("reaction", function (message) {
      var data = JSON.parse(message.data);
      var form = document.getElementById("react-" + data.id);
      if (!form) return;
      var count = form.querySelector(".reaction__count");
      if (count) count.textContent = data.count;
      else if (form.classList.contains("reaction--count")) {
        form.textContent = form.textContent.replace(/\d+$/, data.count);
        form.hidden = data.count === 0;
      }
    });
    // Other scripts on the page (the live blog) listen for their events on the document, so a
    // page holds one stream however many parts of it are live.
    source.addEventListener("entries", function (message) {
      document.dispatchEvent(new CustomEvent("broadsheet:entries", { detail: JSON.parse(message.data) }));
    });
    source.addEventListener("resync", function () {
      document.dispatchEvent(new CustomEvent("broadsheet:entries", { detail: {} }));
      // Too much was missed to tell what: offer a reload of the comments instead.
      button.dataset.reload = "true";
      if (!button.dataset.warned) button.textContent = "New comments \u2014 reload to show";
      button.hidden = false;
    });
    button.addEventListener("click", function () {
      // While the new comments load, a press does nothing. The button is marked unavailable
      // (aria-disabled), not disabled: disabling it would take focus from it to <body>, where a
      // failed load left a keyboard reader told to try again with nothing to press.
      if (button.getAttribute("aria-disabled") === "true") return;
      // The embed (api.embed) shows new comments by drawing its page again, newest first.
      if (button.dataset.reload || box.dataset.reloadToShow) {
        // A reload empties every comment box: a reader with words not yet posted is told so
        // first, and a second press reloads anyway.
        if (!button.dataset.warned && unpostedText()) {
          button.dataset.warned = "true";
          button.textContent = "New comments \u2014 reload to show (your unposted text will be lost)";
          say("Reloading would lose the text you have not posted. Post it or copy it first, or " +
            "press the button again to reload anyway.");
          return;
        }
        if (box.dataset.reloadToShow && window.location.search) {
          // The embed draws its first page newest first, where the new comments are: its own
          // page again (oldest first, most recommended, or one further on) does not hold them.
          window.location.assign(window.location.pathname);
        } else {
          window.location.reload();
        }
        return;
      }
      var ids = pending.slice(0, 50).map(function (item) { return item.id; });
      if (!ids.length) return;
      button.setAttribute("aria-disabled", "true");
      fetch(box.dataset.new + "?ids=" + ids.join(","), { headers: { "HX-Request": "true" }, credentials: "same-origin" })
        .then(function (response) { if (!response.ok) throw new Error(response.status); return response.text(); })
        .then(function (html) {
          var holder = document.createElement("template");
          holder.innerHTML = html;
          var list = document.getElementById("comment-list");
          var first = null;
          var shown = 0;
          holder.content.querySelectorAll(".live-item").forEach(function (item) {
            var comment = item.querySelector("li.comment");
            if (!comment || onPage(comment.id.slice(2))) return;
            comment.dataset.live = "true";
            var root = item.dataset.root;
            var target = root ? document.getElementById("replies-" + root) : list;
            if (!target) return; // its comment is not loaded here; it shows with that comment
            if (!root && box.dataset.sort === "newest") target.insertBefore(comment, target.firstChild);
            else target.appendChild(comment);
            if (window.htmx) window.htmx.process(comment);
            first = first || comment;
            shown += 1;
          });
          placeReplies();
          pending = pending.filter(function (item) { return ids.indexOf(item.id) === -1; });
          // The heading's count, as the thread stood when these were read.
          var total = holder.content.querySelector("[data-comment-count]");
          var count = document.querySelector("#comments-heading .discussion__count");
          if (total && count) count.textContent = "(" + Number(total.dataset.commentCount).toLocaleString("en-GB") + ")";
          refresh();
          if (first) {
            say(shown + (shown === 1 ? " new comment" : " new comments") + " shown.");
            first.focus();
          } else {
            // None of them is to be had any more (held or removed since it was announced).
            say("The new comments are no longer available.");
            if (button.hidden) focusHeading();
          }
        })
        .catch(function () { say("The new comments could not be loaded. Try again in a moment."); })
        .then(function () { button.removeAttribute("aria-disabled"); });
    });
    // A comment the reader posted, or one "Show more" brought in, is no longer new; and a
    // comment inserted live gives way to the same comment arriving in its proper place.
    document.addEventListener("htmx:afterSettle", function () {
      document.querySelectorAll("li.comment[data-live]").forEach(function (comment) {
        var copies = document.querySelectorAll("[id='" + comment.id + "']");
        if (copies.length > 1) comment.remove();
      });
      refresh();
    });
  }
  // What the reader's last action did, drawn with the page after its redirect ("Your comment
  // was deleted.", base.html's messages; data-announce names the status region it belongs in,
  // drawn empty just before it), is moved into that region once the page has loaded: screen
  // readers announce a change to a live region, not what it held when the page opened. Until
  // then (and without JavaScript) it shows where it is, just below the empty region. The pause
  // lets the screen reader take in the new page, and the region in it, first; being polite,
  // the region then waits until what focus brought (the comment the page returns to) is read.
  var announceLater = document.querySelectorAll("[data-announce]");
  if (announceLater.length) {
    setTimeout(function () {
      announceLater.forEach(function (said) {
        var region = document.getElementById(said.dataset.announce);
        if (!region) return;
        said.removeAttribute("data-announce");
        region.appendChild(said);
      });
    }, 500);
  }
  // A link to one comment (/c/<id>, ?c=<id>) scrolls to it; focus goes there too, so the next
  // Tab moves on from the comment the reader came for.
  var focused = document.querySelector("li.comment--focus");
  if (focused) focused.focus({ preventScroll: true });
  // A link to a comment by its fragment alone (#c-<id>) that this page does not hold (further
  // down a long thread, or among replies not shown yet) asks for the page that holds it, as
  // ?c=<id> does; the server ignores an id of another thread, and a page it drew for ?c= is
  // left alone, so this happens at most once.
  var linked = /^#c-(\d+)$/.exec(window.location.hash);
  if (linked && !document.getElementById("c-" + linked[1]) &&
      document.getElementById("comment-list") && !document.body.hasAttribute("data-embed")) {
    var query = new URLSearchParams(window.location.search);
    if (!query.has("c")) {
      query.set("c", linked[1]);
      window.location.replace(window.location.pathname + "?" + query.toString() + linked[0]);
    }
  }
  var liveBox = document.getElementById("live-updates");
  if (liveBox) startLive(liveBox);
  // In another site's page (api.embed, api/static/api/embed.js), tell the page how tall the
  // comments are, so its frame shows them whole rather than scrolling inside it.
  if (document.body.hasAttribute("data-embed") && window.parent !== window) {
    var lastHeight = 0;
    var tellHeight = function () {
      var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height === lastHeight) return;
      lastHeight = height;
      window.parent.postMessage({ broadsheet: "embed-height", height: height }, "*");
    };
    tellHeight();
    if (window.ResizeObserver) new ResizeObserver(tellHeight).observe(document.body);
    window.addEventListener("load", tellHeight);
  }
})();
