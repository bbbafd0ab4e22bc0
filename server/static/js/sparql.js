// Runs a page's SPARQL query against this server's /sparql and returns the result rows.
//
// The query text is read from the page's <pre> block, so what runs is exactly what the
// researcher sees. Rows come back as objects of plain values: IRIs and literals as strings.
(function () {
  "use strict";

  function plain(binding) {
    return binding ? binding.value : null;
  }

  function select(endpoint, query) {
    var body = new URLSearchParams();
    body.set("query", query);
    return fetch(endpoint, {
      method: "POST",
      headers: {
        Accept: "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded",
      },
      body: body,
    }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (text) {
          var detail = text;
          try {
            detail = JSON.parse(text).error.detail;
          } catch (ignored) {
            // not our JSON error body; show the text as it came
          }
          throw new Error(response.status + ": " + detail);
        });
      }
      var truncated = response.headers.get("Diplograph-Results-Truncated") === "true";
      return response.json().then(function (json) {
        var rows = json.results.bindings.map(function (b) {
          var row = {};
          json.head.vars.forEach(function (v) {
            row[v] = plain(b[v]);
          });
          return row;
        });
        return { rows: rows, truncated: truncated };
      });
    });
  }

  function localHref(iri, base, resourceRoot) {
    var space = base + "resource/";
    return iri && iri.indexOf(space) === 0 ? resourceRoot + iri.slice(space.length) : iri;
  }

  window.diplographSparql = { select: select, localHref: localHref };
})();
