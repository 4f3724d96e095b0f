// The presenter's live chart (templates/polls/present.html). #live-chart holds the server-rendered chart and
// names its feeds: data-stream (Server-Sent Events, polls/stream_views.py) and data-results (the same aggregate
// as JSON with an ETag). This script redraws the bars or the word cloud and the vote count from each aggregate.
// Without EventSource, or when the stream keeps failing (a proxy that buffers, sync gunicorn workers all busy),
// it polls data-results every second with If-None-Match, which costs a 304 while nothing changed. Without
// JavaScript the page's meta refresh reloads it.
(function () {
  "use strict";
  var chart = document.getElementById("live-chart");
  if (!chart) {
    return;
  }
  var POLL_MS = 1000;
  var FAILURES_BEFORE_POLLING = 2;
  var shownVersion = chart.getAttribute("data-version");
  var etag = null;
  var polling = false;

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function percent(share) {
    return Math.round((share || 0) * 100) + " %";
  }

  function bars(data) {
    var list = element("ol", "poll-bars");
    data.items.forEach(function (item) {
      var row = element("li", "poll-bar");
      row.appendChild(element("span", "poll-bar-label", item.label));
      var meter = element("meter", "poll-bar-meter");
      meter.min = 0;
      meter.max = 1;
      meter.value = Math.min(item.share || 0, 1);
      meter.setAttribute("aria-label", item.label);
      row.appendChild(meter);
      var figure = data.kind === "ranking" ? item.points : item.count;
      row.appendChild(element("span", "poll-bar-count", figure + " (" + percent(item.share) + ")"));
      list.appendChild(row);
    });
    return list;
  }

  function cloud(data) {
    var list = element("ul", "poll-cloud");
    var most = Math.max.apply(null, data.items.map(function (item) { return item.count; }).concat([1]));
    data.items.forEach(function (item) {
      var size = 1 + Math.round(4 * item.count / most);  // poll-word-1 .. poll-word-5
      var word = element("li", "poll-word poll-word-" + size, item.label);
      word.setAttribute("data-count", item.count);
      list.appendChild(word);
    });
    return list;
  }

  function render(data) {
    if (String(data.version) === shownVersion) {
      return;
    }
    shownVersion = String(data.version);
    var drawing = data.kind === "words" ? cloud(data) : bars(data);
    var old = chart.querySelector("[data-live-drawing]") || chart.firstElementChild;
    drawing.setAttribute("data-live-drawing", "");
    if (old) {
      chart.replaceChild(drawing, old);
    } else {
      chart.appendChild(drawing);
    }
    if (data.mean !== null && data.mean !== undefined) {
      document.querySelectorAll("[data-live-mean]").forEach(function (node) {
        node.textContent = Number(data.mean).toFixed(1);
      });
    }
    document.querySelectorAll("[data-live-votes]").forEach(function (node) {
      node.textContent = data.votes;
    });
    chart.setAttribute("data-version", shownVersion);
    chart.setAttribute("data-votes", data.votes);
  }

  function poll() {
    var headers = etag ? {"If-None-Match": etag} : {};
    fetch(chart.getAttribute("data-results"), {headers: headers, credentials: "same-origin", cache: "no-store"})
      .then(function (response) {
        if (response.status !== 200) {
          return null;
        }
        etag = response.headers.get("ETag");
        return response.json().then(render);
      })
      .catch(function () { return null; })
      .then(function () { window.setTimeout(poll, POLL_MS); });
  }

  function startPolling() {
    if (!polling) {
      polling = true;
      chart.setAttribute("data-live", "polling");
      poll();
    }
  }

  if (!window.EventSource || !chart.getAttribute("data-stream")) {
    startPolling();
    return;
  }
  var failures = 0;
  var source = new EventSource(chart.getAttribute("data-stream"));
  chart.setAttribute("data-live", "stream");
  source.onmessage = function (event) {
    failures = 0;
    render(JSON.parse(event.data));
  };
  // The stream ends every minute by design and EventSource reconnects; only repeated failures without a
  // message between them (or a refused stream: CLOSED) switch to polling.
  source.onerror = function () {
    failures += 1;
    if (source.readyState === EventSource.CLOSED || failures >= FAILURES_BEFORE_POLLING) {
      source.close();
      startPolling();
    }
  };
})();
