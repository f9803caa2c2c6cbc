/* The workshop board on the room's projector: a button puts the page in full screen (no browser bars). */
(function () {
  "use strict";
  var button = document.getElementById("plein-ecran");
  if (!button) {
    return;
  }
  if (!document.documentElement.requestFullscreen) {
    button.hidden = true;
    return;
  }
  button.addEventListener("click", function () {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else {
      document.documentElement.requestFullscreen();
    }
  });
  document.addEventListener("fullscreenchange", function () {
    button.textContent = document.fullscreenElement ? "Quitter le plein écran" : "Plein écran";
  });
})();
