/* lstm-docs parameter calculator.
 *
 * Initialises every <div class="lstm-calculator"> on the page (data-compact: fewer fields).
 * All figures are exact: sizes are BigInt and every count is evaluated from the formulas of
 * lstm_docs.formulas.catalog(), which lstm_docs/calculator.py writes into the page as
 * <script type="application/json" id="lstm-calculator-data"> at build time, with the layer
 * kinds of lstm_docs.kinds, the UI strings and number conventions of the page's language.
 * Nothing here names a layer kind: kinds, their names per framework, classes, gates and gate
 * labels come from the data's "kinds"; which options a kind has, from its catalog entries.
 *
 * Safety: text from the URL or the fields only ever reaches the page through textContent
 * or an input's value; this file never assigns innerHTML.
 *
 * Catalog EXPR: an int, a variable name ("d", "u", "p", "D") or ["+"|"*", EXPR, ...].
 * A PyTorch stack of L layers counts first + (L - 1) * upper, upper evaluated with D.
 * Catalog options are fields of the same name, except "proj" (PyTorch): proj_size > 0.
 * "In old answers" (full calculator only): the same layer in each legacy layout of the
 * catalog's "legacy" entries that has its kind, as the data's "legacy" describes them.
 */
(function () {
  "use strict";

  var DATA_ID = "lstm-calculator-data";
  var FRAMEWORKS = ["keras", "pytorch"];
  var FRAMEWORK_NAMES = { keras: "Keras", pytorch: "PyTorch" };
  var BOOLEANS = ["bidirectional", "use_bias", "reset_after", "bias"];
  var NUMBERS = ["input", "units", "num_layers", "proj_size"];
  var URL_KEYS = ["framework", "layer"].concat(NUMBERS, BOOLEANS);
  var URL_IGNORED = ["h"]; // material's search highlight
  var DEFAULTS = { // layer: the framework's first kind
    framework: "keras", input: "4096", units: "256", num_layers: "1",
    proj_size: "0", bidirectional: false, use_bias: true, reset_after: true, bias: true
  };
  var SAME_OPTION = { use_bias: "bias", bias: "use_bias" }; // one option, two frameworks' names
  var COMPACT_FIELDS = ["framework", "layer", "input", "units", "bidirectional"];
  var TABLE_LAYERS_MAX = 6; // stacks deeper than this list layers 0 and 1, then a note

  /* ---------------------------------------------------------------- exact arithmetic */

  /** Evaluate a catalog EXPR with BigInt variables in env. */
  function evaluate(expr, env) {
    if (typeof expr === "number") return BigInt(expr);
    if (typeof expr === "string") {
      if (!(expr in env)) throw new Error("calculator: variable " + expr + " has no value");
      return env[expr];
    }
    var op = expr[0], acc = op === "*" ? 1n : 0n;
    for (var i = 1; i < expr.length; i++) {
      var v = evaluate(expr[i], env);
      acc = op === "*" ? acc * v : acc + v;
    }
    return acc;
  }

  /** Symbolic text, the same layout as lstm_docs.formulas' LaTeX: 4u(d + u + 1). */
  function symbolic(expr, symbols) {
    if (typeof expr === "number") return String(expr);
    if (typeof expr === "string") return symbols[expr] || expr;
    var parts = expr.slice(1);
    if (expr[0] === "+") return parts.map(function (x) { return symbolic(x, symbols); }).join(" + ");
    var out = "", prev = null;
    parts.forEach(function (f) {
      var text = symbolic(f, symbols);
      var isSum = Array.isArray(f) && f[0] === "+";
      var prevSum = Array.isArray(prev) && prev[0] === "+";
      if (isSum) text = "(" + text + ")";
      else if (prev !== null && (typeof f === "number" || prevSum)) text = " · " + text;
      out += text;
      prev = f;
    });
    return out;
  }

  /** The same expression with every variable replaced by its value: 4 × 256 × (4,096 + 256 + 1). */
  function substituted(expr, env, fmt) {
    if (typeof expr === "number") return fmt(BigInt(expr));
    if (typeof expr === "string") return fmt(evaluate(expr, env));
    var parts = expr.slice(1).map(function (x) {
      var text = substituted(x, env, fmt);
      return expr[0] === "*" && Array.isArray(x) && x[0] === "+" ? "(" + text + ")" : text;
    });
    return parts.join(expr[0] === "*" ? " × " : " + ");
  }

  function isSum(expr) { return Array.isArray(expr) && expr[0] === "+"; }

  /* ------------------------------------------------------------------- the model */

  function Model(data) {
    this.data = data;
    this.catalog = data.catalog;
    this.symbols = data.symbols;
  }

  /** Layer kinds of a framework (their names there), in registry order. */
  Model.prototype.kinds = function (framework) {
    return this.data.kinds.filter(function (k) { return framework in k.names; })
      .map(function (k) { return k.names[framework]; });
  };

  /** Whether framework's kind uses variable name in some catalog entry (a size field it needs). */
  Model.prototype.uses = function (framework, kind, name) {
    function mentions(expr) {
      if (typeof expr === "string") return expr === name;
      return Array.isArray(expr) && expr.slice(1).some(mentions);
    }
    return this.catalog.layers.some(function (e) {
      return e.framework === framework && e.kind === kind &&
        e.weights.some(function (w) { return w.shape.some(mentions); });
    });
  };

  /** env with the derived variables added (k = kh * kw), for those whose inputs it has. */
  Model.prototype.derive = function (env) {
    var derived = this.data.derived || {};
    Object.keys(derived).forEach(function (name) {
      try { env[name] = evaluate(derived[name], env); } catch (e) { /* inputs absent: not used */ }
    });
    return env;
  };

  /** The registry kind a framework calls name (own name, registry key or alias), or null. */
  Model.prototype.kind = function (framework, name) {
    return this.data.kinds.filter(function (k) {
      return k.names[framework] === name || k.key === name || k.aliases.indexOf(name) >= 0;
    })[0] || null;
  };

  /** Whether some catalog entry of framework's kind carries option (that kind has it). */
  Model.prototype.has = function (framework, kind, option) {
    return this.catalog.layers.some(function (e) {
      return e.framework === framework && e.kind === kind && option in e.options;
    });
  };

  /** Whether framework's kind stacks layers (its catalog has "upper" entries). */
  Model.prototype.stacks = function (framework, kind) {
    return this.catalog.layers.some(function (e) {
      return e.framework === framework && e.kind === kind && e.layer === "upper";
    });
  };

  /** The catalog entry of one configuration (layer: "first" | "upper" for a PyTorch stack). */
  Model.prototype.entry = function (framework, kind, options, layer) {
    var found = null;
    this.catalog.layers.forEach(function (e) {
      if (found || e.framework !== framework || e.kind !== kind) return;
      if (e.layer !== undefined && e.layer !== layer) return; // a cell has no "layer"
      for (var key in e.options) if (e.options[key] !== options[key]) return;
      found = e;
    });
    if (!found) throw new Error("calculator: no catalog entry for " + framework + " " + kind);
    return found;
  };

  /**
   * Count one configuration. cfg: {framework, kind, d, u, p, L (BigInt), bidirectional,
   * use_bias, reset_after, bias}. Returns the total, the weight tensors (grouped by layer)
   * and the per-gate split; throws if the weights do not add up to the formula's total.
   */
  Model.prototype.count = function (cfg) {
    var fw = cfg.framework, kind = cfg.kind, groups = [], total;
    var env = this.derive(Object.assign({ d: cfg.d, u: cfg.u, p: cfg.p }, cfg.sizes || {}));
    var parts = {};
    if (fw === "keras") {
      var e = this.entry(fw, kind, catalogOptions(cfg));
      total = evaluate(e.total, env);
      groups.push({ layers: [0], weights: sized(e.weights, env, null), times: 1n });
      parts = { entry: e, env: env };
    } else {
      var o = catalogOptions(cfg);
      var first = this.entry(fw, kind, o, "first");
      total = evaluate(first.total, env);
      groups.push({ layers: [0], weights: sized(first.weights, env, 0), times: 1n });
      parts = { entry: first, env: env };
      if (cfg.L > 1n) {
        var upper = this.entry(fw, kind, o, "upper");
        var envU = { d: cfg.d, u: cfg.u, p: cfg.p };
        envU.D = evaluate(upper.D, envU);
        total += (cfg.L - 1n) * evaluate(upper.total, envU);
        var n = Number(cfg.L); // LAYERS_MAX keeps this small
        for (var k = 1; k < n; k++) {
          if (n > TABLE_LAYERS_MAX && k > 1) break;
          groups.push({ layers: [k], weights: sized(upper.weights, envU, k), times: 1n });
        }
        if (n > TABLE_LAYERS_MAX) groups[1].times = cfg.L - 1n, groups[1].layers = [1, n - 1];
        parts.upper = upper;
        parts.envU = envU;
      }
    }
    var gates = {}, projection = 0n, check = 0n, gateOrder = this.entry(fw, kind, catalogOptions(cfg), "first").gates;
    gateOrder.forEach(function (g) { gates[g] = { input: 0n, recurrent: 0n, bias: 0n, total: 0n }; });
    groups.forEach(function (group) {
      group.weights.forEach(function (w) {
        var size = w.size * group.times;
        check += size;
        if (w.role === "projection") { projection += size; return; }
        var slice = size / BigInt(gateOrder.length); // gates stack along one axis: equal slices
        w.gates.forEach(function (g) { gates[g][w.role] += slice; gates[g].total += slice; });
      });
    });
    if (check !== total) throw new Error("calculator: weights add up to " + check + ", formula says " + total);
    return { total: total, groups: groups, gates: gates, gateOrder: gateOrder, projection: projection, parts: parts };
  };

  /** cfg's values of every catalog option; an entry compares only the options it carries. */
  function catalogOptions(cfg) {
    var o = { proj: cfg.p > 0n };
    BOOLEANS.forEach(function (n) { if (n in cfg) o[n] = cfg[n]; });
    return o;
  }

  /** Weights with evaluated shapes and sizes; PyTorch names renamed to layer k. */
  function sized(weights, env, layer) {
    return weights.map(function (w) {
      var shape = w.shape.map(function (s) { return evaluate(s, env); });
      var size = shape.reduce(function (a, b) { return a * b; }, 1n);
      var name = layer === null ? w.name : w.name.replace(/_l\d+(?=(_reverse)?$)/, "_l" + layer);
      return { name: name, role: w.role, shape: shape, size: size, gates: w.gates };
    });
  }

  /** The other framework's equivalent layer, or a note saying why there is none. */
  Model.prototype.counterpart = function (cfg) {
    var self = this, fw = cfg.framework, other = fw === "keras" ? "pytorch" : "keras";
    var entry = this.kind(fw, cfg.kind), kind = entry.names[other];
    if (kind === undefined) { // a kind one framework lacks (PyTorch has no ConvLSTM2D)
      return { note: "compare_none_kind", params: { framework: FRAMEWORK_NAMES[other], layer: entry.classes[fw] } };
    }
    var own = this.entry(fw, cfg.kind, catalogOptions(cfg), "first").options;
    var usual = catalogOptions(defaultConfig());
    // An option the other framework's kind lacks, set away from its default: no equivalent.
    var lacking = Object.keys(own).filter(function (k) {
      return own[k] !== usual[k] && !self.has(other, kind, SAME_OPTION[k] || k);
    });
    if (lacking.length) return { note: "compare_none_" + lacking[0] };
    var twin = { framework: other, kind: kind, d: cfg.d, u: cfg.u, p: 0n, L: cfg.L };
    BOOLEANS.forEach(function (n) {
      var from = SAME_OPTION[n] || n;
      twin[n] = self.has(fw, cfg.kind, from) ? cfg[from] : DEFAULTS[n];
    });
    var pair = {};
    pair[fw] = cfg;
    pair[other] = twin;
    return pair;
  };

  /**
   * The reader's layer in each legacy layout (data "legacy", catalog "legacy") that has its
   * kind, in registry order: an option the reader set away from its default is carried over
   * (use_bias and bias are one), every other one takes the layout's own default (Keras 2's
   * GRU: reset_after=False). No row for a layout lacking an option the reader changed, nor
   * for a stack (no legacy entry has "layer"). Each row: {layout, label, entry, total,
   * options (the layout's values that differ from the reader's), notes: [{key, each}]}.
   */
  Model.prototype.legacy = function (cfg) {
    var self = this, fw = cfg.framework, info = this.data.legacy, rows = [];
    if (!info || !this.catalog.legacy || cfg.L > 1n) return rows;
    var kind = this.kind(fw, cfg.kind);
    var own = this.entry(fw, cfg.kind, catalogOptions(cfg), "first").options;
    var usual = catalogOptions(defaultConfig());
    var env = this.derive(Object.assign({ d: cfg.d, u: cfg.u, p: cfg.p }, cfg.sizes || {}));
    function source(option) { // the reader's name of a legacy option, or null
      if (option in own) return option;
      return SAME_OPTION[option] in own ? SAME_OPTION[option] : null;
    }
    info.layouts.forEach(function (layout) {
      var name = layout.kinds[kind.key];
      var entries = self.catalog.legacy.filter(function (e) { return e.layout === layout.layout && e.kind === name; });
      if (name === undefined || !entries.length) return;
      var takes = entries[0].options;
      var lacking = Object.keys(own).filter(function (k) {
        return own[k] !== usual[k] && !(k in takes) && !(SAME_OPTION[k] in takes);
      });
      if (lacking.length) return;
      var wanted = {}, differ = [];
      Object.keys(takes).forEach(function (o) {
        var from = source(o), reader = from !== null ? own[from] : usual[o];
        wanted[o] = from !== null && own[from] !== usual[from] ? own[from] : layout.defaults[o];
        if (wanted[o] !== reader) differ.push(o + "=" + (wanted[o] ? "True" : "False"));
      });
      var entry = legacyEntry(entries, wanted), total = evaluate(entry.total, env);
      var check = sized(entry.weights, env, null).reduce(function (a, w) { return a + w.size; }, 0n);
      if (check !== total) throw new Error("calculator: " + layout.layout + " weights add up to " + check + ", formula says " + total);
      var notes = [];
      Object.keys(layout.notes).forEach(function (o) {
        if (!wanted[o]) return;
        var off = Object.assign({}, wanted);
        off[o] = false;
        notes.push({ key: layout.notes[o], each: evaluate(legacyEntry(entries, off).total, env) });
      });
      rows.push({ layout: layout.layout, label: layout.label, entry: entry, total: total, options: differ, notes: notes });
    });
    return rows;
  };

  /** The legacy entry carrying exactly the options wanted. */
  function legacyEntry(entries, wanted) {
    var found = entries.filter(function (e) {
      return Object.keys(e.options).every(function (k) { return e.options[k] === wanted[k]; });
    })[0];
    if (!found) throw new Error("calculator: no legacy entry for " + entries[0].layout + " " + entries[0].kind);
    return found;
  }

  /** The default configuration's p and options (as count() reads them). */
  function defaultConfig() {
    var cfg = { p: BigInt(DEFAULTS.proj_size) };
    BOOLEANS.forEach(function (n) { cfg[n] = DEFAULTS[n]; });
    return cfg;
  }

  /** Keras count of a stack of L layers (L = 1: one layer); upper layers get dirs * u inputs. */
  Model.prototype.kerasStack = function (cfg) {
    var one = this.count(cfg).total;
    if (cfg.L <= 1n) return one;
    var width = (cfg.bidirectional ? 2n : 1n) * cfg.u;
    var upper = this.count(Object.assign({}, cfg, { d: width })).total;
    return one + (cfg.L - 1n) * upper;
  };

  /** Code a reader would write for cfg: LSTM(256) / nn.LSTM(4096, 256, ...). */
  Model.prototype.code = function (cfg) {
    if (cfg.framework === "keras") {
      var args = [String(cfg.u)];
      if (this.has("keras", cfg.kind, "reset_after") && !cfg.reset_after) args.push("reset_after=False");
      if (!cfg.use_bias) args.push("use_bias=False");
      var layer = this.kind("keras", cfg.kind).classes.keras + "(" + args.join(", ") + ")";
      return cfg.bidirectional ? "Bidirectional(" + layer + ")" : layer;
    }
    var a = [String(cfg.d), String(cfg.u)];
    if (cfg.L > 1n) a.push("num_layers=" + cfg.L);
    if (!cfg.bias) a.push("bias=False");
    if (cfg.bidirectional) a.push("bidirectional=True");
    if (cfg.p > 0n) a.push("proj_size=" + cfg.p);
    return "nn." + this.kind("pytorch", cfg.kind).classes.pytorch + "(" + a.join(", ") + ")";
  };

  /* ----------------------------------------------------------- language and input */

  function Lang(data) {
    this.strings = data.strings;
    this.number = data.number;
    this.minGrouped = BigInt(data.number.min_grouped);
    var seps = data.number.groups.filter(function (s) { return s !== data.number.decimal; });
    var cls = seps.map(function (s) { return s.replace(/[\\\]\[^-]/g, "\\$&"); }).join("");
    this.grouped = cls ? new RegExp("^\\d{1,3}(?:[" + cls + "]\\d{3})+$") : null;
    this.separators = new RegExp("[" + (cls || ",") + "]", "g");
    this.typography = data.typography;
    this.latinHan = data.typography.latin_han ? new RegExp(data.typography.latin_han, "g") : null;
  }

  /** Items of a list joined the language's way: "i, f" / "i、f". */
  Lang.prototype.list = function (items) { return items.join(this.typography.list_separator); };
  /** Clauses of one sentence: "d = …, u = …" / "d = …，u = …". */
  Lang.prototype.clauses = function (items) { return items.join(this.typography.clause_separator); };

  /** A string of the page's language with {name} placeholders filled (plain text). */
  Lang.prototype.t = function (key, params) {
    var text = this.strings[key];
    if (text === undefined) throw new Error("calculator: no string " + key);
    text = text.replace(/\{(\w+)\}/g, function (m, name) {
      return params && name in params ? String(params[name]) : m;
    });
    // Chinese: a space between Latin text and Han characters ("proj_size 为空")
    return this.latinHan ? text.replace(this.latinHan, function (m, a, b) { return (a || b) + " "; }) : text;
  };

  /** A BigInt written the page language's way: 4,457,472 / 4 457 472. */
  Lang.prototype.format = function (n) {
    var neg = n < 0n, abs = neg ? -n : n, s = abs.toString();
    if (abs >= this.minGrouped) s = s.replace(/\B(?=(\d{3})+(?!\d))/g, this.number.group);
    return (neg ? "-" : "") + s;
  };

  /**
   * Read a whole number typed in the page's language (digits, optionally grouped the
   * language's way). Returns {value} or {error, params}; never NaN, never a rounded value.
   */
  Lang.prototype.parse = function (raw, min, max) {
    var s = raw.trim();
    if (s === "") return { error: "err_empty" };
    var shown = s.length > 40 ? s.slice(0, 39) + "…" : s;
    var negative = /^[-\u2212]/.test(s);
    var body = negative ? s.slice(1).trim() : s;
    if (!(/^\d+$/.test(body) || (this.grouped && this.grouped.test(body)))) {
      return { error: "err_not_integer", params: { value: shown } };
    }
    var digits = body.replace(this.separators, "").replace(/^0+(?=\d)/, "");
    if (!negative && digits.length > max.toString().length) return { error: "err_too_large" };
    var value = BigInt(digits);
    if (negative && value !== 0n) return { error: "err_too_small", params: { value: shown } };
    if (value < min) return { error: "err_too_small", params: { value: shown } };
    if (value > max) return { error: "err_too_large" };
    return { value: value };
  };

  /* --------------------------------------------------------------------- DOM */

  /** Create an element; attributes via setAttribute, text via textContent only. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return node;
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }

  function table(head, rows, foot) {
    var thead = el("thead", null, [el("tr", null, head.map(function (h) { return el("th", null, [h]); }))]);
    var body = el("tbody", null, rows.map(function (r) {
      return el("tr", null, r.map(function (c) { return el("td", null, [c]); }));
    }));
    var parts = [thead, body];
    if (foot) parts.push(el("tfoot", null, [el("tr", null, foot.map(function (c) { return el("td", null, [c]); }))]));
    return el("div", { "class": "lstm-calc__scroll" }, [el("table", null, parts)]);
  }

  function code(text) { return el("code", null, [text]); }

  /** A string's `backquoted` parts as code, the rest as text. */
  function rich(text) {
    return text.split("`").map(function (part, i) { return i % 2 ? code(part) : part; })
      .filter(function (part) { return part !== ""; });
  }

  /** A shape the way Python prints it: (4096, 1024), (1024,). */
  function pyTuple(shape) { return "(" + shape.join(", ") + (shape.length === 1 ? ",)" : ")"); }

  var counter = 0;

  /** One calculator bound to one root element. */
  function Calculator(root, model, lang) {
    this.root = root;
    this.model = model;
    this.lang = lang;
    this.compact = root.hasAttribute("data-compact");
    this.id = "lstm-calc-" + (++counter);
    this.limits = {
      input: [1n, BigInt(model.data.limits.size_max)],
      units: [1n, BigInt(model.data.limits.size_max)],
      num_layers: [1n, BigInt(model.data.limits.layers_max)],
      proj_size: [0n, BigInt(model.data.limits.size_max)]
    };
    // Size fields some kinds need (ConvLSTM2D's kernel rows and columns), from the data.
    this.sizes = model.data.sizes || [];
    this.numbers = NUMBERS.concat(this.sizes.map(function (z) { return z.var; }));
    this.defaults = Object.assign({}, DEFAULTS);
    this.urlKeys = URL_KEYS.concat(this.sizes.map(function (z) { return z.var; }));
    var self0 = this;
    this.sizes.forEach(function (z) {
      self0.limits[z.var] = [1n, BigInt(model.data.limits.size_max)];
      self0.defaults[z.var] = z.default;
    });
    this.fields = {};
    this.sticky = {}; // messages about values from the URL, shown until the field changes
    this.notices = [];
    this.touched = false;
    this.build();
    this.readUrl();
    this.update(false);
  }

  Calculator.prototype.fieldName = function (name) {
    var size = this.sizes.filter(function (z) { return z.var === name; })[0];
    if (size) return this.lang.t(size.label);
    return name === "input" || name === "units" ? this.lang.t(name) : name;
  };

  Calculator.prototype.build = function () {
    var self = this, L = this.lang, id = this.id;
    clear(this.root);
    this.root.classList.add("lstm-calc");
    if (this.compact) this.root.classList.add("lstm-calc--compact");
    var form = el("form", { "class": "lstm-calc__form", novalidate: "", autocomplete: "off" });
    form.addEventListener("submit", function (ev) { ev.preventDefault(); });

    // Framework: a radio group.
    var radios = FRAMEWORKS.map(function (fw) {
      var input = el("input", { type: "radio", name: id + "-framework", value: fw, id: id + "-fw-" + fw });
      input.addEventListener("change", function () { self.onChange("framework"); });
      return el("label", { "for": id + "-fw-" + fw, "class": "lstm-calc__radio" }, [input, " " + FRAMEWORK_NAMES[fw]]);
    });
    this.frameworkInputs = radios.map(function (l) { return l.firstChild; });
    var fwError = el("p", { "class": "lstm-calc__error", id: id + "-framework-error", "aria-live": "polite" });
    var fwSet = el("fieldset", { "class": "lstm-calc__field lstm-calc__framework", "aria-describedby": id + "-framework-error" },
      [el("legend", null, [L.t("framework")])].concat(radios, [fwError]));
    this.fields.framework = { wrap: fwSet, error: fwError, inputs: this.frameworkInputs };

    // Layer: a select whose options follow the framework.
    var select = el("select", { id: id + "-layer", "aria-describedby": id + "-layer-error" });
    select.addEventListener("change", function () { self.onChange("layer"); });
    this.fields.layer = this.wrap("layer", L.t("layer"), select, null);

    // Sizes.
    var self2 = this;
    NUMBERS.forEach(function (name) {
      var input = el("input", {
        type: "text", inputmode: "numeric", id: id + "-" + name, spellcheck: "false",
        "aria-describedby": id + "-" + name + "-hint " + id + "-" + name + "-error"
      });
      input.addEventListener("input", function () { self2.onChange(name); });
      var label = { input: L.t("input"), units: L.t("units"), num_layers: L.t("num_layers"), proj_size: L.t("proj_size") }[name];
      var hint = { input: L.t("input_hint"), units: L.t("units_hint") }[name] || null;
      self2.fields[name] = self2.wrap(name, label, input, hint);
    });
    this.sizes.forEach(function (z) {
      var input = el("input", {
        type: "text", inputmode: "numeric", id: id + "-" + z.var, spellcheck: "false",
        "aria-describedby": id + "-" + z.var + "-hint " + id + "-" + z.var + "-error"
      });
      input.addEventListener("input", function () { self2.onChange(z.var); });
      self2.fields[z.var] = self2.wrap(z.var, L.t(z.label), input, L.t(z.hint));
    });

    // Options.
    BOOLEANS.forEach(function (name) {
      var input = el("input", { type: "checkbox", id: id + "-" + name, "aria-describedby": id + "-" + name + "-error" });
      input.addEventListener("change", function () { self2.onChange(name); });
      var error = el("p", { "class": "lstm-calc__error", id: id + "-" + name + "-error", "aria-live": "polite" });
      var wrap = el("div", { "class": "lstm-calc__field lstm-calc__check" },
        [el("label", { "for": id + "-" + name }, [input, " " + L.t(name)]), error]);
      self2.fields[name] = { wrap: wrap, input: input, error: error };
    });

    var f = this.fields;
    form.appendChild(fwSet);
    [f.layer, f.input, f.units].concat(this.sizes.map(function (z) { return f[z.var]; }),
      [f.num_layers, f.proj_size, f.bidirectional, f.use_bias, f.bias, f.reset_after])
      .forEach(function (x) { form.appendChild(x.wrap); });
    var limitNote = el("p", { "class": "lstm-calc__note" },
      [L.t("limit_note", { max: L.format(this.limits.units[1]) })]);
    this.noticeBox = el("div", { "class": "lstm-calc__notices", "aria-live": "polite" });

    // Results.
    this.results = el("div", { "class": "lstm-calc__results", id: id + "-results" });
    this.totalValue = el("output", { "class": "lstm-calc__total-value", "for": id + "-input " + id + "-units", "aria-live": "polite" });
    this.invalid = el("p", { "class": "lstm-calc__invalid", hidden: "" }, [L.t("fix_fields")]);

    // Link.
    this.linkInput = el("input", { type: "text", readonly: "", id: id + "-link", "class": "lstm-calc__link-input" });
    this.copyButton = el("button", { type: "button", "class": "md-button lstm-calc__copy" }, [L.t("copy_link")]);
    this.copyButton.addEventListener("click", function () { self.copyLink(); });
    this.copyStatus = el("span", { "class": "lstm-calc__copy-status", role: "status" });
    var linkRow = el("div", { "class": "lstm-calc__link" }, [
      el("label", { "for": id + "-link", "class": "lstm-calc__sr" }, [L.t("link")]),
      this.linkInput, this.copyButton, this.copyStatus]);
    this.fullLink = null;
    if (this.compact && this.model.data.calculator_url) {
      this.fullLink = el("a", { "class": "lstm-calc__full", href: this.model.data.calculator_url }, [L.t("open_full")]);
    }

    this.root.appendChild(form);
    this.root.appendChild(limitNote);
    this.root.appendChild(this.noticeBox);
    this.totalBox = el("div", { "class": "lstm-calc__total" },
      [el("span", { "class": "lstm-calc__total-label" }, [L.t("total")]), " ", this.totalValue]);
    this.root.appendChild(this.totalBox);
    this.root.appendChild(this.invalid);
    this.root.appendChild(this.results);
    this.root.appendChild(linkRow);
    if (this.fullLink) this.root.appendChild(el("p", null, [this.fullLink]));
    this.setState(this.defaults);
  };

  /** A labelled field with its hint and error paragraphs. */
  Calculator.prototype.wrap = function (name, label, input, hint) {
    var id = this.id;
    var error = el("p", { "class": "lstm-calc__error", id: id + "-" + name + "-error", "aria-live": "polite" });
    var kids = [el("label", { "for": input.id }, [label]), input];
    if (hint) kids.push(el("p", { "class": "lstm-calc__hint", id: id + "-" + name + "-hint" }, [hint]));
    kids.push(error);
    return { wrap: el("div", { "class": "lstm-calc__field" }, kids), input: input, error: error };
  };

  Calculator.prototype.fillLayers = function (framework, wanted) {
    var select = this.fields.layer.input, model = this.model;
    clear(select);
    this.model.kinds(framework).forEach(function (kind) {
      select.appendChild(el("option", { value: kind }, [model.kind(framework, kind).classes[framework]]));
    });
    select.value = this.model.kinds(framework).indexOf(wanted) >= 0 ? wanted : this.model.kinds(framework)[0];
  };

  Calculator.prototype.setState = function (s) {
    var f = this.fields;
    this.frameworkInputs.forEach(function (r) { r.checked = r.value === s.framework; });
    this.fillLayers(s.framework, s.layer);
    this.numbers.forEach(function (n) { f[n].input.value = s[n]; });
    BOOLEANS.forEach(function (n) { f[n].input.checked = s[n]; });
  };

  Calculator.prototype.framework = function () {
    var checked = this.frameworkInputs.filter(function (r) { return r.checked; })[0];
    return checked ? checked.value : DEFAULTS.framework;
  };

  /** Which fields apply to the current framework and layer. */
  Calculator.prototype.applicable = function () {
    var fw = this.framework(), kind = this.fields.layer.input.value, M = this.model;
    var on = { framework: true, layer: true, input: true, units: true };
    BOOLEANS.forEach(function (n) { on[n] = M.has(fw, kind, n); });
    on.proj_size = M.has(fw, kind, "proj");
    on.num_layers = M.stacks(fw, kind);
    this.sizes.forEach(function (z) { on[z.var] = M.uses(fw, kind, z.var); });
    return on;
  };

  /** Read the state from the URL's query; problems become messages, never markup. */
  Calculator.prototype.readUrl = function () {
    var self = this, L = this.lang, params = new URLSearchParams(window.location.search);
    var any = false, values = {};
    params.forEach(function (value, key) {
      if (self.urlKeys.indexOf(key) >= 0) { values[key] = value; any = true; }
      else if (URL_IGNORED.indexOf(key) < 0) {
        self.notices.push(L.t("err_unknown_option", { name: clip(key), known: self.urlKeys.join(", ") }));
      }
    });
    this.fromUrl = any;
    if (!any) return;
    var fw = DEFAULTS.framework;
    if ("framework" in values) {
      if (FRAMEWORKS.indexOf(values.framework) >= 0) fw = values.framework;
      else this.sticky.framework = L.t("err_bad_choice", { field: L.t("framework"), value: clip(values.framework),
        choices: FRAMEWORKS.join(", "), "default": fw });
    }
    this.frameworkInputs.forEach(function (r) { r.checked = r.value === fw; });
    var kinds = this.model.kinds(fw), kind = kinds[0];
    if ("layer" in values) {
      if (kinds.indexOf(values.layer) >= 0) kind = values.layer;
      else this.sticky.layer = L.t("err_bad_choice", { field: L.t("layer"), value: clip(values.layer),
        choices: kinds.join(", "), "default": kind });
    }
    this.fillLayers(fw, kind);
    this.numbers.forEach(function (n) { if (n in values) self.fields[n].input.value = values[n]; });
    BOOLEANS.forEach(function (n) {
      if (!(n in values)) return;
      var v = values[n].toLowerCase();
      if (v === "1" || v === "true" || v === "on") self.fields[n].input.checked = true;
      else if (v === "0" || v === "false" || v === "off") self.fields[n].input.checked = false;
      else {
        self.fields[n].input.checked = DEFAULTS[n];
        self.sticky[n] = L.t("err_bad_bool", { field: n, value: clip(values[n]), "default": L.t(DEFAULTS[n] ? "on" : "off") });
      }
    });
  };

  function clip(text) { return text.length > 40 ? text.slice(0, 39) + "…" : text; }

  Calculator.prototype.onChange = function (name) {
    delete this.sticky[name];
    if (name === "framework") {
      var fw = this.framework(), kind = this.model.kind(fw, this.fields.layer.input.value);
      delete this.sticky.layer;
      this.fillLayers(fw, kind ? kind.names[fw] : null); // the same kind in the new framework
    }
    this.touched = true;
    this.update(true);
  };

  /** Validate, compute and show; write the URL when the reader changed something. */
  Calculator.prototype.update = function (writeUrl) {
    var self = this, L = this.lang, f = this.fields, on = this.applicable();
    var values = {}, errors = {};
    Object.keys(f).forEach(function (name) {
      var size = self.numbers.indexOf(name) >= NUMBERS.length; // a kind's own size: always shown
      var show = !!on[name] && (!self.compact || size || COMPACT_FIELDS.indexOf(name) >= 0 || !self.isDefault(name) || name in self.sticky);
      f[name].wrap.hidden = !show;
    });
    this.numbers.forEach(function (name) {
      if (!on[name]) return;
      var lim = self.limits[name], r = L.parse(f[name].input.value, lim[0], lim[1]);
      if (r.error) {
        var p = Object.assign({ field: self.fieldName(name), min: L.format(lim[0]), max: L.format(lim[1]) }, r.params || {});
        errors[name] = L.t(r.error, p);
      } else values[name] = r.value;
    });
    if (on.proj_size && values.proj_size !== undefined && values.units !== undefined &&
        values.proj_size > 0n && values.proj_size >= values.units) {
      errors.proj_size = L.t("err_proj", { units: L.format(values.units) });
    }
    Object.keys(f).forEach(function (name) {
      var message = errors[name] || self.sticky[name] || "";
      f[name].error.textContent = message;
      var inputs = f[name].inputs || [f[name].input];
      inputs.forEach(function (i) {
        if (errors[name]) i.setAttribute("aria-invalid", "true"); else i.removeAttribute("aria-invalid");
      });
      f[name].wrap.classList.toggle("lstm-calc__field--invalid", !!errors[name]);
    });
    clear(this.noticeBox);
    this.notices.forEach(function (n) { self.noticeBox.appendChild(el("p", { "class": "lstm-calc__error" }, [n])); });

    var ok = Object.keys(errors).length === 0;
    this.invalid.hidden = ok;
    this.totalBox.hidden = !ok;
    this.root.classList.toggle("lstm-calc--invalid", !ok);
    clear(this.results);
    this.totalValue.textContent = "";
    if (ok) {
      var cfg = this.config(values);
      try {
        this.render(cfg);
      } catch (err) {
        clear(this.results);
        this.totalValue.textContent = "";
        this.invalid.hidden = false;
        this.totalBox.hidden = true;
        this.invalid.textContent = String(err.message || err);
        throw err;
      }
    }
    var query = this.query();
    this.linkInput.value = window.location.origin + window.location.pathname + (query ? "?" + query : "");
    if (this.fullLink) this.fullLink.setAttribute("href", this.model.data.calculator_url + (query ? "?" + query : ""));
    if (writeUrl) window.history.replaceState(window.history.state, "", "?" + query + window.location.hash);
  };

  Calculator.prototype.isDefault = function (name) {
    var x = this.fields[name];
    if (BOOLEANS.indexOf(name) >= 0) return x.input.checked === DEFAULTS[name];
    if (this.numbers.indexOf(name) >= 0) return x.input.value.trim() === this.defaults[name];
    return true;
  };

  Calculator.prototype.config = function (values) {
    var f = this.fields, fw = this.framework(), sizes = {};
    this.sizes.forEach(function (z) { if (values[z.var] !== undefined) sizes[z.var] = values[z.var]; });
    return {
      framework: fw, kind: f.layer.input.value, d: values.input, u: values.units, sizes: sizes,
      p: values.proj_size !== undefined ? values.proj_size : 0n, // read only where they apply
      L: values.num_layers !== undefined ? values.num_layers : 1n,
      bidirectional: f.bidirectional.input.checked, use_bias: f.use_bias.input.checked,
      reset_after: f.reset_after.input.checked, bias: f.bias.input.checked
    };
  };

  /** The query string of the current fields (raw text where a field is invalid). */
  Calculator.prototype.query = function () {
    var self = this, f = this.fields, on = this.applicable(), params = new URLSearchParams();
    params.set("framework", this.framework());
    params.set("layer", f.layer.input.value);
    this.numbers.forEach(function (n) {
      if (!on[n]) return;
      var raw = f[n].input.value.trim(), r = self.lang.parse(raw, self.limits[n][0], self.limits[n][1]);
      params.set(n, r.error ? raw : r.value.toString()); // canonical digits once valid
    });
    BOOLEANS.forEach(function (n) { if (on[n]) params.set(n, f[n].input.checked ? "1" : "0"); });
    return params.toString();
  };

  /* ------------------------------------------------------------------ rendering */

  Calculator.prototype.render = function (cfg) {
    var L = this.lang, M = this.model, fmt = L.format.bind(L), r = M.count(cfg);
    var symbols = this.model.symbols[cfg.framework];
    this.totalValue.textContent = fmt(r.total);
    this.totalValue.setAttribute("data-value", r.total.toString());

    // Formula: symbolic, then with the reader's numbers.
    var first = r.parts.entry, sym = symbolic(first.total, symbols), sub = substituted(first.total, r.parts.env, fmt);
    var legend = [symbols.d + " = " + L.t("var_d"), symbols.u + " = " + L.t("var_u")];
    if (cfg.p > 0n) legend.push(symbols.p + " = " + L.t("var_p"));
    Object.keys(M.data.derived || {}).forEach(function (v) { // k = kernel area, where the formula has it
      if (JSON.stringify(first.total).indexOf('"' + v + '"') >= 0) legend.push((symbols[v] || v) + " = " + L.t("var_" + v));
    });
    if (r.parts.upper) {
      var up = r.parts.upper;
      var upSym = symbolic(up.total, symbols), upSub = substituted(up.total, r.parts.envU, fmt);
      if (isSum(up.total)) { upSym = "(" + upSym + ")"; upSub = "(" + upSub + ")"; }
      sym = sym + " + (L − 1) · " + upSym;
      sub = sub + " + (" + fmt(cfg.L) + " − 1) × " + upSub;
      legend.push("L = " + L.t("var_L"));
      legend.push(L.t("var_D_legend", { symbol: symbols.D, value: symbolic(up.D, symbols), meaning: L.t("var_D") }));
    }
    var formula = el("div", { "class": "lstm-calc__formula" }, [
      el("h3", null, [L.t("formula")]),
      el("p", { "class": "lstm-calc__symbolic" }, [code(sym)]),
      el("p", { "class": "lstm-calc__legend" }, [L.t("where") + " " + L.clauses(legend)]),
      el("p", { "class": "lstm-calc__substituted" }, [
        el("span", { "class": "lstm-calc__label" }, [L.t("with_numbers") + " "]),
        el("span", { "class": "lstm-calc__math" }, [sub + " = " + fmt(r.total)])])
    ]);
    this.results.appendChild(formula);

    this.results.appendChild(this.compare(cfg, r.total));
    if (this.compact) return;
    this.results.appendChild(this.legacy(cfg, r));

    // Every weight tensor.
    var rows = [], note = null;
    r.groups.forEach(function (g) {
      g.weights.forEach(function (w) {
        rows.push([code(w.name), L.t("role_" + w.role), code(pyTuple(w.shape)),
                   fmt(w.size), L.list(w.gates) || "—"]);
      });
    });
    if (r.groups.length > 1 && r.groups[1].layers.length === 2) {
      var last = r.groups[1].layers[1];
      note = el("p", { "class": "lstm-calc__note" }, [L.t("layers_collapsed", { from: "2", to: String(last), count: fmt(BigInt(last - 1)) })]);
    }
    var weightsTable = table(
      [L.t("col_name"), L.t("col_role"), L.t("col_shape"), L.t("col_params"), L.t("col_gates")], rows,
      [L.t("col_total"), "", "", fmt(r.total), ""]);
    weightsTable.querySelector("table").classList.add("lstm-calc__weights");
    this.results.appendChild(el("div", null, [el("h3", null, [L.t("weights")]), weightsTable].concat(note ? [note] : [])));

    // Per gate.
    var labels = M.kind(cfg.framework, cfg.kind).gate_strings[cfg.framework];
    var gateRows = r.gateOrder.map(function (g) {
      var x = r.gates[g];
      return [code(g), L.t(labels[g]), fmt(x.input), fmt(x.recurrent), fmt(x.bias), fmt(x.total)];
    });
    if (r.projection > 0n) gateRows.push(["—", L.t("gate_projection"), "", "", "", fmt(r.projection)]);
    var gatesTable = table(
      [L.t("col_gate"), "", L.t("role_input"), L.t("role_recurrent"), L.t("role_bias"), L.t("col_total")], gateRows,
      [L.t("col_total"), "", "", "", "", fmt(r.total)]);
    gatesTable.querySelector("table").classList.add("lstm-calc__gates");
    this.results.appendChild(el("div", null, [el("h3", null, [L.t("per_gate")]), gatesTable]));
  };

  Calculator.prototype.compare = function (cfg, total) {
    var L = this.lang, M = this.model, fmt = L.format.bind(L), c = M.counterpart(cfg);
    var box = el("div", { "class": "lstm-calc__compare" }, [el("h3", null, [L.t("compare")])]);
    if (c.note) {
      box.appendChild(el("p", { "class": "lstm-calc__note" }, [L.t(c.note, c.params)]));
      return box;
    }
    var kerasTotal = cfg.framework === "keras" ? total : M.kerasStack(c.keras);
    var torchTotal = cfg.framework === "pytorch" ? total : M.count(c.pytorch).total;
    var t = table(["", "Keras", "PyTorch"], [
      [L.t("compare_layer"), code(M.code(c.keras)), code(M.code(c.pytorch))],
      [L.t("col_params"), el("span", { "data-framework": "keras" }, [fmt(kerasTotal)]),
                          el("span", { "data-framework": "pytorch" }, [fmt(torchTotal)])]
    ]);
    t.querySelector("table").classList.add("lstm-calc__compare-table");
    box.appendChild(t);
    if (c.keras.L > 1n) box.appendChild(el("p", { "class": "lstm-calc__note" }, [L.t("compare_stack", { layers: fmt(c.keras.L) })]));
    var diff = torchTotal - kerasTotal;
    box.appendChild(el("p", { "class": "lstm-calc__note" }, [diff === 0n ? L.t("compare_same") :
      L.t("compare_difference", { diff: (diff > 0n ? "+" : "−") + fmt(diff > 0n ? diff : -diff) })]));
    return box;
  };

  /** "In old answers": the reader's count, then each legacy layout's; hidden when none has the layer. */
  Calculator.prototype.legacy = function (cfg, r) {
    var L = this.lang, M = this.model, fmt = L.format.bind(L), info = M.data.legacy;
    var symbols = M.symbols[cfg.framework], rows = M.legacy(cfg);
    var box = el("div", { "class": "lstm-calc__legacy" });
    box.hidden = rows.length === 0;
    if (box.hidden) return box;
    function item(layout, name, formula, total, extra) {
      return el("li", { "data-layout": layout }, [
        el("span", { "class": "lstm-calc__legacy-name" }, name),
        el("span", { "class": "lstm-calc__legacy-count", "data-value": total.toString() }, [fmt(total)]),
        el("span", { "class": "lstm-calc__legacy-formula" }, [code(symbolic(formula, symbols))])
      ].concat(extra || []));
    }
    var own = M.kind(cfg.framework, cfg.kind).classes[cfg.framework];
    var current = item(cfg.framework, [L.t(info.frameworks[cfg.framework]) + " ", code(own)], r.parts.entry.total, r.total);
    current.classList.add("lstm-calc__legacy-current");
    var items = [current].concat(rows.map(function (row) {
      var name = [L.t(row.label) + " ", code(row.entry["class"])];
      if (row.options.length) name = name.concat([" (", code(row.options.join(", ")), ")"]);
      var notes = row.notes.map(function (n) {
        return el("span", { "class": "lstm-calc__legacy-note" }, rich(L.t(n.key, { each: fmt(n.each) })));
      });
      return item(row.layout, name, row.entry.total, row.total, notes);
    }));
    box.appendChild(el("h3", null, [L.t("legacy")]));
    box.appendChild(el("p", { "class": "lstm-calc__note" }, [L.t("legacy_intro")]));
    box.appendChild(el("ul", { "class": "lstm-calc__legacy-rows" }, items));
    if (info.url) box.appendChild(el("p", { "class": "lstm-calc__note" }, [el("a", { href: info.url }, [L.t("legacy_why")])]));
    return box;
  };

  /* ------------------------------------------------------------------------ link */

  Calculator.prototype.copyLink = function () {
    var self = this, L = this.lang, text = this.linkInput.value;
    function done(ok) { self.copyStatus.textContent = L.t(ok ? "copied" : "copy_failed"); }
    function fallback() {
      self.linkInput.focus();
      self.linkInput.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      done(ok);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, fallback);
    } else fallback();
  };

  /* ------------------------------------------------------------------------ start */

  function start() {
    var roots = document.querySelectorAll(".lstm-calculator");
    if (!roots.length) return;
    var node = document.getElementById(DATA_ID);
    if (!node) throw new Error("calculator: the page has no #" + DATA_ID + " element (is hooks/calculator.py listed in mkdocs.yml?)");
    var data = JSON.parse(node.textContent);
    var model = new Model(data), lang = new Lang(data);
    window.lstmCalculators = [];
    Array.prototype.forEach.call(roots, function (root) {
      window.lstmCalculators.push(new Calculator(root, model, lang));
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
