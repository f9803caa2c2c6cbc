/* Qualitative coding: the passage selected in the notes fills the coding form (text and offset).
   Offsets count characters of the notes' text, exactly as the server stores them. */
(function () {
  "use strict";
  var notes = document.querySelector("[data-cb-notes]");
  var passage = document.getElementById("passage");
  var start = document.getElementById("passage-start");
  if (!notes || !passage || !start) {
    return;
  }
  function capture() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    if (!notes.contains(range.startContainer) || !notes.contains(range.endContainer)) {
      return;
    }
    var before = document.createRange();
    before.setStart(notes, 0);
    before.setEnd(range.startContainer, range.startOffset);
    passage.value = range.toString();
    // Characters as the server counts them (code points), not UTF-16 units: an emoji counts for one.
    start.value = String(Array.from(before.toString()).length);
  }
  notes.addEventListener("mouseup", capture);
  notes.addEventListener("keyup", capture);
  document.addEventListener("selectionchange", function () {
    if (document.activeElement === passage) {
      return;
    }
    capture();
  });
  passage.addEventListener("input", function () {
    start.value = ""; // typed or pasted: the server finds it in the notes
  });
})();
