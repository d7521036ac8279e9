// The ranking page's two lists, built on top of the numbers form, which works without this
// script and is always what the page posts.
//
// A ballot must hold exactly the options the voter chose, in the order they chose: in STV a
// preference the voter never gave would transfer their vote. So an option joins "Your
// ranking" only when the voter adds it (its Add button, or dragging it into the ranking),
// moves only within the ranking, and leaves it with Remove (or by being dragged back to "Not
// ranked"). After every change the number boxes are rewritten from the ranking (1, 2, 3… for
// the ranked options, empty for the rest), and the summary above the button says what will
// be cast. "Type numbers instead" shows the boxes again for anyone who prefers typing; the
// summary then reads what is typed. Every control is a button, the focus stays with the
// option or the list the voter was working in, and a polite live region says what changed.
(function () {
  "use strict";
  var numbers = document.querySelector("[data-rank-numbers]");
  var lists = document.querySelector("[data-rank-lists]");
  if (!numbers || !lists) return;
  var rankedZone = lists.querySelector("[data-ranked-zone]");
  var unrankedZone = lists.querySelector("[data-unranked-zone]");
  var rankedList = lists.querySelector("[data-ranked]");
  var unrankedList = lists.querySelector("[data-unranked]");
  var rankedEmpty = lists.querySelector("[data-ranked-empty]");
  var unrankedEmpty = lists.querySelector("[data-unranked-empty]");
  var switcher = document.querySelector("[data-rank-switch]");
  var modeButton = document.querySelector("[data-rank-mode]");
  var summary = document.querySelector("[data-rank-summary]");
  var status = document.querySelector("[data-rank-status]");
  var canDrag = "draggable" in document.createElement("li");

  // One entry per option, in the ballot's order (the order "Not ranked" keeps).
  var options = Array.prototype.map.call(
    numbers.querySelectorAll("[data-option]"),
    function (row, index) {
      var statement = row.querySelector(".statement");
      return {
        index: index,
        name: row.getAttribute("data-name"),
        category: row.getAttribute("data-category"),
        statement: statement ? statement.textContent : "",
        profile: row.getAttribute("data-profile"),
        input: row.querySelector("input"),
        hasError: !!row.querySelector("[role=alert]"),
      };
    }
  );
  var total = options.length;
  var ranking = []; // the options ranked, first choice first
  var typing = false; // the number boxes are shown instead of the lists
  var dragged = null;

  // --- The numbers: read as the server reads them, written from the ranking ---------------

  // A typed number as the server takes it (a whole number, "2.0" too), or NaN.
  function numberIn(input) {
    var text = input.value.trim();
    return /^\d+(\.0*)?$/.test(text) ? parseInt(text, 10) : NaN;
  }

  // The options typed with a usable number, in the order of their numbers.
  function typedRanking() {
    return options
      .filter(function (o) {
        var n = numberIn(o.input);
        return n >= 1 && n <= total;
      })
      .sort(function (a, b) {
        return numberIn(a.input) - numberIn(b.input) || a.index - b.index;
      });
  }

  // Whether what is typed is a ranking the server takes: 1, 2, 3… once each, no gaps.
  function typedIsValid() {
    var seen = {};
    var given = 0;
    var valid = true;
    options.forEach(function (o) {
      if (o.input.value.trim() === "" && !o.input.validity.badInput) return;
      var n = numberIn(o.input);
      if (!(n >= 1 && n <= total) || seen[n]) valid = false;
      seen[n] = true;
      given += 1;
    });
    for (var k = 1; k <= given; k += 1) if (!seen[k]) valid = false;
    return valid;
  }

  function writeNumbers() {
    options.forEach(function (o) {
      var at = ranking.indexOf(o);
      o.input.value = at < 0 ? "" : String(at + 1);
    });
  }

  // --- What the page says ----------------------------------------------------------------

  function describe(ranked) {
    if (!ranked.length) {
      return (
        "You are ranking none of the " + total + " options yet, and a vote with no " +
        "choice cannot be cast: add at least your first choice."
      );
    }
    var names = ranked.map(function (o, i) {
      return i + 1 + ". " + o.name;
    });
    return "You are ranking " + ranked.length + " of " + total + ": " + names.join(", ") + ".";
  }

  function showSummary() {
    if (!typing) summary.textContent = describe(ranking);
    else if (typedIsValid()) summary.textContent = describe(typedRanking());
    else {
      summary.textContent =
        "Your numbers are not a ranking yet: number your choices 1, 2, 3… once each, " +
        "without gaps, and leave the rest empty.";
    }
  }

  var lastSaid = "";
  function announce(text) {
    // The same words twice in a row (say "already first") are still read out: a screen
    // reader speaks a change of the region, so every other copy ends with a space.
    if (text === lastSaid) text += "\u00a0";
    lastSaid = text;
    status.textContent = text;
  }

  function count() {
    return ranking.length
      ? "You are ranking " + ranking.length + " of " + total + "."
      : "Your ranking is empty.";
  }

  // --- The lists ---------------------------------------------------------------------------

  // A real button: its visible text (an arrow is hidden from screen readers) followed by
  // words that name the option, so each reads as "Move Ann Smith up" or "Add Ann Smith".
  function button(className, shown, spoken, onPress) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    var text = document.createElement("span");
    text.textContent = shown.text;
    if (shown.arrow) {
      text.setAttribute("aria-hidden", "true");
      b.title = shown.title;
    }
    var words = document.createElement("span");
    words.className = "visually-hidden";
    words.textContent = spoken;
    b.appendChild(text);
    b.appendChild(words);
    b.addEventListener("click", function () {
      onPress(b.getAttribute("aria-disabled") !== "true");
    });
    return b;
  }

  function buildItem(o) {
    var li = document.createElement("li");
    li.className = "rank-item";
    li.setAttribute("data-option-name", o.name);
    o.place = document.createElement("span");
    o.place.className = "rank-place";
    var name = document.createElement("span");
    name.className = "rank-name";
    if (o.profile) {
      // The candidate's page opens in a new tab, so the ranking built here stays as it is.
      var link = document.createElement("a");
      link.href = o.profile;
      link.target = "_blank";
      link.rel = "noopener";
      link.textContent = o.name;
      var newTab = document.createElement("span");
      newTab.className = "visually-hidden";
      newTab.textContent = " (about the candidate, opens in a new tab)";
      link.appendChild(newTab);
      name.appendChild(link);
    } else {
      name.textContent = o.name;
    }
    if (o.category) {
      var small = document.createElement("small");
      small.textContent = " (" + o.category + ")";
      name.appendChild(small);
    }
    var controls = document.createElement("span");
    controls.className = "rank-controls";
    // Adding keeps the voter in "Not ranked", on the option that takes this one's place, so
    // a ranking can be built by pressing Add in turn; when none is left, the focus follows
    // the option added.
    o.add = button("rank-add", { text: "Add" }, " " + o.name, function () {
      var next = add(o);
      (next ? next.add : o.up).focus();
    });
    o.up = button("rank-up", { text: "\u2191", arrow: true, title: "Move up" },
      "Move " + o.name + " up", function (enabled) {
        move(o, -1, enabled);
      });
    o.down = button("rank-down", { text: "\u2193", arrow: true, title: "Move down" },
      "Move " + o.name + " down", function (enabled) {
        move(o, 1, enabled);
      });
    o.remove = button("rank-remove secondary", { text: "Remove" }, " " + o.name, function () {
      remove(o);
    });
    [o.add, o.up, o.down, o.remove].forEach(function (b) {
      controls.appendChild(b);
    });
    li.appendChild(o.place);
    li.appendChild(name);
    li.appendChild(controls);
    if (o.statement) {
      // The candidate's statement, under the name as on the numbers form.
      var statement = document.createElement("p");
      statement.className = "rank-statement";
      statement.textContent = o.statement;
      li.appendChild(statement);
    }
    o.item = li;
    if (canDrag) {
      li.draggable = true;
      li.addEventListener("dragstart", function (event) {
        dragged = o;
        li.classList.add("rank-dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", o.name);
      });
      li.addEventListener("dragend", function () {
        dragged = null;
        li.classList.remove("rank-dragging");
        unmark();
      });
    }
  }

  // Put the items in a list in the given order, moving only those out of place (a moved
  // element loses the focus, which is then given back on purpose).
  function arrange(list, items) {
    items.forEach(function (item, i) {
      if (list.children[i] !== item) list.insertBefore(item, list.children[i] || null);
    });
  }

  function render() {
    arrange(
      rankedList,
      ranking.map(function (o) {
        return o.item;
      })
    );
    var left = unranked();
    arrange(
      unrankedList,
      left.map(function (o) {
        return o.item;
      })
    );
    options.forEach(function (o) {
      var at = ranking.indexOf(o);
      var ranked = at >= 0;
      o.place.textContent = ranked ? at + 1 + "." : "";
      o.place.hidden = !ranked;
      o.add.hidden = ranked;
      o.up.hidden = o.down.hidden = o.remove.hidden = !ranked;
      o.up.setAttribute("aria-disabled", String(at === 0));
      o.down.setAttribute("aria-disabled", String(at === ranking.length - 1));
    });
    rankedEmpty.hidden = ranking.length > 0;
    unrankedEmpty.hidden = left.length > 0;
    writeNumbers();
    showSummary();
  }

  function unranked() {
    return options.filter(function (o) {
      return ranking.indexOf(o) < 0;
    });
  }

  // --- What the voter does -------------------------------------------------------------------

  function add(o, at) {
    var before = unranked();
    var from = before.indexOf(o);
    ranking.splice(at === undefined ? ranking.length : at, 0, o);
    render();
    announce("Added " + o.name + " as number " + (ranking.indexOf(o) + 1) + ". " + count());
    return before.filter(function (other) {
      return other !== o;
    })[Math.min(from, before.length - 2)];
  }

  function move(o, step, enabled) {
    var at = ranking.indexOf(o);
    var to = at + step;
    if (!enabled || to < 0 || to >= ranking.length) {
      announce(o.name + " is already " + (step < 0 ? "first." : "last."));
      return;
    }
    ranking.splice(at, 1);
    ranking.splice(to, 0, o);
    render();
    (step < 0 ? o.up : o.down).focus();
    announce(o.name + " is now number " + (to + 1) + " of " + ranking.length + ".");
  }

  function remove(o) {
    var at = ranking.indexOf(o);
    ranking.splice(at, 1);
    render();
    var next = ranking[Math.min(at, ranking.length - 1)];
    (next ? next.remove : o.add).focus();
    announce("Removed " + o.name + " from your ranking. " + count());
  }

  options.forEach(buildItem);

  // --- Dragging --------------------------------------------------------------------------------

  function unmark() {
    [rankedZone, unrankedZone].forEach(function (zone) {
      zone.classList.remove("rank-drop");
    });
    options.forEach(function (o) {
      o.item.classList.remove("rank-drop-before", "rank-drop-after");
    });
  }

  // Where a drop at this height would put the dragged option in the ranking.
  function dropIndex(y) {
    var others = ranking.filter(function (o) {
      return o !== dragged;
    });
    var at = 0;
    others.forEach(function (o) {
      var box = o.item.getBoundingClientRect();
      if (y > box.top + box.height / 2) at += 1;
    });
    return { at: at, others: others };
  }

  if (canDrag) {
    rankedZone.addEventListener("dragover", function (event) {
      if (!dragged) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      unmark();
      rankedZone.classList.add("rank-drop");
      var spot = dropIndex(event.clientY);
      if (spot.at < spot.others.length) spot.others[spot.at].item.classList.add("rank-drop-before");
      else if (spot.others.length) spot.others[spot.at - 1].item.classList.add("rank-drop-after");
    });
    rankedZone.addEventListener("dragleave", function (event) {
      if (!rankedZone.contains(event.relatedTarget)) unmark();
    });
    rankedZone.addEventListener("drop", function (event) {
      if (!dragged) return;
      event.preventDefault();
      var o = dragged;
      var spot = dropIndex(event.clientY);
      unmark();
      if (ranking.indexOf(o) < 0) {
        add(o, spot.at);
        return;
      }
      ranking = spot.others;
      ranking.splice(spot.at, 0, o);
      render();
      announce(o.name + " is now number " + (spot.at + 1) + " of " + ranking.length + ".");
    });
    unrankedZone.addEventListener("dragover", function (event) {
      if (!dragged || ranking.indexOf(dragged) < 0) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      unmark();
      unrankedZone.classList.add("rank-drop");
    });
    unrankedZone.addEventListener("dragleave", function (event) {
      if (!unrankedZone.contains(event.relatedTarget)) unmark();
    });
    unrankedZone.addEventListener("drop", function (event) {
      if (!dragged || ranking.indexOf(dragged) < 0) return;
      event.preventDefault();
      var o = dragged;
      unmark();
      ranking.splice(ranking.indexOf(o), 1);
      render();
      announce("Removed " + o.name + " from your ranking. " + count());
    });
  }

  // --- Lists or numbers ------------------------------------------------------------------------

  function showLists() {
    typing = false;
    ranking = typedRanking();
    numbers.hidden = true;
    lists.hidden = false;
    modeButton.textContent = "Type numbers instead";
    render();
  }

  function showNumbers() {
    typing = true;
    lists.hidden = true;
    numbers.hidden = false;
    modeButton.textContent = "Use the lists instead";
    showSummary();
  }

  modeButton.addEventListener("click", function () {
    // Numbers that are not a ranking (a repeat, a gap, too big) stay in the boxes: turning
    // them into lists would mean choosing an order the voter did not give.
    if (typing && !typedIsValid()) {
      announce(
        "Your numbers stay in the boxes until they are a ranking: number your choices " +
          "1, 2, 3… once each, without gaps."
      );
    } else if (typing) {
      showLists();
      announce("Your numbers are now your ranking in the lists. " + count());
    } else {
      showNumbers();
      announce("The number boxes are shown, with your ranking in them.");
    }
  });
  options.forEach(function (o) {
    o.input.addEventListener("input", showSummary);
  });

  switcher.hidden = false;
  summary.hidden = false;
  // A refused ballot with a wrong number comes back with the boxes, next to their messages;
  // so do numbers that are not a ranking (typed, then brought back by the browser).
  if (
    !typedIsValid() ||
    options.some(function (o) {
      return o.hasError;
    })
  ) {
    showNumbers();
  } else {
    showLists();
  }
})();
