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

  // Filters travel as plain query parameters; leave the empty ones out so the
  // address a person bookmarks or shares stays short and readable.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") delete params[key];
    });
  });

  document.addEventListener("DOMContentLoaded", function () { initAutocomplete(document); });
  document.addEventListener("htmx:load", function (event) { initAutocomplete(event.target); });
})();

// Record forms: rows added and removed in place, type-ahead boxes that can add a new record
// through a dialog, and the person's current organisation and title filled in for them.
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  function getJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(function (r) {
      return r.json();
    });
  }

  function withQuery(url, query) {
    return url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
  }

  // --- Type-ahead boxes ---------------------------------------------------------------------

  function initLookups(root) {
    if (typeof TomSelect === "undefined") return;
    root.querySelectorAll("select[data-lookup]").forEach(function (select) {
      if (select.tomselect || select.closest("template")) return;
      var url = select.dataset.lookup;
      var options = {
        valueField: "value",
        labelField: "text",
        searchField: [],
        maxOptions: 30,
        loadThrottle: 250,
        closeAfterSelect: true,
        // The list opens on typing: focus coming back from a dialog must not cover the form.
        openOnFocus: false,
        placeholder: "Type to search",
        load: function (query, callback) {
          getJSON(withQuery(url, query)).then(function (data) { callback(data.results); }).catch(function () { callback(); });
        },
        render: {
          option: function (data, escape) {
            var close = data.close ? ' <span class="badge text-bg-warning ms-1">close match</span>' : "";
            return "<div>" + escape(data.text) + close + "</div>";
          },
          item: function (data, escape) { return "<div>" + escape(data.name || data.text) + "</div>"; },
          option_create: function (data, escape) {
            return '<div class="create">Add new: <strong>' + escape(data.input) + "</strong>…</div>";
          },
          no_results: function () { return '<div class="no-results">No match yet</div>'; },
        },
        onItemAdd: function (value) {
          var data = this.options[value];
          if (data && select.name.slice(-7) === "-person") fillFromPerson(select, data);
        },
      };
      options.plugins = select.multiple ? ["remove_button"] : ["clear_button"];
      if (select.dataset.create) {
        options.create = function (input, callback) { openQuickCreate(select, input, callback); };
      }
      new TomSelect(select, options);
    });
    root.querySelectorAll("select[data-choices]").forEach(function (select) {
      if (select.tomselect || select.closest("template")) return;
      new TomSelect(select, {
        maxOptions: 700,
        closeAfterSelect: true,
        plugins: select.multiple ? ["remove_button"] : ["clear_button"],
        placeholder: "Type to choose",
      });
    });
  }

  // Choosing an attendee fills the row's empty organisation and delegation with the
  // person's current ones: usually right, and easy to change for a past meeting.
  function fillFromPerson(select, person) {
    var row = select.closest("[data-formset-row]");
    if (!row) return;
    var prefix = select.name.slice(0, -7);
    // The current title is only a hint: the title held on the day is what the record needs.
    var title = row.querySelector('[name="' + prefix + '-title"]');
    if (title) title.placeholder = person.title ? "Now: " + person.title : "";
    var organization = row.querySelector('[name="' + prefix + '-organization"]');
    if (organization && organization.tomselect && !organization.value && person.organization) {
      organization.tomselect.addOption(person.organization);
      organization.tomselect.setValue(person.organization.value);
    }
    var delegation = row.querySelector('[name="' + prefix + '-delegation"]');
    if (delegation && !delegation.value && person.country) {
      if (delegation.tomselect) delegation.tomselect.setValue(person.country);
      else delegation.value = person.country;
    }
  }

  // --- "Add new" dialogs ----------------------------------------------------------------------
  //
  // One dialog per kind, reused. A request is one opening of a dialog for one type-ahead box;
  // it is settled exactly once: with the new record, or with nothing when the dialog closes.
  // Bootstrap announces "hidden" only after the backdrop has faded, so a person who opens the
  // next dialog quickly would otherwise see that late event settle (and so lose) the new
  // request; a dialog that is still closing therefore opens again only once it has closed.

  var pending = null;

  function settle(request, record) {
    if (request.done) return;
    request.done = true;
    request.callback(record);
    if (pending === request) pending = null;
  }

  function openQuickCreate(select, input, callback) {
    var modal = document.getElementById("quick-" + select.dataset.create);
    if (!modal || typeof bootstrap === "undefined") { callback(); return; }
    if (pending) settle(pending);
    var request = { callback: callback, modal: modal, opener: select, input: input, prefill: modal.quickPrefill, done: false };
    modal.quickPrefill = null;
    pending = request;
    var show = function () { if (pending === request) showDialog(request); };
    if (modal.dataset.closing) modal.afterClose = show;
    else show();
  }

  function showDialog(request) {
    var modal = request.modal;
    var form = modal.querySelector("form");
    form.reset();
    form.querySelectorAll("select").forEach(function (s) { if (s.tomselect) s.tomselect.clear(true); });
    clearErrors(form);
    modal.querySelector("[data-similar-list]").hidden = true;
    var confirm = modal.querySelector("[data-confirm-new]");
    if (confirm) confirm.hidden = true;
    form.querySelector('[name$="-name"]').value = request.input;
    if (request.prefill) request.prefill(form);
    if (modal.dataset.similar) {
      getJSON(withQuery(modal.dataset.similar, request.input)).then(function (data) {
        if (modal.quickRequest === request) showSimilar(modal, (data.results || []).filter(function (r) { return r.close; }));
      }).catch(function () {});
    }
    modal.quickRequest = request;
    bootstrap.Modal.getOrCreateInstance(modal).show();
  }

  // The request a dialog's buttons act for: none while it is closing.
  function activeRequest(modal) {
    var request = modal.quickRequest;
    return request && !request.done && !modal.dataset.closing ? request : null;
  }

  function finish(request, record) {
    if (!request || request.done) return;
    settle(request, record);
    bootstrap.Modal.getOrCreateInstance(request.modal).hide();
  }

  // Back to the box that opened the dialog, showing the new value, without opening its list.
  function returnFocus(request) {
    var box = request.opener.tomselect;
    if (box) box.focus();
    else request.opener.focus();
  }

  document.addEventListener("shown.bs.modal", function (event) {
    if (!event.target.quickRequest) return;
    var name = event.target.querySelector('[name$="-name"]');
    if (name) name.focus();
  });

  document.addEventListener("hide.bs.modal", function (event) {
    if (event.target.classList.contains("quick-create")) event.target.dataset.closing = "1";
  });

  document.addEventListener("hidden.bs.modal", function (event) {
    var modal = event.target;
    if (!modal.classList.contains("quick-create")) return;
    delete modal.dataset.closing;
    var request = modal.quickRequest;
    modal.quickRequest = null;
    if (request) {
      settle(request);
      returnFocus(request);
    }
    var next = modal.afterClose;
    modal.afterClose = null;
    if (next) next();
  });

  function showSimilar(modal, records) {
    var box = modal.querySelector("[data-similar-list]");
    var items = box.querySelector("[data-similar-items]");
    items.textContent = "";
    records.forEach(function (record) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action";
      button.textContent = "Use " + record.text;
      button.addEventListener("click", function () { finish(activeRequest(modal), record); });
      items.appendChild(button);
    });
    box.hidden = records.length === 0;
    var confirm = modal.querySelector("[data-confirm-new]");
    if (confirm) confirm.hidden = records.length === 0;
  }

  function clearErrors(form) {
    form.querySelectorAll("[data-quick-error]").forEach(function (el) { el.remove(); });
    form.querySelectorAll(".is-invalid").forEach(function (el) { el.classList.remove("is-invalid"); });
    var general = form.querySelector("[data-form-error]");
    general.hidden = true;
    general.textContent = "";
  }

  function showErrors(form, errors) {
    Object.keys(errors).forEach(function (name) {
      var field = form.querySelector('[name$="-' + name + '"]');
      var group = field && field.closest("[id^=group-]");
      if (!group) {
        var general = form.querySelector("[data-form-error]");
        general.textContent = errors[name].join(" ");
        general.hidden = false;
        return;
      }
      field.classList.add("is-invalid");
      var message = document.createElement("div");
      message.className = "invalid-feedback d-block";
      message.dataset.quickError = "";
      message.textContent = errors[name].join(" ");
      group.appendChild(message);
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var modal = form.closest(".quick-create");
    if (!modal) return;
    event.preventDefault();
    var request = activeRequest(modal);
    if (!request) return;
    clearErrors(form);
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    fetch(modal.dataset.url, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json", "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (result.ok) { finish(request, result.data); return; }
        if (result.data.similar && result.data.similar.length) showSimilar(modal, result.data.similar);
        showErrors(form, result.data.errors || {});
      })
      .catch(function () { showErrors(form, { __all__: ["Could not reach the server. Try again."] }); })
      .finally(function () { button.disabled = false; });
  });

  // --- Rows ------------------------------------------------------------------------------------

  function renumber(set) {
    var n = 0;
    set.querySelectorAll("[data-formset-rows] > [data-formset-row]").forEach(function (row) {
      if (row.hidden) return;
      n += 1;
      var number = row.querySelector("[data-row-number]");
      if (number) number.textContent = n;
    });
  }

  function initFormsets(root) {
    root.querySelectorAll("[data-formset]").forEach(function (set) {
      if (set.dataset.ready) return;
      set.dataset.ready = "1";
      var prefix = set.dataset.formset;
      var total = set.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
      var max = set.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
      var template = set.querySelector("template[data-formset-template]");
      var rows = set.querySelector("[data-formset-rows]");
      var add = set.querySelector("[data-formset-add]");
      if (!total || !template || !rows || !add) return;
      set.querySelectorAll('input[name$="-DELETE"]:checked').forEach(function (box) {
        box.closest("[data-formset-row]").hidden = true;
      });
      add.addEventListener("click", function () {
        var index = parseInt(total.value, 10) || 0;
        if (max && index >= parseInt(max.value, 10)) return;
        rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(/__prefix__/g, String(index)));
        total.value = index + 1;
        var row = rows.lastElementChild;
        initLookups(row);
        renumber(set);
        var first = row.querySelector("input:not([type=hidden]), select, textarea");
        if (first && first.tomselect) first.tomselect.focus();
        else if (first) first.focus();
      });
      renumber(set);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-formset-remove]");
    if (!button) return;
    var row = button.closest("[data-formset-row]");
    var box = row.querySelector('input[name$="-DELETE"]');
    if (box) box.checked = true;
    row.hidden = true;
    var set = row.closest("[data-formset]");
    renumber(set);
    var add = set.querySelector("[data-formset-add]");
    if (add) add.focus();
  });

  function init(root) {
    initLookups(root);
    initFormsets(root);
  }

  // Filters travel as plain query parameters; leave the empty ones out so the
  // address a person bookmarks or shares stays short and readable.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get") return;
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") delete params[key];
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    init(document);
    var summary = document.getElementById("error-summary") || document.getElementById("conflict");
    if (summary) summary.focus();
  });
  document.addEventListener("htmx:load", function (event) { init(event.target); });
})();

// New meeting from a press release: a proposed value stays marked until the person changes
// or confirms it; "Add …" buttons open the "Add new" dialog of the box with the name filled
// in; a text too long to send is stopped here with a clear message.
(function () {
  "use strict";

  function remaining() {
    var count = document.querySelector("[data-proposal-count]");
    if (count) count.textContent = document.querySelectorAll("[data-proposed].is-proposed").length;
  }

  function reviewed(field) {
    if (!field || !field.hasAttribute("data-proposed")) return;
    field.classList.remove("is-proposed");
    field.classList.add("is-reviewed");
    remaining();
  }

  document.addEventListener("change", function (event) { reviewed(event.target.closest("[data-proposed]")); });

  function setChoice(select, value, label) {
    if (!select || value === undefined || value === null || value === "") return;
    if (select.tomselect) {
      if (label) select.tomselect.addOption({ value: String(value), text: label });
      select.tomselect.setValue(String(value));
    } else {
      select.value = value;
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-proposal-create]");
    if (!button) return;
    var select = document.getElementById(button.dataset.target);
    var record = JSON.parse(button.dataset.record || "{}");
    if (!select || !select.tomselect) return;
    var modal = document.getElementById("quick-" + button.dataset.proposalCreate);
    // The dialog fills itself in when it opens, which may be a moment later.
    if (modal) modal.quickPrefill = function (form) {
      ["title", "acronym"].forEach(function (name) {
        var input = form.querySelector('[name$="-' + name + '"]');
        if (input && record[name]) input.value = record[name];
      });
      setChoice(form.querySelector('select[name$="-country"]'), record.country);
      setChoice(form.querySelector('select[name$="-kind"]'), record.kind);
      setChoice(form.querySelector('select[name$="-organization"]'), record.organization, record.organization_label);
    };
    select.tomselect.createItem(record.name);
    if (modal) modal.quickPrefill = null;
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.id !== "from-text-form") return;
    var box = form.querySelector("textarea[data-max-chars]");
    var message = form.querySelector("[data-too-long]");
    var limit = parseInt(box.dataset.maxChars, 10);
    if (box.value.length > limit) {
      event.preventDefault();
      message.textContent = "This text has " + box.value.length.toLocaleString("en-GB") + " characters; the limit is " +
        limit.toLocaleString("en-GB") + " (about 50,000 words). Paste only the press release or readout. Nothing was sent.";
      message.hidden = false;
      box.classList.add("is-invalid");
      box.focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    remaining();
    var refusal = document.getElementById("refusal");
    if (refusal) refusal.focus();
  });
})();

// Tom Select moves a select's <label> onto its own search box, leaving the hidden select
// nameless for screen readers; point the select back at that label.
(function () {
  "use strict";
  var scheduled = false;
  function nameEnhancedSelects() {
    scheduled = false;
    document.querySelectorAll("select.tomselected:not([aria-label]):not([aria-labelledby])").forEach(function (select) {
      var label = document.getElementById(select.id + "-ts-label");
      if (label) select.setAttribute("aria-labelledby", label.id);
    });
  }
  new MutationObserver(function () {
    if (!scheduled) {
      scheduled = true;
      window.requestAnimationFrame(nameEnhancedSelects);
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();

// Copy buttons: data-copy-target names the field whose value goes to the clipboard.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) return;
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field) return;
    var label = button.querySelector("span") || button;
    var done = function () {
      var before = label.textContent;
      label.textContent = button.dataset.copiedText || "Copied";
      setTimeout(function () { label.textContent = before; }, 2000);
    };
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        if (document.execCommand("copy")) done();
      });
    } else if (document.execCommand("copy")) {
      done();
    }
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
  });
})();

// Print buttons (the meeting brief): data-print opens the browser's print dialog.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});

// Forms marked data-confirm ask before they submit: for buttons that cannot be undone.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
})();
