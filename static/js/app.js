// Small behaviours shared by every page. Kept in a file, never inline, so a strict
// Content-Security-Policy can forbid inline scripts.
(function () {
  "use strict";

  // Selects marked data-autocomplete search the server as the person types.
  function initAutocomplete(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-autocomplete]").forEach(function (select) {
      if (select.tomselect) return;
      var url = select.dataset.autocomplete;
      new TomSelect(select, {
        valueField: "value",
        labelField: "text",
        searchField: [],
        maxOptions: 20,
        loadThrottle: 250,
        allowEmptyOption: true,
        placeholder: "Type to search",
        load: function (query, callback) {
          fetch(url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
            .then(function (response) { return response.json(); })
            .then(function (data) { callback(data.results); })
            .catch(function () { callback(); });
        },
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { initAutocomplete(document); });
  document.addEventListener("htmx:load", function (event) { initAutocomplete(event.target); });
})();
