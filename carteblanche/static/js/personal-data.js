/* Carte blanche — a text that gives away personal data (``PersonalDataTextarea``) cannot be sent.
   The server's answer, as one types, fills the field's live region with the reason; while any such region of a form
   holds a warning, the form's send buttons are disabled (the server refuses it anyway: this only says it earlier). */
(function () {
  "use strict";
  var SUFFIX = "-donnees-personnelles";

  function refresh(form) {
    var blocked = Array.prototype.some.call(form.querySelectorAll("[id$='" + SUFFIX + "']"), function (live) {
      return live.querySelector(".fr-message--error") !== null;
    });
    form.querySelectorAll("button[type=submit], button:not([type]), input[type=submit]").forEach(function (button) {
      button.disabled = blocked;
      if (blocked) {
        button.setAttribute("title", "Retirez d'abord du texte ce qui est signalé");
      } else {
        button.removeAttribute("title");
      }
    });
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || !target.id || target.id.slice(-SUFFIX.length) !== SUFFIX) return;
    var form = target.closest("form");
    if (form) refresh(form);
  });
})();
