// The shell (top document): the Search button and Alt+Q open Tell Me, which lives inside the client frame;
// the frame reports its page so the address bar carries ?company=&page= like the real client.
(function () {
  "use strict";
  var frame = document.querySelector("iframe.designer-client-frame");
  function openTellMe() {
    if (frame && frame.contentWindow) frame.contentWindow.postMessage({ bc: "tellme" }, location.origin);
  }
  document.querySelector(".search-button").addEventListener("click", openTellMe);
  document.addEventListener("keydown", function (event) {
    if (event.altKey && (event.key === "q" || event.key === "Q")) { event.preventDefault(); openTellMe(); }
  });
  window.addEventListener("message", function (event) {
    if (event.origin !== location.origin || !event.data || event.data.bc !== "navigated") return;
    var body = document.body.dataset;
    history.replaceState(null, "", "/" + body.tenant + "/" + body.environment + "/" + event.data.search);
  });
})();
