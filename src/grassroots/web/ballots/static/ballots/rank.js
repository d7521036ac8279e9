// Reordering on top of the numbered form, which works without it. Dragging an option, or
// pressing its "Move up" / "Move down" button (for keyboard, switch and touch users, for whom
// dragging is hard or impossible), places it in the order; the numbers are rewritten to
// follow, so the form submits exactly as if they had been typed. A polite live region says
// where a moved option now stands. The number fields stay for anyone who prefers them.
(function () {
  "use strict";
  var list = document.querySelector("[data-ranking]");
  if (!list) return;
  var canDrag = "draggable" in document.createElement("li");
  var help = document.querySelector(".drag-help");
  if (help) help.hidden = false;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  list.parentNode.insertBefore(status, list.nextSibling);
  var dragged = null;

  function items() {
    return Array.prototype.slice.call(list.querySelectorAll("[data-option]"));
  }
  function nameOf(li) {
    return li.querySelector("label span").firstChild.textContent.trim();
  }
  function renumber() {
    var n = 0;
    items().forEach(function (li) {
      var input = li.querySelector("input");
      if (input.value !== "" || li.dataset.placed) input.value = String(++n);
    });
  }
  // Before the first move, put the list in the order already typed.
  var sorted = false;
  function sortByNumbers() {
    if (sorted) return;
    sorted = true;
    var ranked = items().map(function (li, i) {
      var value = parseInt(li.querySelector("input").value, 10);
      return { li: li, key: isNaN(value) ? 1e6 + i : value * 1000 + i };
    });
    ranked.sort(function (a, b) { return a.key - b.key; });
    ranked.forEach(function (r) { list.appendChild(r.li); });
  }
  // A moved option is ranked, and so is everything above it.
  function placed(moved) {
    moved.dataset.placed = "1";
    var seen = false;
    items().reverse().forEach(function (item) {
      if (item === moved) seen = true;
      else if (seen) item.dataset.placed = "1";
    });
    renumber();
  }

  function move(li, step, button) {
    sortByNumbers();
    var all = items();
    var at = all.indexOf(li);
    var to = at + step;
    if (to < 0 || to >= all.length) {
      status.textContent = nameOf(li) + " is already " + (step < 0 ? "first." : "last.");
      return;
    }
    list.insertBefore(li, step < 0 ? all[to] : all[to].nextSibling);
    placed(li);
    button.focus(); // moving the item takes the focus away from its button
    status.textContent =
      nameOf(li) + " is now number " + li.querySelector("input").value + " of " + all.length + ".";
  }

  items().forEach(function (li) {
    var name = nameOf(li);
    var controls = document.createElement("span");
    controls.className = "move";
    [[-1, "up", "\u2191"], [1, "down", "\u2193"]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      // Named by its (visually hidden) text, not aria-label, so the option's label still
      // names only its number field.
      var arrow = document.createElement("span");
      arrow.setAttribute("aria-hidden", "true");
      arrow.textContent = spec[2];
      var text = document.createElement("span");
      text.className = "visually-hidden";
      text.textContent = "Move " + name + " " + spec[1];
      button.appendChild(arrow);
      button.appendChild(text);
      button.title = "Move " + spec[1];
      button.addEventListener("click", function () { move(li, spec[0], button); });
      controls.appendChild(button);
    });
    li.appendChild(controls);

    if (!canDrag) return;
    li.draggable = true;
    li.style.cursor = "grab";
    li.addEventListener("dragstart", function (event) {
      sortByNumbers();
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
      placed(dragged);
    });
    li.addEventListener("dragend", function () {
      dragged = null;
    });
  });
})();
