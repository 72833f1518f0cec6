// Progressive enhancement only: every control here also works without JavaScript.
(function () {
  "use strict";
  // Let htmx swap in the server's answer to a refused form (422) or a rate limit (429),
  // so the reader sees the message beside their text instead of nothing.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 422 || status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
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
      var reply = slot && slot.closest("article") && slot.closest("article").querySelector(".comment__reply");
      if (reply) reply.focus();
    }
  });
  // A freshly inserted reply form takes focus in its textarea.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target;
    if (target && target.classList && target.classList.contains("reply-slot")) {
      var box = target.querySelector("textarea");
      if (box) box.focus();
    }
  });
})();
