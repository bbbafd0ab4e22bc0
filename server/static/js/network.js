// The who-met-whom network: people and the countries they act for as nodes, held meetings
// as edges (one per pair of people, thicker for more meetings), drawn with cytoscape.js.
(function () {
  "use strict";

  var container = document.getElementById("network");
  var status = document.getElementById("network-status");
  var sparql = window.diplographSparql;
  var config = container.dataset;
  var endpoint = config.endpoint;

  function href(iri) {
    return sparql.localHref(iri, config.base, config.resourceRoot);
  }

  function cell(tag, text, link) {
    var el = document.createElement(tag);
    if (link) {
      var a = document.createElement("a");
      a.href = href(link);
      a.textContent = text;
      el.appendChild(a);
    } else {
      el.textContent = text || "";
    }
    return el;
  }

  function fillCountries(affiliations) {
    var select = document.getElementById("country-filter");
    if (!select) {
      return;
    }
    var chosen = select.dataset.selected;
    var seen = {};
    var countries = [];
    affiliations.forEach(function (row) {
      if (!seen[row.country]) {
        seen[row.country] = true;
        countries.push({ iri: row.country, label: row.countryLabel });
      }
    });
    countries.sort(function (x, y) {
      return x.label.localeCompare(y.label);
    });
    select.querySelectorAll("option[value]:not([value=''])").forEach(function (o) {
      o.remove();
    });
    countries.forEach(function (c) {
      var option = document.createElement("option");
      option.value = c.iri;
      option.textContent = c.label;
      option.selected = c.iri === chosen;
      select.appendChild(option);
    });
  }

  function build(edgeRows, affiliations) {
    var people = {};
    var pairs = {};
    var meetings = {};
    edgeRows.forEach(function (row) {
      people[row.a] = row.aLabel;
      people[row.b] = row.bLabel;
      var key = row.a + " " + row.b;
      var pair = pairs[key] || (pairs[key] = { a: row.a, b: row.b, meetings: {} });
      pair.meetings[row.meeting] = row.date;
      var m = meetings[row.meeting] ||
        (meetings[row.meeting] = { iri: row.meeting, date: row.date, place: row.place, people: {} });
      m.people[row.a] = row.aLabel;
      m.people[row.b] = row.bLabel;
    });

    var elements = [];
    Object.keys(people).forEach(function (iri) {
      elements.push({ group: "nodes", data: { id: iri, label: people[iri], kind: "person" } });
    });
    var countries = {};
    affiliations.forEach(function (row) {
      if (!people[row.person]) {
        return;
      }
      if (!countries[row.country]) {
        countries[row.country] = true;
        elements.push({
          group: "nodes",
          data: { id: row.country, label: row.countryLabel, kind: "country" },
        });
      }
      elements.push({
        group: "edges",
        data: { id: "acts " + row.person + " " + row.country, source: row.person, target: row.country, kind: "acts" },
      });
    });
    Object.keys(pairs).forEach(function (key) {
      var pair = pairs[key];
      var dates = Object.keys(pair.meetings).map(function (m) {
        return pair.meetings[m];
      }).sort();
      elements.push({
        group: "edges",
        data: {
          id: "met " + key,
          source: pair.a,
          target: pair.b,
          kind: "met",
          count: dates.length,
          label: dates.length === 1 ? dates[0] : dates.length + " meetings",
        },
      });
    });
    return { elements: elements, meetings: meetings, people: Object.keys(people).length };
  }

  function table(meetings) {
    var body = document.querySelector("#network-table tbody");
    body.textContent = "";
    Object.keys(meetings)
      .map(function (k) {
        return meetings[k];
      })
      .sort(function (x, y) {
        return x.date < y.date ? -1 : x.date > y.date ? 1 : 0;
      })
      .forEach(function (m) {
        var tr = document.createElement("tr");
        tr.appendChild(cell("td", m.date, m.iri));
        var who = document.createElement("td");
        Object.keys(m.people)
          .sort(function (x, y) {
            return m.people[x].localeCompare(m.people[y]);
          })
          .forEach(function (iri, i) {
            if (i) {
              who.appendChild(document.createTextNode(", "));
            }
            var a = document.createElement("a");
            a.href = href(iri);
            a.textContent = m.people[iri];
            who.appendChild(a);
          });
        tr.appendChild(who);
        tr.appendChild(cell("td", m.place || ""));
        body.appendChild(tr);
      });
  }

  function draw(graph) {
    var cy = cytoscape({
      container: container,
      elements: graph.elements,
      wheelSensitivity: 0.3,
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            "font-size": 12,
            "text-valign": "bottom",
            "text-margin-y": 4,
            color: "#1d2733",
            "text-wrap": "wrap",
            "text-max-width": 140,
          },
        },
        {
          selector: "node[kind = 'person']",
          style: { "background-color": "#2f6db5", width: 26, height: 26 },
        },
        {
          selector: "node[kind = 'country']",
          style: {
            shape: "round-rectangle",
            "background-color": "#e0a030",
            width: 34,
            height: 22,
            "font-weight": "bold",
          },
        },
        {
          selector: "edge[kind = 'met']",
          style: {
            width: "mapData(count, 1, 10, 2, 10)",
            "line-color": "#5b6b7c",
            label: "data(label)",
            "font-size": 10,
            color: "#44505c",
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.8,
            "curve-style": "bezier",
          },
        },
        {
          selector: "edge[kind = 'acts']",
          style: { width: 1.5, "line-color": "#e0a030", "line-style": "dashed", "curve-style": "bezier" },
        },
      ],
      layout: { name: "cose", animate: false, padding: 40, nodeRepulsion: 9000, idealEdgeLength: 110 },
    });
    cy.on("tap", "node", function (event) {
      window.location.href = href(event.target.id());
    });
    return cy;
  }

  var edgesQuery = document.getElementById("edges-query").textContent;
  var affiliationsQuery = document.getElementById("affiliations-query").textContent;
  Promise.all([sparql.select(endpoint, edgesQuery), sparql.select(endpoint, affiliationsQuery)])
    .then(function (results) {
      var edges = results[0];
      var affiliations = results[1];
      fillCountries(affiliations.rows);
      var graph = build(edges.rows, affiliations.rows);
      table(graph.meetings);
      var count = Object.keys(graph.meetings).length;
      if (!count) {
        status.textContent = "No held meetings match these filters.";
      } else {
        status.textContent =
          graph.people + " people, " + count + (count === 1 ? " meeting." : " meetings.");
      }
      if (edges.truncated || affiliations.truncated) {
        status.textContent += " The endpoint cut the results at its row limit; narrow the dates.";
        status.classList.add("warning");
      }
      window.diplographNetwork = draw(graph);
      container.dataset.ready = "true";
    })
    .catch(function (error) {
      status.textContent = "The query failed: " + error.message;
      status.classList.add("warning");
      container.dataset.ready = "error";
    });
})();
