// html_page.js - the script of wirelab's -T html page (embedded by the build,
// allowed by the page's Content-Security-Policy through its SHA-256 hash).
// It reads the exchanges from <script type="application/json"> data blocks and
// draws each as an SVG sequence diagram. Packet text only ever reaches the
// page through textContent and setAttribute, never as markup.
(function () {
  'use strict';
  var root = document.documentElement;
  var errors = [];
  function noteError(msg) {
    errors.push(String(msg));
    root.setAttribute('data-js-errors', String(errors.length));
    var pre = document.getElementById('wl-errors');
    if (pre) pre.textContent = errors.join('\n');
  }
  window.addEventListener('error', function (ev) { noteError(ev.message || 'error'); });

  var SVGNS = 'http://www.w3.org/2000/svg';
  var ROW = 24, HEAD = 56, LANE_MIN = 90, NOTE_W = 560, TIME_W = 90;
  var ALL_LIMIT = 2000;   // up to this many messages every arrow is in the DOM; past it, a window
  var WINDOW_ROWS = 120;  // rows drawn around the visible ones when virtualised

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function sv(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    if (attrs) for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function readBlock(node) {
    try { return JSON.parse(node.textContent); }
    catch (err) { noteError('data block: ' + err.message); return null; }
  }

  var fieldDesc = {};
  var exchanges = [];
  var blocks = document.querySelectorAll('script.wl-data');
  for (var i = 0; i < blocks.length; i++) {
    var d = readBlock(blocks[i]);
    if (!d) continue;
    if (d.fields) for (var k in d.fields) fieldDesc[k] = d.fields[k];
    if (d.msgs) exchanges.push(d);
  }

  // ---- lanes: clients from the left, servers from the right, in order of appearance
  var MAX_LANES = 10;
  function lanesOf(ex) {
    var clients = [], servers = [], seen = {};
    function add(list, ep) { if (!(ep in seen)) { seen[ep] = list; list.push(ep); } }
    ex.msgs.forEach(function (m) { add(clients, m.c); add(servers, m.v); });
    var half = MAX_LANES / 2;
    var cl = clients.slice(0, half), sl = servers.slice(0, half);
    var otherC = clients.length > half, otherS = servers.length > half;
    var lanes = cl.slice();
    if (otherC) lanes.push('other clients');
    if (otherS) lanes.push('other servers');
    lanes = lanes.concat(sl.slice().reverse());
    var index = {};
    lanes.forEach(function (ep, j) { index[ep] = j; });
    function laneOf(ep) {
      if (ep in index) return index[ep];
      return seen[ep] === clients ? index['other clients'] : index['other servers'];
    }
    return { names: lanes, of: laneOf };
  }

  // ---- TCP handshake and teardown groups (consecutive tcp messages of one flow)
  function groupsOf(ex) {
    var g = [], cur = null;
    ex.msgs.forEach(function (m, j) {
      var tcp = m.p === 'tcp' && !m.m;
      if (tcp && cur && cur.flow === m.i && cur.last === j - 1) { cur.last = j; return; }
      if (tcp) {
        cur = { flow: m.i, first: j, last: j, kind: /^SYN/.test(m.x || '') ? 'handshake' : 'teardown' };
        g.push(cur);
      } else {
        cur = null;
      }
    });
    return g.filter(function (x) { return x.last > x.first; });
  }

  function level(m) {
    var l = 0;
    (m.n || []).forEach(function (n) { if (n[0] > l) l = n[0]; });
    return l;
  }

  function textMatches(m, q) {
    if (!q) return true;
    if (String(m.f) === q) return true;
    var hay = [m.p, m.y, m.x, m.s, m.d];
    (m.n || []).forEach(function (n) { hay.push(n[1]); });
    (m.F || []).forEach(function (f) { hay.push(f[0] + '=' + f[1]); });
    return hay.join('\n').toLowerCase().indexOf(q) >= 0;
  }

  // ---- the filter box's display filters (html_filter.js) over a message:
  // its fields, and what its frame says without them (frame.number, the
  // addresses and ports from its endpoints, the transport)
  function endpoint(ep) {   // "127.0.0.1:21", "[::1]:22", or an address alone
    var p = /^\[(.*)\]:(\d+)$/.exec(ep || '') || /^([^:]*):(\d+)$/.exec(ep || '');
    return p ? { addr: p[1], port: p[2] } : { addr: ep || '', port: null };
  }
  var SYNTH = ['frame', 'frame.number', 'frame.time_relative', 'ip', 'ip.src', 'ip.dst', 'ip.addr',
    'ipv6', 'ipv6.src', 'ipv6.dst', 'ipv6.addr', 'tcp', 'tcp.srcport', 'tcp.dstport', 'tcp.port',
    'udp', 'udp.srcport', 'udp.dstport', 'udp.port'];

  var PAIRS = { 'ip.addr': ['ip.src', 'ip.dst'], 'ipv6.addr': ['ipv6.src', 'ipv6.dst'],
    'tcp.port': ['tcp.srcport', 'tcp.dstport'], 'udp.port': ['udp.srcport', 'udp.dstport'] };

  function synthValues(m, name) {
    var dot = name.indexOf('.'), proto = dot < 0 ? name : name.slice(0, dot), leaf = dot < 0 ? '' : name.slice(dot + 1);
    if (proto === 'frame') return !leaf ? [wlFilter.PRESENT] : leaf === 'number' ? [m.f] : leaf === 'time_relative' ? [m.t] : [];
    var s = endpoint(m.s), d = endpoint(m.d);
    if (proto === 'ip' || proto === 'ipv6') {
      var v6 = s.addr.indexOf(':') >= 0;
      if ((proto === 'ipv6') !== v6 || !s.addr) return [];
      return !leaf ? [wlFilter.PRESENT] : leaf === 'src' ? [s.addr] : leaf === 'dst' ? [d.addr] : leaf === 'addr' ? [s.addr, d.addr] : [];
    }
    var transport = m.L || (m.p === 'tcp' || m.p === 'udp' ? m.p : '');
    if ((proto === 'tcp' || proto === 'udp') && proto === transport && s.port !== null)
      return !leaf ? [wlFilter.PRESENT] : leaf === 'srcport' ? [s.port] : leaf === 'dstport' ? [d.port] : leaf === 'port' ? [s.port, d.port] : [];
    return [];
  }

  // Protocols as -Y names them (src/query/frame.c and protos.c hold the
  // rules): LDAP over UDP is cldap and DNS on port 5353 mdns, whose dns.*
  // fields do not make them dns; ftp-data, which tshark shows on every
  // segment with payload and never on an empty one.
  var OWN_NAME = { mdns: 1, llmnr: 1 };
  var PER_SEGMENT = { 'ftp-data': 1 };

  // An exchange's frames: a display filter looks at a frame (all its
  // messages' fields), as -Y does, and keeps every message of it.
  function framesOf(ex) {
    var frames = {}, flowProto = {};
    ex.msgs.forEach(function (m) {
      var fr = frames[m.f] || (frames[m.f] = { msgs: [], protos: {}, len: 0 });
      fr.msgs.push(m);
      (m.F || []).forEach(function (f) { if (f[0] === 'tcp.len' || f[0] === 'udp.length') fr.len += +f[1] || 0; });
      if (m.p !== 'tcp' && m.p !== 'udp' && m.i && !flowProto[m.i]) flowProto[m.i] = m.p;
    });
    Object.keys(frames).forEach(function (k) {
      var fr = frames[k];
      fr.msgs.forEach(function (m) {
        var p = m.p;
        if (m.L === 'udp' && p === 'ldap') p = 'cldap';
        if (m.L === 'udp' && p === 'dns' && (endpoint(m.s).port === '5353' || endpoint(m.d).port === '5353')) p = 'mdns';
        m.tp = p;   // the name -Y knows it by
        if (PER_SEGMENT[p] && !fr.len) return;
        fr.protos[p] = 1;
        if (m.p === 'tcp' && fr.len && PER_SEGMENT[flowProto[m.i]]) fr.protos[flowProto[m.i]] = 1;
      });
    });
    return frames;
  }

  // a frame's values of a field, or [PRESENT] for a protocol it has
  function fieldGetter(fr) {
    return function (name) {
      var out = [], prefix = name + '.', own = false;
      fr.msgs.forEach(function (m) {
        (m.F || []).forEach(function (f) {
          if (f[0] === name) out.push(f[1]);
          else if (f[0].lastIndexOf(prefix, 0) === 0 && m.tp === m.p && !OWN_NAME[m.p]) own = true;
        });
      });
      if (out.length) return out;
      if (own || Object.prototype.hasOwnProperty.call(fr.protos, name)) return [wlFilter.PRESENT];
      var pair = Object.prototype.hasOwnProperty.call(PAIRS, name) ? PAIRS[name] : null;
      if (pair)   // either side, from the fields when the frame has them
        fr.msgs.forEach(function (m) { (m.F || []).forEach(function (f) { if (f[0] === pair[0] || f[0] === pair[1]) out.push(f[1]); }); });
      if (out.length) return out;
      return synthValues(fr.msgs[0], name);
    };
  }

  // every field and protocol name of an exchange, for the filter's "unknown name"
  function namesOf(ex, frames) {
    var names = {};
    SYNTH.forEach(function (n) { names[n] = 1; });
    Object.keys(frames).forEach(function (k) { Object.keys(frames[k].protos).forEach(function (p) { names[p] = 1; }); });
    ex.msgs.forEach(function (m) {
      if (m.p) names[m.p] = 1;
      (m.F || []).forEach(function (f) {
        for (var k = f[0].indexOf('.'); k > 0; k = f[0].indexOf('.', k + 1)) names[f[0].slice(0, k)] = 1;
        names[f[0]] = 1;
      });
    });
    function known(name) {
      if (Object.prototype.hasOwnProperty.call(names, name)) return true;
      var dot = name.indexOf('.');   // a field this page's protocols may have, only not here
      return dot > 0 && Object.prototype.hasOwnProperty.call(names, name.slice(0, dot));
    }
    known.nearest = function (name) {
      var lower = name.toLowerCase(), hits = [];
      Object.keys(names).forEach(function (n) {
        if (hits.length < 4 && (n.indexOf(lower) >= 0 || lower.indexOf(n) === 0 && n.indexOf('.') > 0)) hits.push(n);
      });
      return hits;
    };
    return known;
  }

  // ---- one exchange's view
  function View(ex, host) {
    this.ex = ex;
    this.lanes = lanesOf(ex);
    this.groups = groupsOf(ex);
    this.folded = this.groups.map(function () { return true; });
    this.groupAt = {};
    var self = this;
    this.groups.forEach(function (g, gi) { for (var j = g.first; j <= g.last; j++) self.groupAt[j] = gi; });
    this.showMinor = false;
    this.query = '';
    this.pred = null;      // the compiled display filter, or null: a text search (query)
    this.hits = {};        // frame number -> whether pred holds for it
    this.frames = framesOf(ex);
    this.known = namesOf(ex, this.frames);
    this.sel = -1;
    this.els = {};
    this.virtual = ex.msgs.length > ALL_LIMIT;
    this.laneW = Math.max(LANE_MIN, Math.min(420, 640 / Math.max(1, this.lanes.names.length - 1)));
    this.width = TIME_W + this.laneW * (this.lanes.names.length - 1) + 40 + NOTE_W;
    this.host = host;
    this.build();
  }

  View.prototype.laneX = function (j) { return TIME_W + 20 + j * this.laneW; };

  View.prototype.build = function () {
    var self = this, ex = this.ex;
    var bar = el('div', { 'class': 'bar' });
    var box = el('input', { type: 'search', 'class': 'filter', placeholder: 'display filter (as -Y: ftp.request.command == "PASS") or text', 'aria-label': 'filter', spellcheck: 'false' });
    this.box = box;
    if (ex.filter) box.value = ex.filter;
    box.addEventListener('input', function () { self.setFilter(box.value); });
    var minor = el('label', { 'class': 'opt' });
    var cb = el('input', { type: 'checkbox' });
    cb.addEventListener('change', function () { self.showMinor = cb.checked; self.layout(); });
    minor.appendChild(cb);
    minor.appendChild(document.createTextNode(' TCP segments'));
    var fold = el('button', { type: 'button' }, 'unfold TCP groups');
    fold.addEventListener('click', function () {
      var any = self.folded.some(function (f) { return f; });
      self.folded = self.folded.map(function () { return !any; });
      fold.textContent = any ? 'fold TCP groups' : 'unfold TCP groups';
      self.layout();
    });
    this.count = el('span', { 'class': 'count' });
    bar.appendChild(box); bar.appendChild(minor); bar.appendChild(fold); bar.appendChild(this.count);
    this.host.appendChild(bar);
    this.why = el('p', { 'class': 'filter-why', hidden: '' });
    this.host.appendChild(this.why);
    if (this.virtual)
      this.host.appendChild(el('p', { 'class': 'hint' }, ex.msgs.length + ' messages: only the rows near the view are drawn (virtualised); the filter searches them all.'));

    var wrap = el('div', { 'class': 'diagram' });
    this.wrap = wrap;
    this.svg = sv('svg', { 'class': 'seq', width: this.width, role: 'img' });
    this.svg.appendChild(sv('title', null, ex.title || 'exchange'));
    var defs = sv('defs');
    ['0', '1', '2'].forEach(function (l) {
      var mk = sv('marker', { id: 'ah' + l + '-' + ex.id, viewBox: '0 0 10 10', refX: '10', refY: '5', markerWidth: '8', markerHeight: '8', orient: 'auto-start-reverse' });
      mk.appendChild(sv('path', { d: 'M0,0 L10,5 L0,10 z', 'class': 'ah l' + l }));
      defs.appendChild(mk);
    });
    this.svg.appendChild(defs);
    this.lanesG = sv('g', { 'class': 'lanes' });
    this.rowsG = sv('g', { 'class': 'rows' });
    this.svg.appendChild(this.lanesG);
    this.svg.appendChild(this.rowsG);
    wrap.appendChild(this.svg);
    this.host.appendChild(wrap);
    this.detail = el('div', { 'class': 'detail' }, 'Click an arrow (or use the up and down keys) to see its fields and bytes.');
    this.host.appendChild(this.detail);
    wrap.addEventListener('scroll', function () { if (self.virtual) self.paint(); });
    this.svg.addEventListener('click', function (ev) {
      var t = ev.target;
      while (t && t !== self.svg && !t.hasAttribute('data-idx') && !t.hasAttribute('data-group')) t = t.parentNode;
      if (!t || t === self.svg) return;
      if (t.hasAttribute('data-group')) {
        var gi = +t.getAttribute('data-group');
        self.folded[gi] = !self.folded[gi];
        self.layout();
        return;
      }
      self.select(+t.getAttribute('data-idx'));
    });
    if (ex.filter) this.setFilter(ex.filter, true);
    if (!this.virtual) for (var j = 0; j < ex.msgs.length; j++) this.rowsG.appendChild(this.arrow(j));
    this.layout();
  };

  // The box's text is a display filter when it parses as one (green, as
  // Wireshark's bar); otherwise a text search, and the box says why (red).
  View.prototype.setFilter = function (text, quiet) {
    var t = text.trim();
    this.pred = null;
    this.hits = {};
    this.query = '';
    this.filterState = t ? 'text' : 'none';
    this.why.hidden = true;
    if (t) {
      try {
        this.pred = wlFilter.compile(t, this.known);
        this.filterState = 'filter';
      } catch (e) {
        if (!e.wlFilter) throw e;
        this.query = t.toLowerCase();
        this.filterError = e;
        this.why.hidden = false;
        this.why.textContent = 'not a display filter (at ' + (e.pos + 1) + ': ' + e.message + '): searching the text instead';
      }
    }
    this.box.classList.toggle('is-filter', this.filterState === 'filter');
    this.box.classList.toggle('is-text', this.filterState === 'text');
    this.host.setAttribute('data-filter-state', this.filterState);
    if (!quiet) this.layout();
  };

  View.prototype.matches = function (m) {
    if (!this.pred) return textMatches(m, this.query);
    if (!(m.f in this.hits)) this.hits[m.f] = this.pred(fieldGetter(this.frames[m.f]));
    return this.hits[m.f];
  };

  // the visible items: messages, and a row per folded group
  View.prototype.items = function () {
    var out = [], ex = this.ex, q = this.query, seenGroup = {};
    for (var j = 0; j < ex.msgs.length; j++) {
      var m = ex.msgs[j];
      if (m.m && !this.showMinor) continue;
      if (!this.matches(m)) continue;
      var gi = this.groupAt[j];
      if (gi !== undefined && this.folded[gi] && !q && !this.pred) {
        if (!seenGroup[gi]) { seenGroup[gi] = 1; out.push({ group: gi }); }
        continue;
      }
      out.push({ idx: j });
    }
    return out;
  };

  View.prototype.layout = function () {
    var items = this.items(), self = this;
    this.list = items;
    this.pos = {};
    var y = HEAD, prevT = null, encDone = {}, marks = [];
    items.forEach(function (it) {
      var m = it.idx !== undefined ? self.ex.msgs[it.idx] : self.ex.msgs[self.groups[it.group].first];
      if (prevT !== null) {
        var dt = m.t - prevT;   // placed by time: a pause widens the gap, gently
        if (dt > 0.05) y += Math.min(3 * ROW, Math.round(8 * Math.log(1 + dt * 20)));
      }
      prevT = m.t;
      // where encryption starts: before the first encrypted message, or after the one
      // that says "from here on" (NEWKEYS, ServerHello), once per flow
      if (it.idx !== undefined && m.e === 2 && !encDone[m.i]) { encDone[m.i] = 1; marks.push({ y: y, m: m }); y += 8; }
      it.y = y;
      if (it.idx !== undefined) self.pos[it.idx] = y;
      y += ROW;
      if (it.idx !== undefined && m.e === 1 && !encDone[m.i]) { encDone[m.i] = 1; y += 8; marks.push({ y: y - ROW + 10, m: m }); }
    });
    this.height = y + ROW;
    this.svg.setAttribute('height', this.height);
    this.marks = marks;
    this.drawLanes();
    var shown = items.filter(function (it) { return it.idx !== undefined; }).length;
    this.count.textContent = shown + ' of ' + this.ex.msgs.length + ' messages';
    this.paint();
  };

  View.prototype.drawLanes = function () {
    var g = this.lanesG, self = this;
    while (g.firstChild) g.removeChild(g.firstChild);
    this.lanes.names.forEach(function (name, j) {
      var x = self.laneX(j);
      g.appendChild(sv('line', { x1: x, y1: HEAD - 12, x2: x, y2: self.height, 'class': 'lane' }));
      g.appendChild(sv('text', { x: x, y: 18 + (j % 2) * 16, 'class': 'lanehead' }, name));
    });
    this.marks.forEach(function (mk) {
      var x0 = self.laneX(0) - 10, x1 = self.laneX(self.lanes.names.length - 1) + 10;
      g.appendChild(sv('line', { x1: x0, y1: mk.y - 2, x2: x1, y2: mk.y - 2, 'class': 'enc' }));
      g.appendChild(sv('text', { x: x1 + 8, y: mk.y + 2, 'class': 'enclabel' }, 'encrypted from here (' + mk.m.c + ' - ' + mk.m.v + ')'));
    });
  };

  View.prototype.arrow = function (j) {
    if (this.els[j]) return this.els[j];
    var m = this.ex.msgs[j], self = this;
    var a = this.lanes.of(m.s), b = this.lanes.of(m.d);
    var x1 = this.laneX(a), x2 = this.laneX(b);
    var lv = level(m);
    var g = sv('g', { 'class': 'msg l' + lv + (m.k ? ' secret' : '') + (m.m ? ' minor' : ''), 'data-frame': m.f, 'data-idx': j, tabindex: '-1' });
    g.appendChild(sv('rect', { x: 0, y: -ROW + 6, width: this.width, height: ROW, 'class': 'hit' }));
    g.appendChild(sv('text', { x: 4, y: 0, 'class': 'time' }, m.f + '  ' + m.t.toFixed(4)));
    if (x1 === x2) x2 = x1 + 30;
    g.appendChild(sv('line', { x1: x1, y1: 0, x2: x2, y2: 0, 'class': 'arrow', 'marker-end': 'url(#ah' + lv + '-' + this.ex.id + ')' }));
    var label = (m.k ? '[secret] ' : '') + (m.x || m.y || m.p);
    var room = Math.max(12, Math.floor(Math.abs(x2 - x1) / 7.2));
    if (label.length > room) label = label.slice(0, room - 1) + '\u2026';
    g.appendChild(sv('text', { x: (x1 + x2) / 2, y: -4, 'class': 'label' }, label));
    var note = (m.n && m.n.length) ? m.n[0][1] : '';
    if (note) {
      if (note.length > 90) note = note.slice(0, 89) + '\u2026';
      var mark = lv === 2 ? '\u2716 ' : lv === 1 ? '\u26a0 ' : '';
      g.appendChild(sv('text', { x: this.laneX(this.lanes.names.length - 1) + 30, y: 0, 'class': 'note' }, mark + note));
    }
    this.els[j] = g;
    return g;
  };

  View.prototype.groupRow = function (gi) {
    var key = 'g' + gi;
    if (this.els[key]) return this.els[key];
    var grp = this.groups[gi], m = this.ex.msgs[grp.first];
    var g = sv('g', { 'class': 'group', 'data-group': gi });
    var x1 = this.laneX(this.lanes.of(m.c)), x2 = this.laneX(this.lanes.of(m.v));
    g.appendChild(sv('rect', { x: Math.min(x1, x2), y: -ROW + 8, width: Math.abs(x2 - x1) || 30, height: ROW - 6, 'class': 'fold' }));
    g.appendChild(sv('text', { x: (x1 + x2) / 2, y: -2, 'class': 'label' },
      '\u25b8 TCP ' + grp.kind + ' (' + (grp.last - grp.first + 1) + ' messages, frames ' + m.f + '-' + this.ex.msgs[grp.last].f + ')'));
    this.els[key] = g;
    return g;
  };

  View.prototype.paint = function () {
    var items = this.list, self = this;
    var visible = {};
    var lo = 0, hi = items.length;
    if (this.virtual) {
      var top = this.wrap.scrollTop, h = this.wrap.clientHeight || 800;
      var first = 0;
      while (first < items.length && items[first].y < top) first++;
      lo = Math.max(0, first - WINDOW_ROWS / 2);
      hi = Math.min(items.length, first + Math.ceil(h / ROW) + WINDOW_ROWS / 2);
    }
    for (var k = lo; k < hi; k++) {
      var it = items[k];
      var node = it.idx !== undefined ? this.arrow(it.idx) : this.groupRow(it.group);
      node.setAttribute('transform', 'translate(0,' + it.y + ')');
      node.classList.remove('off');
      if (node.parentNode !== this.rowsG) this.rowsG.appendChild(node);
      visible[it.idx !== undefined ? it.idx : 'g' + it.group] = 1;
    }
    Object.keys(this.els).forEach(function (key) {
      if (visible[key]) return;
      var node = self.els[key];
      if (self.virtual || key.charAt(0) === 'g') { if (node.parentNode) node.parentNode.removeChild(node); }
      else node.classList.add('off');   // every message keeps its element: only hidden
    });
  };

  View.prototype.select = function (j) {
    if (this.sel >= 0 && this.els[this.sel]) this.els[this.sel].classList.remove('sel');
    this.sel = j;
    var g = this.arrow(j);
    g.classList.add('sel');
    var y = this.pos[j];
    if (y !== undefined) {
      var w = this.wrap;
      if (y < w.scrollTop + HEAD || y > w.scrollTop + w.clientHeight - ROW) w.scrollTop = Math.max(0, y - w.clientHeight / 2);
    }
    if (this.virtual) this.paint();
    this.showDetail(this.ex.msgs[j]);
  };

  View.prototype.move = function (step) {
    var idxs = this.list.filter(function (it) { return it.idx !== undefined; }).map(function (it) { return it.idx; });
    if (!idxs.length) return;
    var at = idxs.indexOf(this.sel);
    at = at < 0 ? (step > 0 ? 0 : idxs.length - 1) : Math.max(0, Math.min(idxs.length - 1, at + step));
    this.select(idxs[at]);
  };

  function hexDump(hex, span) {
    var pre = el('pre', { 'class': 'hex' });
    var n = hex.length / 2;
    for (var off = 0; off < n; off += 16) {
      var line = el('span', { 'class': 'hexline' });
      line.appendChild(document.createTextNode(('000' + off.toString(16)).slice(-4) + '  '));
      var ascii = '';
      for (var b = off; b < off + 16; b++) {
        if (b >= n) { line.appendChild(document.createTextNode('   ')); continue; }
        var byte = hex.substr(b * 2, 2);
        var on = span && b >= span[0] && b < span[0] + span[1];
        var s = el('span', on ? { 'class': 'hl' } : null, byte + ' ');
        line.appendChild(s);
        var c = parseInt(byte, 16);
        ascii += c >= 32 && c < 127 ? String.fromCharCode(c) : '.';
      }
      line.appendChild(document.createTextNode(' ' + ascii + '\n'));
      pre.appendChild(line);
    }
    return pre;
  }

  // a frame's bytes travel once, on its first message
  View.prototype.bytesOf = function (m) {
    if (m.b) return m.b;
    var msgs = this.ex.msgs;
    for (var k = msgs.indexOf(m) - 1; k >= 0 && msgs[k].f === m.f; k--) if (msgs[k].b) return msgs[k].b;
    return '';
  };

  View.prototype.showDetail = function (m) {
    var d = this.detail, hex = this.bytesOf(m);
    while (d.firstChild) d.removeChild(d.firstChild);
    d.appendChild(el('h3', null, 'frame ' + m.f + ' \u00b7 ' + m.t.toFixed(6) + ' s \u00b7 ' + m.s + ' \u2192 ' + m.d + ' \u00b7 ' + m.p + ' ' + m.y));
    if (m.x) d.appendChild(el('p', { 'class': 'text' }, m.x));
    (m.n || []).forEach(function (n) { d.appendChild(el('p', { 'class': 'note l' + n[0] }, ['', '\u26a0 ', '\u2716 '][n[0]] + n[1])); });
    var table = el('table', { 'class': 'fields' });
    var head = el('tr'); ['field', 'value', 'explanation'].forEach(function (h) { head.appendChild(el('th', null, h)); });
    table.appendChild(head);
    var hexBox = el('div');
    function showHex(span) {
      while (hexBox.firstChild) hexBox.removeChild(hexBox.firstChild);
      if (hex) hexBox.appendChild(hexDump(hex, span));
      else hexBox.appendChild(el('p', { 'class': 'hint' }, 'no packet bytes for this message'));
    }
    (m.F || []).forEach(function (f) {
      var tr = el('tr', { 'class': (f[4] ? 'secret' : '') + (f[3] ? ' has-span' : '') });
      tr.appendChild(el('td', { 'class': 'fname' }, f[0]));
      tr.appendChild(el('td', { 'class': 'fval' }, (f[4] ? '[secret] ' : '') + f[1]));
      tr.appendChild(el('td', null, fieldDesc[f[0]] || ''));
      tr.addEventListener('click', function () {
        var old = table.querySelector('tr.on');
        if (old) old.classList.remove('on');
        tr.classList.add('on');
        showHex(f[3] ? [f[2], f[3]] : null);
      });
      table.appendChild(tr);
    });
    d.appendChild(table);
    d.appendChild(el('h4', null, 'bytes of frame ' + m.f + (hex ? ' (' + hex.length / 2 + ')' : '')));
    showHex(null);
    d.appendChild(hexBox);
  };

  // ---- the page: an index when there are several exchanges
  var app = document.getElementById('wl-app');
  var views = [], current = null;
  function show(k) {
    views.forEach(function (v, j) { v.host.hidden = j !== k; });
    current = views[k];
    var links = document.querySelectorAll('#wl-index a');
    for (var j = 0; j < links.length; j++) links[j].classList.toggle('on', j === k);
  }
  if (exchanges.length > 1) {
    var nav = el('nav', { id: 'wl-index' });
    nav.appendChild(el('h2', null, exchanges.length + ' exchanges'));
    var ol = el('ol');
    exchanges.forEach(function (ex, k) {
      var li = el('li');
      var a = el('a', { href: '#ex' + k }, ex.title || ('exchange ' + (k + 1)));
      a.addEventListener('click', function (ev) { ev.preventDefault(); show(k); });
      li.appendChild(a);
      li.appendChild(document.createTextNode(' \u2014 ' + ex.msgs.length + ' messages, ' + (ex.warnings || 0) + ' warnings'));
      ol.appendChild(li);
    });
    nav.appendChild(ol);
    app.appendChild(nav);
  }
  exchanges.forEach(function (ex, k) {
    ex.id = k;
    var host = el('section', { 'class': 'exchange', id: 'ex' + k });
    host.appendChild(el('h2', null, ex.title || 'exchange'));
    (ex.lines || []).forEach(function (l) { host.appendChild(el('p', { 'class': 'summary' }, l)); });
    app.appendChild(host);
    views.push(new View(ex, host));
  });
  if (views.length) show(0);
  // #wl-selftest: what a click and the down key do, for the browser test
  if (location.hash === '#wl-selftest' && current) {
    current.move(1);
    var tr = current.detail.querySelector('tr.has-span');
    if (tr) tr.click();
  }
  // #wl-filters=[...]: each filter typed into the first exchange's box; what
  // it made of it (display filter or text search, the error's position) and
  // the frames of the messages it keeps, for the browser test
  if (location.hash.lastIndexOf('#wl-filters=', 0) === 0 && current) {
    var results = JSON.parse(decodeURIComponent(location.hash.slice(12))).map(function (f) {
      current.box.value = f;
      current.setFilter(f);
      var frames = [];
      current.ex.msgs.forEach(function (m) { if (current.matches(m) && frames[frames.length - 1] !== m.f) frames.push(m.f); });
      return { state: current.filterState, pos: current.filterState === 'text' ? current.filterError.pos : -1, frames: frames };
    });
    root.setAttribute('data-filter-results', JSON.stringify(results));
  }
  // #wl-filter-fuzz=SEED,N: N random texts (filter tokens and bytes mixed,
  // from a seeded generator) through the box's parser and each compiled
  // filter over every frame; anything but a filter error is a crash
  if (location.hash.lastIndexOf('#wl-filter-fuzz=', 0) === 0 && current) {
    var arg = location.hash.slice(16).split(','), seed = (+arg[0] >>> 0) || 1, runs = Math.min(+arg[1] || 0, 1e6);
    var parts = ['(', ')', '!', '&&', '||', ' and ', ' or ', ' not ', '==', '!=', '===', '!==', '~=', '<', '>=',
      ' contains ', ' matches ', ' in ', '{', '}', '..', ',', '"', '\\', '"a\\x4', '0x1f', '077', '-1', '1.5',
      '127.0.0.1', '::1', '/8', '/200', 'ftp', 'tcp.port', 'ip.addr', 'frame.number', 'ftp.request.command',
      '"PASS"', '"(?-i)^p"', '"[("', ' ', '[', '#', '$', 'len(', 'true', 'constructor', '__proto__', '\u2028'];
    var bases = ['ftp.request.command == "PASS"', 'tcp.port in {1..5 2121}', 'ip.addr == 127.0.0.0/8 && !ftp',
      'ftp.request.arg matches "^s" || frame.number >= 0x10', 'not (tcp.port != 21) and ftp contains "a"'];
    var compiled = 0, crashes = 0, first = '';
    var rnd = function () { seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0; return seed; };
    for (var r = 0; r < runs; r++) {
      var text = '', n = rnd() % 24;
      for (var q = 0; q < n; q++) text += rnd() % 8 ? parts[rnd() % parts.length] : String.fromCharCode(rnd() % 128);
      if (r % 2) {   // half: a valid filter with one piece changed, to reach the evaluator
        var base = bases[rnd() % bases.length], at = rnd() % (base.length + 1);
        text = base.slice(0, at) + (rnd() % 2 ? parts[rnd() % parts.length] : '') + base.slice(at + rnd() % 3);
      }
      try {
        var pred = wlFilter.compile(text, current.known);
        compiled++;
        Object.keys(current.frames).forEach(function (k) { pred(fieldGetter(current.frames[k])); });
      } catch (e) {
        if (!e.wlFilter || typeof e.pos !== 'number') { crashes++; if (!first) first = text + ': ' + e; }
      }
    }
    root.setAttribute('data-filter-fuzz', JSON.stringify({ runs: runs, compiled: compiled, crashes: crashes, first: first }));
  }
  if (!exchanges.length) app.appendChild(el('p', null, 'No messages.'));
  document.addEventListener('keydown', function (ev) {
    if (!current || (ev.target && ev.target.tagName === 'INPUT')) return;
    if (ev.key === 'ArrowDown' || ev.key === 'j') { current.move(1); ev.preventDefault(); }
    else if (ev.key === 'ArrowUp' || ev.key === 'k') { current.move(-1); ev.preventDefault(); }
  });
  root.setAttribute('data-ready', String(exchanges.length));
})();
