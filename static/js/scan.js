// The stamp page's "use my location": the browser asks the person; only a position rounded to about 10 km is
// sent, and the server keeps only the province nearest to it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-geo]");
  if (!form || !("geolocation" in navigator)) return;
  var button = form.querySelector("[data-geo-button]");
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(1);
      form.querySelector("[name=lon]").value = position.coords.longitude.toFixed(1);
      form.querySelector("[name=province]").value = "";
      form.requestSubmit();
    }, function () {
      button.disabled = false;
    }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 600000 });
  });
})();
