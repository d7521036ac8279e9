// Drag-and-drop ranking on top of the numbered form, which works without it.
// Dragging an option places it in the order; the numbers are rewritten to follow, so the
// form submits exactly as if they had been typed. Keyboard and screen-reader users keep the
// number fields.
(function () {
  "use strict";
  var list = document.querySelector("[data-ranking]");
  if (!list || !("draggable" in document.createElement("li"))) return;
  var help = document.querySelector(".drag-help");
  if (help) help.hidden = false;
  var dragged = null;

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-option]"));
  }
  function renumber() {
    var n = 0;
    items().forEach(function (li) {
      var input = li.querySelector("input");
      if (input.value !== "" || li.dataset.placed) input.value = String(++n);
    });
  }
  // Before the first drag, put the list in the order already typed.
  function sortByNumbers() {
    var ranked = items().map(function (li, i) {
      var value = parseInt(li.querySelector("input").value, 10);
      return { li: li, key: isNaN(value) ? 1e6 + i : value * 1000 + i };
    });
    ranked.sort(function (a, b) { return a.key - b.key; });
    ranked.forEach(function (r) { list.appendChild(r.li); });
  }
  var sorted = false;
  items().forEach(function (li) {
    li.draggable = true;
    li.style.cursor = "grab";
    li.addEventListener("dragstart", function (event) {
      if (!sorted) { sortByNumbers(); sorted = true; }
      dragged = li;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", "");
    });
    li.addEventListener("dragover", function (event) {
      event.preventDefault();
    });
    li.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged || dragged === li) return;
      var box = li.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? li.nextSibling : li);
      dragged.dataset.placed = "1";
      // Everything above a placed option is ranked too.
      var seen = false;
      items().reverse().forEach(function (item) {
        if (item === dragged) seen = true;
        else if (seen) item.dataset.placed = "1";
      });
      renumber();
    });
    li.addEventListener("dragend", function () {
      dragged = null;
    });
  });
})();
