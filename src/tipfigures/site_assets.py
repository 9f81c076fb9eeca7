"""The landing page's style sheet and script, inline in index.html (nothing is loaded)."""

STYLE = """
:root{--ink:#1d2430;--muted:#5b6575;--line:#dde2ea;--soft:#f5f7fa;--accent:#0b6e69;
--accent-ink:#fff;--mark:#ffe28a;--card:#fff;--page:#fbfcfd;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--ink:#e6e9ef;--muted:#9aa4b2;--line:#2f3744;
--soft:#1b212b;--accent:#43b3a8;--accent-ink:#0d1117;--mark:#7a6200;--card:#131820;
--page:#0f141b}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif;
color:var(--ink);background:var(--page)}
.wrap{max-width:1120px;margin:0 auto;padding:0 24px}
a{color:var(--accent)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
pre{background:var(--soft);border:1px solid var(--line);border-radius:8px;padding:12px 14px;
overflow:auto}
header.top{background:linear-gradient(135deg,#0b6e69,#13406b);color:#fff;padding:40px 0 28px}
header.top a.button{color:#0b3f4a}
.eyebrow{text-transform:uppercase;letter-spacing:.08em;font-size:.8em;opacity:.85;margin:0}
h1{font-size:2.1em;line-height:1.2;margin:.2em 0 .4em}
.lede{max-width:52em;font-size:1.08em;opacity:.95}
.facts{display:flex;flex-wrap:wrap;gap:8px 20px;align-items:center;font-size:.95em}
.badge{background:#fff;color:#0b3f4a;border-radius:999px;padding:3px 12px}
.badge.small{font-size:.75em;padding:1px 8px;background:var(--accent);color:var(--accent-ink);
vertical-align:middle}
.button{display:inline-block;background:#fff;border-radius:8px;padding:8px 16px;
text-decoration:none;font-weight:600;margin-right:8px}
.button.ghost{background:transparent;color:#fff!important;border:1px solid #ffffff99}
nav{display:flex;flex-wrap:wrap;gap:4px 18px;padding-top:14px;padding-bottom:14px;
border-bottom:1px solid var(--line);position:sticky;top:0;background:var(--page);z-index:2}
nav a{text-decoration:none;font-weight:600}
section{padding:8px 0 20px;scroll-margin-top:56px}
h2{font-size:1.5em;margin:1.4em 0 .4em}
h3{font-size:1.1em;margin:1.2em 0 .4em}
h4{margin:1em 0 .3em;font-size:.95em;color:var(--muted)}
.sub{color:var(--muted);font-size:.88em;font-weight:normal}
.scroll{overflow-x:auto;border:1px solid var(--line);border-radius:8px;background:var(--card)}
table.data{border-collapse:collapse;width:100%;font-size:.9em}
table.data th,table.data td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);
vertical-align:top}
table.data thead th{background:var(--soft);font-weight:600;white-space:nowrap}
table.data tbody tr:last-child>*{border-bottom:0}
table.data .num{text-align:right;font-variant-numeric:tabular-nums}
table.preview td{max-width:22em;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
table.versions ul{margin:.3em 0 0;padding-left:1.2em;color:var(--muted)}
a.file{font-weight:600}
time{white-space:nowrap}
.meta{font-size:.92em}
details{margin:.8em 0}
details>summary{cursor:pointer}
details.resource,details.group{border:1px solid var(--line);border-radius:8px;
padding:10px 14px;background:var(--card)}
details.group[open]>summary{margin-bottom:10px}
svg .grid{stroke:var(--line);stroke-width:1}
svg .axis{stroke:var(--muted);stroke-width:1}
svg .tick{fill:var(--muted);font-size:12px}
svg .label{fill:var(--ink);font-size:10.5px;font-weight:600}
svg .empty{fill:var(--muted);font-size:12px}
ol.figures{list-style:none;margin:0;padding:0;display:grid;gap:10px}
ol.figures li{border-top:1px solid var(--line);padding:10px 2px 4px}
.what{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}
.value{font-size:1.2em;font-weight:700;font-variant-numeric:tabular-nums}
.chip{background:var(--soft);border:1px solid var(--line);border-radius:999px;padding:0 9px;
font-size:.82em}
blockquote{margin:.4em 0 0;color:var(--ink);opacity:.92}
mark{background:var(--mark);color:inherit;border-radius:3px;padding:0 2px;font-weight:600}
input[type=search]{font:inherit;padding:6px 10px;border:1px solid var(--line);border-radius:8px;
min-width:18em;background:var(--card);color:var(--ink)}
footer{color:var(--muted);font-size:.9em;padding:24px;border-top:1px solid var(--line);
margin-top:24px}
.panels{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
figure.panel{margin:0;background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:10px 12px 6px}
figure.panel figcaption{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:baseline;
font-weight:600}
svg.chart{width:100%;height:auto;display:block}
svg.chart[hidden],section.country[hidden]{display:none}
svg .series{fill:none}
svg .series polyline{stroke:currentColor;stroke-width:2;fill:none;stroke-linejoin:round}
svg .series circle{fill:currentColor;stroke:var(--card);stroke-width:1.5}
svg .series circle.conflict{stroke:var(--ink);stroke-dasharray:2 1.5}
svg .series.off{display:none}
svg a.point{color:inherit}
svg a.point:hover circle,svg a.point:focus circle{stroke:var(--ink);stroke-width:2.5}
.units{display:inline-flex;gap:4px;font-weight:normal}
.units button,.picker button{font:inherit;font-size:.85em;border:1px solid var(--line);
background:var(--card);color:var(--ink);border-radius:999px;padding:1px 10px;cursor:pointer}
.units button[aria-pressed=true]{background:var(--accent);color:var(--accent-ink);
border-color:var(--accent)}
.picker{display:flex;flex-wrap:wrap;gap:6px 8px;align-items:center;margin:.6em 0 1em}
.picker label{display:inline-flex;align-items:center;gap:6px;border:1px solid var(--line);
border-radius:999px;padding:2px 10px 2px 6px;cursor:pointer;background:var(--card);
font-size:.9em}
.picker label i{display:inline-block;width:12px;height:12px;border-radius:50%}
.picker input{margin:0}
.picker label:has(input:not(:checked)){opacity:.55}
.country-pick{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.country-pick select{font:inherit;padding:5px 8px;border-radius:8px;border:1px solid var(--line);
background:var(--card);color:var(--ink)}
section.country{border:1px solid var(--line);border-radius:10px;background:var(--card);
padding:4px 18px 12px;margin:12px 0}
table.panel-table td a{text-decoration:none;font-weight:600}
table.panel-table td.empty{color:var(--muted)}
i.swatch{display:inline-block;width:12px;height:12px;border-radius:50%;margin-right:8px}
sup.conflict{color:#c15065;font-weight:700}
ol.sentences{margin:0;padding-left:1.2em}
ol.sentences li{padding:6px 0;border-top:1px solid var(--line);scroll-margin-top:70px}
ol.sentences li:target,ol.sentences li.flash{background:var(--soft);outline:2px solid
var(--accent);border-radius:6px}
dl.quality{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:.5em 0}
dl.quality dt{font-weight:600}
dl.quality dd{margin:0;font-variant-numeric:tabular-nums}
blockquote.cite{border-left:4px solid var(--accent);padding:6px 14px;background:var(--soft);
border-radius:0 8px 8px 0;margin:.6em 0}
"""

SCRIPT = """
(function () {
  if (/^https?:$/.test(location.protocol)) {
    var here = location.href.replace(/[?#].*$/, '').replace(/\\/[^\\/]*$/, '');
    document.querySelectorAll('.base-url').forEach(function (el) { el.textContent = here; });
    document.querySelectorAll('.base-url-note').forEach(function (el) { el.hidden = true; });
  }
})();
(function () {
  var box = document.getElementById('figure-filter');
  if (!box) return;
  var items = Array.prototype.slice.call(document.querySelectorAll('#figure-list li'));
  var groups = Array.prototype.slice.call(document.querySelectorAll('#figure-list .group'));
  var count = document.getElementById('figure-count');
  var texts = null;  /* what each item is searched by, read at the first search */
  box.addEventListener('input', function () {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    texts = texts || items.map(function (li) {
      return (li.getAttribute('data-search') + ' ' + li.textContent).toLowerCase();
    });
    items.forEach(function (li, index) {
      var text = texts[index];
      var hit = words.every(function (w) { return text.indexOf(w) >= 0; });
      li.hidden = !hit;
      if (hit) shown += 1;
    });
    groups.forEach(function (g) {
      var any = !!g.querySelector('li:not([hidden])');
      g.hidden = !any;
      if (words.length) g.open = any;
    });
    count.textContent = String(shown);
  });
})();
(function () {
  /* the country picker: show or hide a country's line in every chart, then rescale the y axis
     (nice_ticks as in site_charts.py) to the lines shown */
  var NS = 'http://www.w3.org/2000/svg';
  function niceTicks(top) {
    top = Math.max(top, 1);
    var raw = top / 5, power = Math.pow(10, Math.floor(Math.log10(raw))), step = 10 * power;
    for (var m of [1, 2, 2.5, 5, 10]) {
      if (m * power >= raw) { step = m * power; break; }
    }
    step = Math.max(step, 1);
    var n = Math.ceil(top / step - 1e-9), ticks = [];
    for (var i = 0; i <= n; i++) ticks.push(i * step);
    return ticks;
  }
  function label(v) {
    if (v >= 1e6) return String(v / 1e6) + 'M';
    if (v >= 1e4) return String(v / 1e3) + 'k';
    return v.toLocaleString('en-US', {maximumFractionDigits: 1});
  }
  function svgEl(name, attrs, text) {
    var el = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    if (text !== undefined) el.textContent = text;
    return el;
  }
  function redraw(svg) {
    var top = +svg.dataset.top, height = +svg.dataset.height;
    var left = +svg.dataset.left, right = +svg.dataset.right;
    var shown = svg.querySelectorAll('g.series:not(.off) circle');
    var max = 0;
    shown.forEach(function (c) { max = Math.max(max, +c.dataset.value); });
    var ticks = niceTicks(max), high = ticks[ticks.length - 1];
    function y(v) { return (top + height - height * v / high).toFixed(1); }
    var axis = svg.querySelector('g.y-axis');
    while (axis.firstChild) axis.removeChild(axis.firstChild);
    ticks.forEach(function (t) {
      axis.appendChild(svgEl('line', {'class': 'grid', x1: left, x2: right, y1: y(t), y2: y(t)}));
      axis.appendChild(svgEl('text', {'class': 'tick', x: left - 8, y: (+y(t) + 4).toFixed(1),
                                      'text-anchor': 'end'}, label(t)));
    });
    svg.querySelectorAll('g.series:not(.off)').forEach(function (g) {
      var points = [];
      g.querySelectorAll('circle').forEach(function (c) {
        c.setAttribute('cy', y(+c.dataset.value));
        points.push(c.getAttribute('cx') + ',' + c.getAttribute('cy'));
      });
      g.querySelector('polyline').setAttribute('points', points.join(' '));
    });
  }
  var boxes = Array.prototype.slice.call(document.querySelectorAll('#picker input[name=country]'));
  var count = document.getElementById('picked-count');
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.value] = b.checked; });
    document.querySelectorAll('svg.chart g.series').forEach(function (g) {
      g.classList.toggle('off', !on[g.dataset.country]);
    });
    document.querySelectorAll('svg.chart').forEach(redraw);
    if (count) count.textContent = String(boxes.filter(function (b) { return b.checked; }).length);
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  document.querySelectorAll('#picker button[data-pick]').forEach(function (button) {
    button.addEventListener('click', function () {
      var all = button.dataset.pick === 'all';
      boxes.forEach(function (b) { b.checked = all; });
      apply();
    });
  });
  /* unit switch: one unit of an indicator at a time */
  document.querySelectorAll('.units').forEach(function (group) {
    var figure = group.closest('figure');
    group.querySelectorAll('button').forEach(function (button) {
      button.addEventListener('click', function () {
        group.querySelectorAll('button').forEach(function (b) {
          b.setAttribute('aria-pressed', String(b === button));
        });
        figure.querySelectorAll('svg.chart').forEach(function (svg) {
          svg.toggleAttribute('hidden', svg.dataset.unit !== button.dataset.unit);
        });
      });
    });
  });
  /* the per-country view: one country at a time; a chart point opens its country */
  var select = document.getElementById('country-view');
  var views = Array.prototype.slice.call(document.querySelectorAll('section.country'));
  function show(code) {
    views.forEach(function (v) { v.hidden = v.dataset.country !== code; });
    if (select) select.value = code;
  }
  function follow() {
    var id = decodeURIComponent(location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) return;
    var view = target.closest('section.country');
    if (view) {
      show(view.dataset.country);
      target.scrollIntoView({block: 'center'});
      target.classList.add('flash');
      setTimeout(function () { target.classList.remove('flash'); }, 1600);
    }
  }
  if (select && views.length) {
    select.addEventListener('change', function () { show(select.value); });
    show(select.value);
    window.addEventListener('hashchange', follow);
    follow();
  }
  document.querySelectorAll('.page-url').forEach(function (el) {
    if (/^https?:$/.test(location.protocol)) el.textContent = location.href.replace(/[?#].*$/, '');
  });
})();
"""
