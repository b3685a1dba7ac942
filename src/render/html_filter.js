// html_filter.js - the page's filter box: Wireshark 4.0 display-filter syntax
// (wireshark-filter(4), the same language as `wirelab read -Y`), evaluated in
// the browser over the fields the page carries for each message.
//
//   expr := and { ("||" | "or") and }
//   and  := not { ("&&" | "and") not }
//   not  := ("!" | "not") not | "(" expr ")" | test
//   test := NAME [ relop value | ["not"] "in" set ]
//   set  := "{" elem { [","] elem } "}"      elem := value [".." value]
//
// A test holds when some occurrence of the field satisfies it; "!=" (all_ne)
// when the field is there and no occurrence equals, "!==" and "~=" (any_ne)
// when some occurrence differs, "===" (all_eq) when all equal. "matches" is a
// caseless regular expression unless it starts with (?-i). A bare NAME is a
// presence test. Without the field registry of the program, a value compares
// as a number when both sides read as numbers, as an address (CIDR too) when
// the literal is one, as bytes when both are hex bytes, else as text.
// Slices, arithmetic and functions are -Y's alone: the box says so.
var wlFilter = (function () {
  'use strict';
  var MAX_TEXT = 4096, MAX_DEPTH = 64, MAX_SET = 4096;

  function fail(msg, pos) { var e = new Error(msg); e.pos = pos; e.wlFilter = true; throw e; }

  // ---- tokens: {t: kind, v: text or operator, pos}
  var SYMBOLS = ['===', '!==', '==', '!=', '~=', '>=', '<=', '&&', '||', '..', '>', '<', '~', '!',
    '(', ')', '{', '}', ','];
  var REL = { '===': 'all_eq', '!==': 'any_ne', '==': 'eq', '!=': 'all_ne', '~=': 'any_ne', '>=': 'ge',
    '<=': 'le', '>': 'gt', '<': 'lt', '~': 'matches' };
  var WORDS = { and: ['and'], or: ['or'], not: ['not'], 'in': ['in'],
    eq: ['rel', 'eq'], any_eq: ['rel', 'eq'], ne: ['rel', 'all_ne'], all_ne: ['rel', 'all_ne'],
    all_eq: ['rel', 'all_eq'], any_ne: ['rel', 'any_ne'], gt: ['rel', 'gt'], ge: ['rel', 'ge'],
    lt: ['rel', 'lt'], le: ['rel', 'le'], contains: ['rel', 'contains'], matches: ['rel', 'matches'] };
  var UNSUPPORTED = { '[': 'slices', '+': 'arithmetic', '-': 'arithmetic', '*': 'arithmetic',
    '/': 'arithmetic', '%': 'arithmetic', '&': 'bitwise and', '#': 'layer operators', '$': 'field references',
    '@': 'raw field references' };
  var ESC = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };

  function lexString(s, i, toks) {
    var start = i, out = '';
    for (i++; i < s.length && s[i] !== '"'; i++) {
      if (s[i] !== '\\') { out += s[i]; continue; }
      var c = s[++i];
      if (c === undefined) break;
      if (c in ESC) out += ESC[c];
      else if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(s.substr(i + 1, 2))) { out += String.fromCharCode(parseInt(s.substr(i + 1, 2), 16)); i += 2; }
      else if (/^[0-7]{3}$/.test(s.substr(i, 3))) { out += String.fromCharCode(parseInt(s.substr(i, 3), 8) & 255); i += 2; }
      else fail('"\\' + c + '" is not a valid escape sequence', i - 1);
    }
    if (i >= s.length) fail('The string is not closed: a " is missing', start);
    toks.push({ t: 'str', v: out, pos: start });
    return i + 1;
  }

  function lex(s) {
    var toks = [], i = 0;
    while (i < s.length) {
      var c = s[i];
      if (/\s/.test(c)) { i++; continue; }
      if (c === '"') { i = lexString(s, i, toks); continue; }
      var sym = null;
      for (var k = 0; k < SYMBOLS.length && !sym; k++) if (s.substr(i, SYMBOLS[k].length) === SYMBOLS[k]) sym = SYMBOLS[k];
      if (sym) {
        if (sym in REL) toks.push({ t: 'rel', v: REL[sym], pos: i, text: sym });
        else if (sym === '&&') toks.push({ t: 'and', pos: i });
        else if (sym === '||') toks.push({ t: 'or', pos: i });
        else if (sym === '!') toks.push({ t: 'not', pos: i });
        else toks.push({ t: sym, pos: i });
        i += sym.length;
        continue;
      }
      var m = /^[A-Za-z0-9_.:\/-]+/.exec(s.slice(i));
      if (!m) {
        if (c in UNSUPPORTED) fail('"' + c + '": ' + UNSUPPORTED[c] + ' are for -Y, not the page\'s filter box', i);
        fail('"' + c + '" was unexpected in this context.', i);
      }
      var w = m[0], dd = w.indexOf('..');
      if (dd === 0) w = '..';
      else if (dd > 0) w = w.slice(0, dd);   // "1..5": a range, not a word
      if (w === '..') { toks.push({ t: '..', pos: i }); i += 2; continue; }
      if (s[i + w.length] === '[') fail('"[": slices are for -Y, not the page\'s filter box', i + w.length);
      if (s[i + w.length] === '(') fail('"' + w + '(": functions are for -Y, not the page\'s filter box', i);
      var kw = Object.prototype.hasOwnProperty.call(WORDS, w) ? WORDS[w] : null;
      if (kw) toks.push({ t: kw[0], v: kw[1], pos: i, text: w });
      else toks.push({ t: 'word', v: w, pos: i });
      i += w.length;
    }
    toks.push({ t: 'eof', pos: s.length });
    return toks;
  }

  // ---- literals: what a value may be compared as
  function asNumber(text, literal) {
    var t = String(text).trim();
    if (/^-?0x[0-9a-f]+$/i.test(t)) return (t[0] === '-' ? -1 : 1) * parseInt(t.replace(/^-?0x/i, ''), 16);
    if (literal && /^-?0[0-7]+$/.test(t)) return parseInt(t, 8);
    if (/^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) return Number(t);
    if (literal && /^(true|false)$/i.test(t)) return /^true$/i.test(t) ? 1 : 0;
    if (!literal && /^(true|false)$/i.test(t)) return /^true$/i.test(t) ? 1 : 0;
    return NaN;
  }

  function parseV4(t) {
    var p = t.split('.');
    if (p.length !== 4) return null;
    var n = 0;
    for (var i = 0; i < 4; i++) {
      if (!/^\d{1,3}$/.test(p[i]) || +p[i] > 255) return null;
      n = n * 256 + (+p[i]);
    }
    return [Math.floor(n / 65536), n % 65536];   // two 16-bit halves, like an IPv6 address's words
  }

  function parseV6(t) {
    if (t.indexOf(':') < 0 || !/^[0-9a-fA-F:.]+$/.test(t)) return null;
    var halves = t.split('::');
    if (halves.length > 2) return null;
    function words(part) {
      if (!part) return [];
      var out = [], ps = part.split(':');
      for (var i = 0; i < ps.length; i++) {
        if (i === ps.length - 1 && ps[i].indexOf('.') >= 0) {
          var v4 = parseV4(ps[i]);
          if (!v4) return null;
          out.push(v4[0], v4[1]);
        } else if (/^[0-9a-fA-F]{1,4}$/.test(ps[i])) out.push(parseInt(ps[i], 16));
        else return null;
      }
      return out;
    }
    var a = words(halves[0]), b = halves.length === 2 ? words(halves[1]) : [];
    if (!a || !b) return null;
    var fill = 8 - a.length - b.length;
    if (halves.length === 2 ? fill < 1 : fill !== 0) return null;
    var w = a.slice();
    for (var k = 0; k < fill; k++) w.push(0);
    return w.concat(b);
  }

  // an address as 16-bit words (2 for IPv4, 8 for IPv6), or null
  function asAddress(text) {
    var t = String(text);
    return parseV4(t) || parseV6(t);
  }

  function asBytes(text) {
    var t = String(text).toLowerCase();
    if (/^[0-9a-f]{2}([:.-][0-9a-f]{2})*$/.test(t)) return t.replace(/[:.-]/g, '');
    return null;
  }

  function literal(tok) {
    var v = tok.v, lit = { text: v, pos: tok.pos, quoted: tok.t === 'str' };
    lit.num = lit.quoted ? NaN : asNumber(v, true);
    if (!lit.quoted) {
      var slash = v.indexOf('/'), addr = slash >= 0 ? v.slice(0, slash) : v;
      var words = asAddress(addr);
      if (words) {
        var bits = slash >= 0 ? +v.slice(slash + 1) : words.length * 16;
        if (slash >= 0 && !(/^\d+$/.test(v.slice(slash + 1)) && bits <= words.length * 16))
          fail('"' + v + '": the prefix length must be 0 to ' + words.length * 16, tok.pos);
        lit.addr = words;
        lit.bits = bits;
      } else if (slash >= 0) fail('"' + v + '" is not a valid address or network', tok.pos);
      lit.bytes = asBytes(v);
    }
    return lit;
  }

  // ---- comparison of one field value with one literal: -1, 0, 1, or null (not comparable)
  function compare(value, lit) {
    var n = asNumber(value, false);
    if (!isNaN(n) && !isNaN(lit.num)) return n < lit.num ? -1 : n > lit.num ? 1 : 0;
    if (lit.addr) {
      var a = asAddress(value);
      if (!a || a.length !== lit.addr.length) return null;
      for (var i = 0, left = lit.bits; i < a.length; i++, left -= 16) {
        var keep = left >= 16 ? 0xffff : left <= 0 ? 0 : (0xffff << (16 - left)) & 0xffff;
        var x = a[i] & keep, y = lit.addr[i] & keep;
        if (x !== y) return x < y ? -1 : 1;
      }
      return 0;
    }
    var vb = lit.bytes && asBytes(value);
    if (vb) return vb < lit.bytes ? -1 : vb > lit.bytes ? 1 : 0;
    var s = String(value);
    return s < lit.text ? -1 : s > lit.text ? 1 : 0;
  }

  function equal(value, lit) { return compare(value, lit) === 0; }

  function contains(value, lit) {
    var vb = lit.bytes && asBytes(value);
    if (vb) {
      for (var i = vb.indexOf(lit.bytes); i >= 0; i = vb.indexOf(lit.bytes, i + 1)) if (i % 2 === 0) return true;
      return false;
    }
    return String(value).indexOf(lit.text) >= 0;
  }

  // A protocol's presence: there, but nothing to compare (its bytes are -Y's alone).
  var PRESENT = { present: true };
  function some(vals, f) { for (var i = 0; i < vals.length; i++) if (vals[i] !== PRESENT && f(vals[i])) return true; return false; }
  function every(vals, f) {
    for (var i = 0; i < vals.length; i++) if (vals[i] === PRESENT || !f(vals[i])) return false;
    return vals.length > 0;
  }

  var ORDER = { gt: function (c) { return c > 0; }, ge: function (c) { return c >= 0; },
    lt: function (c) { return c < 0; }, le: function (c) { return c <= 0; } };

  function testNode(name, op, lit) {
    if (op === 'matches') {
      var src = lit.text, flags = 'i';
      if (src.indexOf('(?-i)') === 0) { src = src.slice(5); flags = ''; }
      var re;
      try { re = new RegExp(src, flags); } catch (e) { fail('"' + lit.text + '" is not a valid regular expression: ' + e.message, lit.pos); }
      return function (get) { return some(get(name), function (v) { return re.test(String(v)); }); };
    }
    if (op === 'contains')
      return function (get) { return some(get(name), function (v) { return contains(v, lit); }); };
    if (op === 'eq') return function (get) { return some(get(name), function (v) { return equal(v, lit); }); };
    if (op === 'all_ne') return function (get) { return every(get(name), function (v) { return !equal(v, lit); }); };
    if (op === 'all_eq') return function (get) { return every(get(name), function (v) { return equal(v, lit); }); };
    if (op === 'any_ne') return function (get) { return some(get(name), function (v) { return !equal(v, lit); }); };
    var order = ORDER[op];
    return function (get) {
      return some(get(name), function (v) { var c = compare(v, lit); return c !== null && order(c); });
    };
  }

  function inSet(name, elems) {
    function member(v) {
      return some(elems, function (e) {
        if (!e.hi) return equal(v, e.lo);
        var a = compare(v, e.lo), b = compare(v, e.hi);
        return a !== null && b !== null && a >= 0 && b <= 0;
      });
    }
    return function (get) { return some(get(name), member); };
  }

  // ---- the parser, over the names the page knows
  function Parser(toks, known) { this.toks = toks; this.i = 0; this.known = known; this.depth = 0; }
  Parser.prototype.peek = function () { return this.toks[this.i]; };
  Parser.prototype.next = function () { return this.toks[this.i++]; };
  Parser.prototype.expect = function (t, what) {
    var tk = this.peek();
    if (tk.t !== t) fail(tk.t === 'eof' ? what + ' is missing at the end' : '"' + (tk.text || tk.v || tk.t) + '" was unexpected in this context; ' + what + ' expected', tk.pos);
    return this.next();
  };

  Parser.prototype.expr = function () {
    if (++this.depth > MAX_DEPTH) fail('the filter nests deeper than ' + MAX_DEPTH + ' levels', this.peek().pos);
    var parts = [this.and()];
    while (this.peek().t === 'or') { this.next(); parts.push(this.and()); }
    this.depth--;
    return parts.length === 1 ? parts[0] : function (get) { return parts.some(function (p) { return p(get); }); };
  };
  Parser.prototype.and = function () {
    var parts = [this.not()];
    while (this.peek().t === 'and') { this.next(); parts.push(this.not()); }
    return parts.length === 1 ? parts[0] : function (get) { return parts.every(function (p) { return p(get); }); };
  };
  Parser.prototype.not = function () {
    var tk = this.peek();
    if (tk.t === 'not') {
      this.next();
      if (++this.depth > MAX_DEPTH) fail('the filter nests deeper than ' + MAX_DEPTH + ' levels', tk.pos);
      var inner = this.not();
      this.depth--;
      return function (get) { return !inner(get); };
    }
    if (tk.t === '(') {
      this.next();
      var e = this.expr();
      this.expect(')', 'a ")"');
      return e;
    }
    return this.test();
  };
  Parser.prototype.name = function () {
    var tk = this.peek();
    if (tk.t !== 'word') {
      if (tk.t === 'eof') fail(this.i ? 'a field is missing at the end' : 'the filter is empty', tk.pos);
      fail('"' + (tk.text || tk.v || tk.t) + '" was unexpected in this context; a field or protocol expected', tk.pos);
    }
    this.next();
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(tk.v)) fail('"' + tk.v + '" is neither a field nor a protocol name', tk.pos);
    if (!this.known(tk.v)) {
      var near = this.known.nearest ? this.known.nearest(tk.v) : [];
      fail('"' + tk.v + '" is not a field or protocol of this page' + (near.length ? '; did you mean ' + near.join(', ') : ''), tk.pos);
    }
    return tk.v;
  };
  Parser.prototype.value = function () {
    var tk = this.peek();
    if (tk.t !== 'word' && tk.t !== 'str') fail(tk.t === 'eof' ? 'a value is missing at the end' : '"' + (tk.text || tk.v || tk.t) + '" was unexpected in this context; a value expected', tk.pos);
    return literal(this.next());
  };
  Parser.prototype.set = function () {
    this.expect('{', 'a "{"');
    var elems = [];
    while (this.peek().t !== '}') {
      if (elems.length >= MAX_SET) fail('a set has more than ' + MAX_SET + ' elements', this.peek().pos);
      var e = { lo: this.value() };
      if (this.peek().t === '..') { this.next(); e.hi = this.value(); }
      elems.push(e);
      if (this.peek().t === ',') this.next();
    }
    this.next();
    if (!elems.length) fail('a set needs at least one element', this.peek().pos);
    return elems;
  };
  Parser.prototype.test = function () {
    var name = this.name(), tk = this.peek(), negate = false;
    if (tk.t === 'not') {
      this.next();
      if (this.peek().t !== 'in') fail('"' + tk.text + '" was unexpected in this context.', tk.pos);
      negate = true;
      tk = this.peek();
    }
    if (tk.t === 'in') {
      this.next();
      var t = inSet(name, this.set());
      return negate ? function (get) { return !t(get); } : t;
    }
    if (tk.t === 'rel') {
      this.next();
      var node = testNode(name, tk.v, this.value());
      if (this.peek().t === 'rel') fail('Left side of "' + this.peek().text + '" expression must be a field, not a value', this.peek().pos);
      return node;
    }
    return function (get) { return get(name).length > 0; };
  };

  // compile(text, known) -> predicate(get), where get(name) gives a frame's
  // values of that field (for a protocol, [PRESENT] when it is there);
  // known(name) says whether the page has the name. Throws an error with .pos.
  function compile(text, known) {
    if (text.length > MAX_TEXT) fail('the filter is longer than ' + MAX_TEXT + ' characters', MAX_TEXT);
    var p = new Parser(lex(text), known);
    var pred = p.expr();
    var tk = p.peek();
    if (tk.t !== 'eof') fail('"' + (tk.text || tk.v || tk.t) + '" was unexpected in this context.', tk.pos);
    return pred;
  }

  return { compile: compile, PRESENT: PRESENT };
})();
