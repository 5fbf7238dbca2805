// Small behaviours shared by every page (no framework): confirmation before an irreversible form is sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});

// A button with data-confirm asks before its form is sent.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("button[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// A running total while scoring: the sum of the chosen options' points, as the council member clicks, before
// anything is saved (the server computes the same sum when the sheet is saved).
function ocopRunningTotals() {
  document.querySelectorAll("[data-running-total]").forEach(function (output) {
    var form = document.querySelector(output.getAttribute("data-running-total"));
    if (!form) return;
    var format = new Intl.NumberFormat(document.documentElement.lang || "vi", { maximumFractionDigits: 2 });
    function update() {
      var total = 0;
      form.querySelectorAll("input[type=radio][data-points]:checked").forEach(function (input) {
        total += parseFloat(input.getAttribute("data-points")) || 0;
      });
      output.textContent = format.format(Math.min(total, 100));  // never above 100, as scoring.sheet_total
    }
    form.addEventListener("change", update);
    // Choices made before this script ran (a slow connection, the browser restoring the form) count too.
    update();
  });
}
document.addEventListener("DOMContentLoaded", ocopRunningTotals);

// A field's error message is tied to its control (aria-describedby), so a screen reader reads it with the field.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".field").forEach(function (field, index) {
    var control = field.querySelector("input:not([type=hidden]), select, textarea");
    var errors = field.querySelectorAll(".error");
    if (!control || !errors.length) return;
    var ids = [];
    errors.forEach(function (error, n) {
      if (!error.id) error.id = "field-error-" + index + "-" + n;
      ids.push(error.id);
    });
    var described = control.getAttribute("aria-describedby");
    control.setAttribute("aria-describedby", (described ? described + " " : "") + ids.join(" "));
    control.setAttribute("aria-invalid", "true");
  });
});
