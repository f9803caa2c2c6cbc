// The counter's tablet: the thank-you screen goes back to a blank questionnaire after a few seconds, and a
// questionnaire left half answered is emptied after a few idle minutes, so that the next person starts afresh.
(function () {
  "use strict";
  const root = document.querySelector("[data-kiosk-reset]");
  if (!root) return;
  const url = root.getAttribute("data-kiosk-reset");
  // Full screen on request (the browser asks for a tap); added to the home screen, its manifest keeps it so.
  const full = root.querySelector("[data-kiosk-fullscreen]");
  if (full && document.fullscreenEnabled && !document.fullscreenElement) {
    full.hidden = false;
    full.addEventListener("click", function () {
      document.documentElement.requestFullscreen().then(function () { full.hidden = true; }, function () {});
    });
  }
  const thanks = Number(root.getAttribute("data-kiosk-thanks") || 0);
  const idle = Number(root.getAttribute("data-kiosk-idle") || 180);
  if (thanks > 0) {
    let left = thanks;
    const counter = root.querySelector("[data-kiosk-seconds]");
    const tick = window.setInterval(function () {
      left -= 1;
      if (counter) counter.textContent = String(Math.max(left, 0));
      if (left <= 0) {
        window.clearInterval(tick);
        window.location.replace(url);
      }
    }, 1000);
    return;
  }
  let timer = null;
  const restart = function () {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(function () { window.location.replace(url); }, idle * 1000);
  };
  ["input", "change", "pointerdown", "keydown"].forEach(function (name) {
    document.addEventListener(name, restart, { passive: true });
  });
  restart();
})();
