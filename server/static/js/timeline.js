// The meetings timeline: one dot per meeting on a time axis (filled = held, hollow =
// scheduled) and the same meetings listed by year below it.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var DAY = 86400000;
  var holder = document.getElementById("timeline");
  var axis = document.getElementById("timeline-axis");
  var list = document.getElementById("timeline-list");
  var status = document.getElementById("timeline-status");
  var sparql = window.diplographSparql;
  var config = holder.dataset;

  function href(iri) {
    return sparql.localHref(iri, config.base, config.resourceRoot);
  }

  function svg(tag, attrs, parent) {
    var el = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) {
      el.setAttribute(k, attrs[k]);
    });
    if (parent) {
      parent.appendChild(el);
    }
    return el;
  }

  function time(date) {
    return Date.parse(date + "T00:00:00Z");
  }

  function ticks(start, end) {
    var out = [];
    var first = new Date(start);
    var years = (end - start) / (365 * DAY);
    var month = years > 3 ? 12 : years > 1 ? 3 : 1;
    var d = new Date(Date.UTC(first.getUTCFullYear(), 0, 1));
    while (d.getTime() <= end) {
      if (d.getTime() >= start) {
        out.push(new Date(d.getTime()));
      }
      d.setUTCMonth(d.getUTCMonth() + month);
    }
    return { dates: out, months: month !== 12 };
  }

  function drawAxis(meetings) {
    var width = Math.max(axis.clientWidth || holder.clientWidth || 800, 300);
    var margin = 30;
    var times = meetings.map(function (m) {
      return time(m.date);
    });
    var start = Math.min.apply(null, times) - 15 * DAY;
    var end = Math.max.apply(null, times) + 15 * DAY;
    var x = function (t) {
      return margin + ((t - start) / (end - start)) * (width - 2 * margin);
    };
    var stacks = {};
    var tallest = 1;
    meetings.forEach(function (m) {
      stacks[m.date] = (stacks[m.date] || 0) + 1;
      tallest = Math.max(tallest, stacks[m.date]);
    });
    var height = 70 + tallest * 16;
    axis.setAttribute("viewBox", "0 0 " + width + " " + height);
    axis.setAttribute("height", height);
    axis.textContent = "";
    var baseline = height - 30;
    svg("line", { x1: margin, x2: width - margin, y1: baseline, y2: baseline, class: "rail" }, axis);
    var t = ticks(start, end);
    t.dates.forEach(function (d) {
      var px = x(d.getTime());
      svg("line", { x1: px, x2: px, y1: baseline - 4, y2: baseline + 4, class: "tick" }, axis);
      var label = svg("text", { x: px, y: baseline + 18, class: "tick-label" }, axis);
      label.textContent = t.months
        ? d.toISOString().slice(0, 7)
        : String(d.getUTCFullYear());
    });
    var placed = {};
    meetings.forEach(function (m) {
      placed[m.date] = (placed[m.date] || 0) + 1;
      var link = svg("a", { href: href(m.meeting), class: "dot-link" }, axis);
      var dot = svg(
        "circle",
        {
          cx: x(time(m.date)),
          cy: baseline - 12 - (placed[m.date] - 1) * 16,
          r: 6,
          class: m.scheduled ? "dot scheduled" : "dot held",
        },
        link
      );
      var title = svg("title", {}, dot);
      title.textContent =
        m.date + (m.scheduled ? " (scheduled): " : ": ") + m.participants + (m.place ? " in " + m.place : "");
    });
  }

  function drawList(meetings) {
    list.textContent = "";
    var year = null;
    meetings.forEach(function (m) {
      var y = m.date.slice(0, 4);
      if (y !== year) {
        year = y;
        var head = document.createElement("li");
        head.className = "year";
        head.textContent = y;
        list.appendChild(head);
      }
      var li = document.createElement("li");
      li.className = m.scheduled ? "meeting scheduled" : "meeting held";
      var when = document.createElement("a");
      when.href = href(m.meeting);
      when.className = "when";
      when.textContent = m.date;
      li.appendChild(when);
      var kind = document.createElement("span");
      kind.className = "kind";
      kind.textContent = m.scheduled ? "scheduled" : "held";
      li.appendChild(kind);
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = m.participants + (m.place ? " · " + m.place : "");
      li.appendChild(who);
      list.appendChild(li);
    });
  }

  var query = document.getElementById("timeline-query").textContent;
  sparql
    .select(config.endpoint, query)
    .then(function (result) {
      var meetings = result.rows.map(function (row) {
        return {
          meeting: row.meeting,
          date: row.date,
          scheduled: row.scheduled === "true",
          participants: row.participants || "",
          place: row.place,
        };
      });
      if (!meetings.length) {
        status.textContent = "No meetings match these filters.";
      } else {
        var held = meetings.filter(function (m) {
          return !m.scheduled;
        }).length;
        status.textContent =
          meetings.length + " meetings: " + held + " held, " + (meetings.length - held) + " scheduled.";
        drawAxis(meetings);
        drawList(meetings);
      }
      if (result.truncated) {
        status.textContent += " The endpoint cut the results at its row limit; narrow the dates.";
        status.classList.add("warning");
      }
      holder.dataset.ready = "true";
    })
    .catch(function (error) {
      status.textContent = "The query failed: " + error.message;
      status.classList.add("warning");
      holder.dataset.ready = "error";
    });
})();
