// The presenter's live chart (templates/polls/present.html). #live-chart holds the server-rendered chart and
// names its feeds: data-stream (Server-Sent Events, polls/stream_views.py) and data-results (the same aggregate
// as JSON with an ETag). This script updates that markup (templates/polls/_chart.html: bars, word cloud, vote
// count, mean) from each aggregate.
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

  // Bars: the options never change, so each row (data-key) is updated in place and keeps its translated text;
  // a ranking's figure ("12 points", in the page's language) gets its number replaced.
  function updateBars(list, data) {
    data.items.forEach(function (item) {
      var row = list.querySelector('li[data-key="' + CSS.escape(item.key) + '"]');
      if (!row) {
        return;
      }
      var rect = row.querySelector("rect");
      if (rect) {
        rect.setAttribute("width", (Math.round((item.share || 0) * 1000) / 10).toString());
      }
      var figure = row.querySelector(".bar-figure");
      if (figure) {
        figure.textContent = data.kind === "ranking"
          ? figure.textContent.replace(/\d+/, String(item.points))
          : item.count + " (" + Math.round((item.share || 0) * 100) + " %)";
      }
    });
  }

  // A word cloud: words come and go, so it is redrawn; sizes w1..w5 as templates/polls/_chart.html.
  function redrawCloud(cloud, data) {
    var top = Math.max.apply(null, data.items.map(function (item) { return item.count; }).concat([1]));
    while (cloud.firstChild) {
      cloud.removeChild(cloud.firstChild);
    }
    data.items.forEach(function (item) {
      var word = document.createElement("span");
      word.className = "word w" + (1 + Math.floor(4 * item.count / top));
      word.setAttribute("data-key", item.key);
      word.title = String(item.count);
      word.textContent = item.label;
      cloud.appendChild(word);
      cloud.appendChild(document.createTextNode(" "));
    });
  }

  function render(data) {
    if (String(data.version) === shownVersion) {
      return;
    }
    shownVersion = String(data.version);
    var list = chart.querySelector("[data-bars]");
    var cloud = chart.querySelector("[data-cloud]");
    if (list) {
      updateBars(list, data);
    }
    if (cloud) {
      redrawCloud(cloud, data);
    }
    chart.querySelectorAll("[data-votes]").forEach(function (node) {
      node.textContent = String(data.votes);
    });
    if (data.mean !== null && data.mean !== undefined) {
      chart.querySelectorAll("[data-mean]").forEach(function (node) {
        node.textContent = String(data.mean);
      });
    }
    chart.setAttribute("data-version", shownVersion);
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
