// The who-met-whom network, drawn with cytoscape.js: people (circles, larger for more
// meetings) grouped in a box per state they act for, a line between two people who met
// (thicker for more meetings). Dates are on hover and in the table below, not on the canvas.
//
// The layout is computed here, not by a force simulation: groups and people are sorted by
// their meetings and names and packed in rows to the width of the page, every person in a
// cell wide enough for the name under it. The same data in the same window gives the same
// picture, and no label covers another label or a node. The canvas grows downwards with the
// data at a readable size (it is never zoomed out below 1 to make everything fit).
(function () {
  "use strict";

  var container = document.getElementById("network");
  var status = document.getElementById("network-status");
  var tip = document.getElementById("network-tip");
  var sparql = window.diplographSparql;
  var config = container.dataset;
  var endpoint = config.endpoint;

  var FONT_FAMILY = "Helvetica, Arial, sans-serif";
  var FONT_PX = 12;
  var GROUP_FONT_PX = 13;
  var LABEL_GAP = 4; // between a circle and its name
  var CELL_GAP_X = 14; // between two names side by side
  var CELL_GAP_Y = 12; // between a name and the circle below it
  var GROUP_PAD = 12; // inside a group's box (cytoscape's compound padding)
  var GROUP_GAP = 22; // between boxes
  var GROUP_LABEL = GROUP_FONT_PX + 10; // room above a box for the state's name
  var MARGIN = 16;
  var NO_STATE = "no-state";

  function href(iri) {
    return sparql.localHref(iri, config.base, config.resourceRoot);
  }

  function byText(x, y) {
    return x < y ? -1 : x > y ? 1 : 0;
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

  // ---- the data ------------------------------------------------------------------------

  function collect(edgeRows, affiliations) {
    var people = {};
    var pairs = {};
    var meetings = {};
    edgeRows.forEach(function (row) {
      [
        [row.a, row.aLabel],
        [row.b, row.bLabel],
      ].forEach(function (p) {
        var person = people[p[0]] || (people[p[0]] = { iri: p[0], label: p[1], meetings: {} });
        person.meetings[row.meeting] = true;
      });
      var key = row.a + " " + row.b;
      var pair = pairs[key] || (pairs[key] = { a: row.a, b: row.b, meetings: {} });
      pair.meetings[row.meeting] = row.date || "";
      var m =
        meetings[row.meeting] ||
        (meetings[row.meeting] = { iri: row.meeting, date: row.date || "", place: row.place, people: {} });
      m.people[row.a] = row.aLabel;
      m.people[row.b] = row.bLabel;
    });
    // the state each person acts for: the first by name when an article gives several
    var states = {};
    affiliations.forEach(function (row) {
      var person = people[row.person];
      if (!person) {
        return;
      }
      if (!person.state || row.countryLabel.localeCompare(states[person.state].label) < 0) {
        person.state = row.country;
      }
      states[row.country] = states[row.country] || { iri: row.country, label: row.countryLabel };
    });
    Object.keys(people).forEach(function (iri) {
      var person = people[iri];
      person.count = Object.keys(person.meetings).length;
      if (!person.state) {
        person.state = NO_STATE;
        states[NO_STATE] = { iri: NO_STATE, label: "State not given" };
      }
    });
    return { people: people, pairs: pairs, meetings: meetings, states: states };
  }

  // ---- the layout ----------------------------------------------------------------------

  var measure = document.createElement("canvas").getContext("2d");
  function textWidth(text, px, weight) {
    measure.font = (weight || "normal") + " " + px + "px " + FONT_FAMILY;
    return Math.ceil(measure.measureText(text).width);
  }

  function diameter(count) {
    return Math.round(12 + 6 * Math.sqrt(Math.min(count, 60)));
  }

  // People of each state in a grid of equal cells; the boxes packed in rows (shelves) no
  // wider than the canvas. Returns positions and the height the canvas needs.
  function layout(data, width) {
    var groups = Object.keys(data.states).map(function (iri) {
      var members = Object.keys(data.people)
        .map(function (p) {
          return data.people[p];
        })
        .filter(function (p) {
          return p.state === iri;
        })
        .sort(function (x, y) {
          return y.count - x.count || byText(x.label, y.label) || byText(x.iri, y.iri);
        });
      var meetings = members.reduce(function (n, p) {
        return n + p.count;
      }, 0);
      return { state: data.states[iri], members: members, meetings: meetings };
    }).filter(function (g) {
      // a state named only as someone's second affiliation has nobody drawn in it
      return g.members.length > 0;
    });
    groups.sort(function (x, y) {
      var none = (x.state.iri === NO_STATE) - (y.state.iri === NO_STATE);
      return none || y.meetings - x.meetings || byText(x.state.label, y.state.label);
    });
    var usable = Math.max(240, width - 2 * MARGIN);
    var positions = {};
    var x = MARGIN;
    var y = MARGIN;
    var shelf = 0;
    var right = 0;
    groups.forEach(function (g) {
      var cellW = 0;
      var nodeMax = 0;
      g.members.forEach(function (p) {
        p.size = diameter(p.count);
        nodeMax = Math.max(nodeMax, p.size);
        cellW = Math.max(cellW, textWidth(p.label, FONT_PX), p.size);
      });
      cellW += CELL_GAP_X;
      var cellH = nodeMax + LABEL_GAP + FONT_PX + 4 + CELL_GAP_Y;
      var titleW = textWidth(g.state.label, GROUP_FONT_PX, "bold") + 8;
      var fit = Math.max(1, Math.floor((usable - 2 * GROUP_PAD) / cellW));
      var n = g.members.length;
      var columns = Math.max(1, Math.min(fit, n, Math.ceil(Math.sqrt(n * 1.6))));
      var rows = Math.ceil(n / columns);
      var boxW = Math.max(columns * cellW, titleW) + 2 * GROUP_PAD;
      var boxH = rows * cellH + 2 * GROUP_PAD;
      if (x > MARGIN && x + boxW > MARGIN + usable) {
        x = MARGIN;
        y += shelf + GROUP_GAP;
        shelf = 0;
      }
      var inner = (boxW - 2 * GROUP_PAD - columns * cellW) / 2;
      g.members.forEach(function (p, i) {
        var col = i % columns;
        var row = Math.floor(i / columns);
        positions[p.iri] = {
          x: x + GROUP_PAD + inner + col * cellW + cellW / 2,
          y: y + GROUP_LABEL + GROUP_PAD + row * cellH + nodeMax / 2,
        };
      });
      g.box = { x: x, y: y + GROUP_LABEL, w: boxW, h: boxH };
      x += boxW + GROUP_GAP;
      right = Math.max(right, x - GROUP_GAP);
      shelf = Math.max(shelf, GROUP_LABEL + boxH);
    });
    return {
      groups: groups,
      positions: positions,
      width: right + MARGIN,
      height: y + shelf + MARGIN,
    };
  }

  function elements(data, placed) {
    var out = [];
    placed.groups.forEach(function (g) {
      out.push({
        group: "nodes",
        data: {
          id: g.state.iri,
          label: g.state.label,
          kind: g.state.iri === NO_STATE ? "nostate" : "country",
          meetings: g.meetings,
        },
        selectable: false,
      });
      g.members.forEach(function (p) {
        out.push({
          group: "nodes",
          data: {
            id: p.iri,
            label: p.label,
            kind: "person",
            parent: g.state.iri,
            count: p.count,
            size: p.size,
          },
          position: placed.positions[p.iri],
        });
      });
    });
    Object.keys(data.pairs)
      .sort()
      .forEach(function (key) {
        var pair = data.pairs[key];
        var dates = Object.keys(pair.meetings)
          .map(function (m) {
            return pair.meetings[m];
          })
          .sort();
        // a line between two people of one row would run through the people between them:
        // it arcs over the row instead
        var from = placed.positions[pair.a];
        var to = placed.positions[pair.b];
        var dx = Math.abs(from.x - to.x);
        var sameRow = Math.abs(from.y - to.y) < 1;
        out.push({
          group: "edges",
          data: {
            id: "met " + key,
            source: pair.a,
            target: pair.b,
            kind: "met",
            count: dates.length,
            dates: dates,
            bend: sameRow ? Math.round(Math.min(70, 24 + 0.1 * dx)) * (from.x < to.x ? -1 : 1) : 0,
          },
        });
      });
    return out;
  }

  function table(meetings) {
    var body = document.querySelector("#network-table tbody");
    body.textContent = "";
    Object.keys(meetings)
      .map(function (k) {
        return meetings[k];
      })
      .sort(function (x, y) {
        return byText(x.date, y.date) || byText(x.iri, y.iri);
      })
      .forEach(function (m) {
        var tr = document.createElement("tr");
        tr.appendChild(cell("td", m.date || "date not given", m.iri));
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

  // ---- drawing -------------------------------------------------------------------------

  function describeEdge(edge) {
    var dates = edge.data("dates").map(function (d) {
      return d || "date not given";
    });
    var names = edge.source().data("label") + " and " + edge.target().data("label");
    var count = dates.length === 1 ? "met once: " : "met " + dates.length + " times: ";
    return names + " " + count + dates.join(", ");
  }

  function describeNode(node) {
    if (node.data("kind") === "person") {
      var n = node.data("count");
      var state = node.parent().data("label");
      return node.data("label") + " (" + state + "): " + n + (n === 1 ? " meeting" : " meetings");
    }
    return node.data("label") + ": " + node.children().length + " people";
  }

  function showTip(text, event) {
    if (!tip) {
      return;
    }
    tip.textContent = text;
    tip.hidden = false;
    var pos = event.renderedPosition || { x: 0, y: 0 };
    tip.style.left = Math.round(pos.x + 14) + "px";
    tip.style.top = Math.round(pos.y + 14) + "px";
  }

  function hideTip() {
    if (tip) {
      tip.hidden = true;
    }
  }

  function draw(data) {
    var width = container.clientWidth;
    var placed = layout(data, width);
    container.style.height = Math.max(200, Math.ceil(placed.height)) + "px";
    // a picture narrower than the page is centred in it
    var offset = Math.max(0, Math.floor((width - placed.width) / 2));
    var maxCount = 1;
    Object.keys(data.pairs).forEach(function (k) {
      maxCount = Math.max(maxCount, Object.keys(data.pairs[k].meetings).length);
    });
    var cy = cytoscape({
      container: container,
      elements: elements(data, placed),
      layout: { name: "preset", fit: false, padding: 0 },
      zoom: 1,
      pan: { x: offset, y: 0 },
      minZoom: 0.3,
      maxZoom: 3,
      userZoomingEnabled: true,
      wheelSensitivity: 0.3,
      autoungrabify: true,
      boxSelectionEnabled: false,
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            "font-family": FONT_FAMILY,
            "font-size": FONT_PX,
            color: "#1d2733",
            "min-zoomed-font-size": 7,
          },
        },
        {
          selector: "node[kind = 'person']",
          style: {
            "background-color": "#2f6db5",
            width: "data(size)",
            height: "data(size)",
            "z-compound-depth": "top",
            "z-index": 20,
            "text-valign": "bottom",
            "text-halign": "center",
            "text-margin-y": LABEL_GAP,
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.85,
            "text-background-padding": 1,
          },
        },
        {
          selector: "node[kind = 'country'], node[kind = 'nostate']",
          style: {
            shape: "round-rectangle",
            "background-color": "#fdf3df",
            "background-opacity": 1,
            "border-width": 1,
            "border-color": "#e0a030",
            "font-size": GROUP_FONT_PX,
            "font-weight": "bold",
            "text-valign": "top",
            "text-halign": "center",
            "text-margin-y": -4,
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.85,
            "text-background-padding": 1,
            padding: GROUP_PAD,
            "compound-sizing-wrt-labels": "include",
          },
        },
        {
          selector: "node[kind = 'nostate']",
          style: { "background-color": "#f1f3f5", "border-color": "#b8c0c8", "border-style": "dashed" },
        },
        {
          selector: "edge[kind = 'met']",
          style: {
            width: "mapData(count, 1, " + Math.max(2, maxCount) + ", 1.5, 7)",
            "line-color": "#5b6b7c",
            opacity: 0.5,
            "curve-style": "unbundled-bezier",
            "control-point-distances": "data(bend)",
            "control-point-weights": 0.5,
          },
        },
        {
          selector: "edge.hover",
          style: { "line-color": "#c0392b", opacity: 1, "z-index": 10 },
        },
        {
          selector: "node.hover",
          style: { "background-color": "#c0392b" },
        },
      ],
    });
    cy.on("mouseover", "edge", function (event) {
      event.target.addClass("hover");
      showTip(describeEdge(event.target), event);
    });
    cy.on("mouseover", "node", function (event) {
      if (event.target.data("kind") === "person") {
        event.target.addClass("hover");
        event.target.connectedEdges().addClass("hover");
      }
      showTip(describeNode(event.target), event);
    });
    cy.on("mouseout", "node, edge", function (event) {
      event.target.removeClass("hover");
      if (event.target.isNode()) {
        event.target.connectedEdges().removeClass("hover");
      }
      hideTip();
    });
    cy.on("tap", "node", function (event) {
      var id = event.target.id();
      if (id !== NO_STATE) {
        window.location.href = href(id);
      }
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
      var data = collect(edges.rows, affiliations.rows);
      table(data.meetings);
      var count = Object.keys(data.meetings).length;
      var people = Object.keys(data.people).length;
      var drawn = {};
      Object.keys(data.people).forEach(function (p) {
        drawn[data.people[p].state] = true;
      });
      var states = Object.keys(drawn).filter(function (s) {
        return s !== NO_STATE;
      }).length;
      if (!count) {
        status.textContent = "No held meetings match these filters.";
      } else {
        status.textContent =
          people + " people of " + states + (states === 1 ? " state, " : " states, ") + count +
          (count === 1 ? " meeting" : " meetings") + ". Point at a line for its dates.";
      }
      if (edges.truncated || affiliations.truncated) {
        status.textContent += " The endpoint cut the results at its row limit; narrow the dates.";
        status.classList.add("warning");
      }
      window.diplographNetwork = draw(data);
      container.dataset.ready = "true";
    })
    .catch(function (error) {
      status.textContent = "The query failed: " + error.message;
      status.classList.add("warning");
      container.dataset.ready = "error";
    });
})();
