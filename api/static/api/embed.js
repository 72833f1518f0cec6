/* Broadsheet's comments on another site's page (docs/embed.md).
 *
 *   <div data-broadsheet-article="123"></div>
 *   <script src="https://news.example/static/api/embed.js" async></script>
 *
 * Each such element gets an iframe of https://news.example/embed/articles/123/, as tall as the
 * comments in it (the frame says how tall; only messages from this script's own site count).
 * A site served under a path prefix (https://example.org/news/static/api/embed.js) is framed
 * under it too: https://example.org/news/embed/articles/123/.
 * An id with no live, public article gets a one-line frame saying comments are not available.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var source = new URL(script.src);
  var origin = source.origin;
  // The site's address is what comes before the static files' folder in the script's own:
  // https://example.org/news for https://example.org/news/static/api/embed.js.
  var at = source.pathname.lastIndexOf("/static/");
  var site = origin + (at > 0 ? source.pathname.slice(0, at) : "");
  var frames = [];
  function embed(holder) {
    if (holder.dataset.broadsheetEmbedded) return;
    var article = holder.getAttribute("data-broadsheet-article");
    if (!/^[0-9]{1,18}$/.test(article || "")) return;
    holder.dataset.broadsheetEmbedded = "true";
    var frame = document.createElement("iframe");
    frame.src = site + "/embed/articles/" + article + "/";
    frame.title = holder.getAttribute("data-title") || "Readers' comments";
    frame.loading = "lazy";
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.minHeight = "200px";
    frame.setAttribute("scrolling", "no");
    holder.appendChild(frame);
    frames.push(frame);
  }
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !event.data || event.data.broadsheet !== "embed-height") return;
    var height = Number(event.data.height);
    if (!isFinite(height) || height <= 0) return;
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        // The least height only holds room while the frame loads; once it says how tall it
        // is, it is that tall, even a one-line "Comments are not available".
        frames[i].style.minHeight = "0";
        frames[i].style.height = Math.min(height, 100000) + "px";
      }
    }
  });
  function embedAll() {
    var holders = document.querySelectorAll("[data-broadsheet-article]");
    for (var i = 0; i < holders.length; i++) embed(holders[i]);
  }
  embedAll();
  // Run as soon as it arrives (async, or from the page's head), the script can come before
  // holders further down a page still loading: they get their frames once the page is read.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", embedAll);
})();
