// Receipts kept in the voter's own browser, only when they ask: the site stores no receipt
// linked to anyone. The receipt page offers to keep one; "My ballots" shows those kept.
(function () {
  "use strict";
  var KEY = "grassroots.receipts";

  function read() {
    try {
      var kept = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      return kept && typeof kept === "object" ? kept : {};
    } catch (e) {
      return {};
    }
  }

  // The receipt page: keep this ballot's receipt when the voter presses the button.
  var keep = document.querySelector("[data-keep-receipt]");
  if (keep) {
    var button = keep.querySelector("[data-keep-receipt-button]");
    var status = keep.querySelector("[data-keep-receipt-status]");
    keep.hidden = false;
    button.addEventListener("click", function () {
      var kept = read();
      kept[keep.getAttribute("data-ballot")] = keep.getAttribute("data-code");
      try {
        window.localStorage.setItem(KEY, JSON.stringify(kept));
        status.textContent = "Kept in this browser. It is shown on your My ballots page.";
        button.disabled = true;
      } catch (e) {
        status.textContent = "This browser would not keep it: write the code down instead.";
      }
    });
  }

  // My ballots: show each receipt this browser kept.
  var kept = read();
  Array.prototype.forEach.call(
    document.querySelectorAll("[data-receipt-for]"),
    function (cell) {
      var code = kept[cell.getAttribute("data-receipt-for")];
      if (typeof code === "string") {
        cell.textContent = code;
      }
    }
  );
})();
