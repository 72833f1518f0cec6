// An import's page in the admin follows the import: every two seconds it reads itself again and
// puts the new state in place, until the import has finished. Only the status line is a live
// region, so a screen reader hears "Importing", then "Done" or "Stopped", not every count.
(function () {
  "use strict";
  function follow() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("import-run");
        var shown = document.getElementById("import-run");
        if (!fresh || !shown) { return; }
        var status = shown.querySelector("#import-status");
        var freshStatus = fresh.querySelector("#import-status");
        // Everything but the live region is replaced; the region keeps its node and changes its text.
        Array.prototype.slice.call(shown.childNodes).forEach(function (node) {
          if (!node.contains || !node.contains(status)) { shown.removeChild(node); }
        });
        var statusLine = status.closest("p");
        Array.prototype.slice.call(fresh.childNodes).forEach(function (node) {
          if (node.querySelector && node.querySelector("#import-status")) {
            if (status.textContent !== freshStatus.textContent) { status.textContent = freshStatus.textContent; }
            shown.appendChild(statusLine);
          } else {
            shown.appendChild(document.importNode(node, true));
          }
        });
        shown.dataset.finished = fresh.dataset.finished;
        if (fresh.dataset.finished !== "true") { window.setTimeout(follow, 2000); }
      })
      .catch(function () { window.setTimeout(follow, 5000); });
  }
  window.setTimeout(follow, 2000);
})();
