'use strict';
// libprempti for Node.js: decide whether an AI agent's tool call may run.
// The native addon (src/) is a thin Node-API layer over the C API; this file
// is the API. Types: index.d.ts. Guide: README.md.

const path = require('node:path');
const native = require('./build/Release/prempti.node');

// ---- errors ----

const STATUS = {
  '-1': 'PREMPTI_E_NOMEM', '-2': 'PREMPTI_E_INVALID_ARG', '-3': 'PREMPTI_E_IO',
  '-4': 'PREMPTI_E_YAML', '-5': 'PREMPTI_E_RULE', '-6': 'PREMPTI_E_JSON',
  '-7': 'PREMPTI_E_EVENT', '-8': 'PREMPTI_E_LIMIT', '-9': 'PREMPTI_E_UNSUPPORTED',
  '-10': 'PREMPTI_E_INTERNAL',
};

function located(message, file, line, column) {
  const where = [file, line, column].filter(Boolean).join(':');
  return where ? `${where}: ${message}` : message;
}

/** A warning of a rules load, or a note attached to an error. */
class Diagnostic {
  constructor(info) {
    this.severity = info.severity;
    this.message = info.message;
    this.kind = info.kind;
    this.file = info.file || null;
    this.line = info.line || null;
    this.column = info.column || null;
    this.itemType = info.itemType;
    this.itemName = info.itemName;
  }

  toString() {
    const kind = this.kind ? ` [${this.kind}]` : '';
    return located(`${this.severity}: ${this.message}${kind}`, this.file, this.line, this.column);
  }
}

/** Base class of every error libprempti reports. */
class PremptiError extends Error {
  constructor(info) {
    super(located(info.message, info.file, info.line, info.column));
    this.name = new.target.name;
    this.code = STATUS[info.status] || 'PREMPTI_E_UNKNOWN';
    this.status = info.status;
    this.kind = info.kind;
    this.file = info.file || null;
    this.line = info.line || null;
    this.column = info.column || null;
    this.itemType = info.itemType;
    this.itemName = info.itemName;
    this.notes = (info.notes || []).map((n) => new Diagnostic(n));
    this.detail = info.message;
  }
}
class RulesError extends PremptiError {}
class EventError extends PremptiError {}
class FileError extends PremptiError {}
class LimitError extends PremptiError {}
class UnsupportedError extends PremptiError {}
class InvalidArgumentError extends PremptiError {}
class OutOfMemoryError extends PremptiError {}
class InternalError extends PremptiError {}

const ERROR_CLASSES = {
  '-1': OutOfMemoryError, '-2': InvalidArgumentError, '-3': FileError, '-4': RulesError,
  '-5': RulesError, '-6': EventError, '-7': EventError, '-8': LimitError,
  '-9': UnsupportedError, '-10': InternalError,
};

native.setErrorFactory((info) => new (ERROR_CLASSES[info.status] || PremptiError)(info));

function closedError() {
  return new InvalidArgumentError({ status: -2, message: 'the engine is closed', kind: 'CLOSED' });
}

// ---- options ----

function optionText(key, value) {
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint') {
    return String(value);
  }
  if (Array.isArray(value)) return value.map(String).join(',');
  throw new TypeError(`option ${key}: expected a string, number, boolean or array of strings`);
}

function optionPairs(options) {
  const pairs = [];
  for (const k in options || {}) {
    if (options[k] !== undefined) pairs.push([k, optionText(k, options[k])]);
  }
  return pairs;
}

// Event configs are read-only once made and shared by every event with the
// same options. The cache key is built without intermediate objects: events
// are made once per tool call.
const eventConfigs = new Map();

function eventConfig(agent, options) {
  let key = agent === undefined || agent === null ? '' : String(agent);
  if (options) {
    for (const k in options) {
      const v = options[k];
      if (k !== 'agent' && v !== undefined) key += `\u0000${k}\u0000${optionText(k, v)}`;
    }
  }
  let cfg = eventConfigs.get(key);
  if (!cfg) {
    const pairs = [];
    if (options) {
      for (const k in options) {
        if (k !== 'agent' && options[k] !== undefined) pairs.push([k, optionText(k, options[k])]);
      }
    }
    if (agent !== undefined && agent !== null) pairs.push(['agent', String(agent)]);
    cfg = native.configCreate(pairs);
    if (eventConfigs.size >= 64) eventConfigs.clear();
    eventConfigs.set(key, cfg);
  }
  return cfg;
}

// The neutral shape of a tool call (docs/embedding.md), as JSON text.
function neutralPayload(tool) {
  if (!tool || typeof tool !== 'object') throw new TypeError('a tool call must be an object');
  const t = {};
  if (tool.kind != null) t.kind = tool.kind;
  if (tool.name != null) t.name = tool.name;
  if (tool.input != null) t.input = tool.input;
  if (tool.toolUseId != null) t.id = tool.toolUseId;
  if (tool.server != null) t.server = tool.server;
  const payload = { tool: t };
  if (tool.agent != null) payload.agent = tool.agent;
  if (tool.cwd != null) payload.cwd = tool.cwd;
  if (tool.sessionId != null) payload.session_id = tool.sessionId;
  return JSON.stringify(payload);
}

function payloadData(payload) {
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  if (payload !== null && typeof payload === 'object') return JSON.stringify(payload);
  throw new TypeError('payload must be a string, a Buffer or an object');
}

// ---- decisions ----

/** The decisions, as the strings results carry. */
const Decision = Object.freeze({ DEFER: 'defer', ALLOW: 'allow', ASK: 'ask', DENY: 'deny' });
const DECISIONS = ['defer', 'allow', 'ask', 'deny'];

// ---- events ----

const EVENT_TOKEN = Symbol('prempti.Event');

/** One tool call, parsed and normalised. Immutable. */
class Event {
  constructor(token, raw) {
    if (token !== EVENT_TOKEN) throw new TypeError('use Event.fromJSON() or Event.fromTool()');
    this._handle = raw[0];
    /** The agent it came from ("claude_code", ..., or a neutral event's agent name). */
    this.agent = raw[1];
    /** The hook event as the agent spelled it ("" for a neutral event). */
    this.hook = raw[2];
  }

  /**
   * Parses an agent's hook payload, or an event in the neutral shape, given
   * as a string, a Buffer or an object. options.agent names the dialect
   * ('claude_code', 'codex', 'copilot', 'gemini', 'cursor', 'neutral'; absent:
   * detected); the other options are the event options (paths, home,
   * agent_pid, max_event_bytes, max_json_depth).
   */
  static fromJSON(payload, options) {
    const cfg = eventConfig(options ? options.agent : undefined, options);
    return new Event(EVENT_TOKEN, native.eventFromJSON(cfg, payloadData(payload)));
  }

  /**
   * Builds an event for a tool call of your own harness (the neutral shape):
   * { kind, name, input, cwd, agent, sessionId, toolUseId, server }, where
   * kind is 'shell', 'read', 'write', 'edit', 'patch', 'search', 'web',
   * 'mcp', 'agent' or 'other'. options are the event options.
   */
  static fromTool(tool, options) {
    return new Event(EVENT_TOKEN,
      native.eventFromJSON(eventConfig('neutral', options), neutralPayload(tool)));
  }

  /** A field's value as text (e.g. 'tool.input_command'); null when it has none. */
  field(name) {
    return native.eventField(this._handle, name);
  }

  /** Frees the native event now rather than when it is garbage-collected. */
  close() {
    native.eventClose(this._handle);
  }
}

// ---- results ----

const scratch = native.scratch;

function matchesOf(raw) {
  return raw === null ? [] : raw.map((m) => ({
    rule: m[0], output: m[1], tags: m[2], priority: m[3], decision: DECISIONS[m[4]],
  }));
}

/** The outcome of evaluating one event. Independent of its engine. */
class Result {
  constructor(event, reason, matches, decision, wouldBe, deciding, idLow, idHigh) {
    /** 'deny', 'ask', 'allow' or 'defer' (in monitor mode always 'defer'). */
    this.decision = DECISIONS[decision];
    /** The decision the rules reached, before monitor mode. */
    this.wouldBe = DECISIONS[wouldBe];
    /** "<rule>: <output><suffix>" of the deciding rule; "" when none decided. */
    this.reason = reason;
    /** Every matching rule, in evaluation order. */
    this.matches = matches;
    this._deciding = deciding;
    this._idLow = idLow;
    this._idHigh = idHigh;
    this._agent = event.agent;
    this._hook = event.hook;
  }

  /** The event's correlation id (a decimal string, as in the audit records). */
  get correlationId() {
    return ((BigInt(this._idHigh >>> 0) << 32n) | BigInt(this._idLow >>> 0)).toString();
  }

  /** The match whose rule decided, or null. */
  get decidingMatch() {
    return this._deciding >= 0 ? this.matches[this._deciding] : null;
  }

  /**
   * What an agent's hook process must print and how it must exit:
   * { stdout, stderr, exitCode }. agent ('claude_code', 'codex', 'copilot',
   * 'gemini', 'cursor') answers that agent on its pre-tool hook; absent, the
   * event's own agent on its own hook event.
   */
  response(agent) {
    const own = agent === undefined || agent === null || agent === this._agent;
    // The user reads the deciding rule and its output, without the suffix
    // written for the model (as prempti_response_new() does).
    const m = this.decidingMatch;
    const user = m ? (m.output ? `${m.rule}: ${m.output}` : m.rule) : '';
    const r = native.renderResponse(own ? this._agent : String(agent), own ? this._hook : '',
      DECISIONS.indexOf(this.decision), this.reason, user);
    return { stdout: r[0], stderr: r[1], exitCode: r[2] };
  }

  toJSON() {
    return {
      decision: this.decision, wouldBe: this.wouldBe, reason: this.reason,
      matches: this.matches, correlationId: this.correlationId,
    };
  }
}

// ---- engines ----

function pathArgs(paths) {
  return paths.map((p) => {
    if (typeof p === 'string' || Buffer.isBuffer(p)) return p;
    if (p instanceof URL) return require('node:url').fileURLToPath(p);
    throw new TypeError('a path must be a string, a Buffer or a file URL');
  });
}

/**
 * A policy: options, and the rules loaded from its sources. new
 * Engine({ floor: 'allow' }) takes the options of docs/configuration.md.
 * Every change of rules builds a new compiled engine and swaps it in when
 * all of it loaded; evaluations never wait for it.
 */
class Engine {
  constructor(options = {}) {
    this._handle = native.engineCreate(optionPairs(options));
    this._sources = [];
  }

  _live() {
    if (!this._handle) throw closedError();
    return this._handle;
  }

  _change(sources) {
    native.engineBuild(this._live(), sources);
    this._sources = sources;
  }

  /** Adds rules files and directories after the rules already loaded, as one step. */
  loadRules(...paths) {
    if (!paths.length) throw new TypeError('loadRules() needs at least one path');
    this._change([...this._sources, pathArgs(paths)]);
  }

  /** Adds a rules text (YAML string or Buffer); name names it in diagnostics. */
  loadRulesText(text, name) {
    if (typeof text !== 'string' && !Buffer.isBuffer(text)) {
      throw new TypeError('text must be a string or a Buffer');
    }
    this._change([...this._sources, { text, name: name === undefined ? null : String(name) }]);
  }

  /** Builds the rules again from their sources (files read anew), or from these paths only. */
  reload(...paths) {
    this._change(paths.length ? [pathArgs(paths)] : this._sources);
  }

  /** Evaluates an event on the current rules (synchronously). */
  evaluate(event) {
    const handle = this._handle;
    if (!handle) throw closedError();
    if (!(event instanceof Event)) throw new TypeError('evaluate() takes a prempti Event');
    const out = native.engineEvaluate(handle, event._handle);
    const s = scratch;
    if (typeof out === 'string') {
      return new Result(event, out, [], s[0], s[1], s[2], s[3], s[4]);
    }
    return new Result(event, out[0], matchesOf(out[1]), s[0], s[1], s[2], s[3], s[4]);
  }

  /**
   * Builds the event of a payload (as Event.fromJSON), evaluates it and
   * frees it in one call: for loops that make many events, whose native
   * memory would otherwise wait for the garbage collector.
   */
  evaluateJSON(payload, options) {
    const cfg = eventConfig(options ? options.agent : undefined, options);
    return this._oneCall(cfg, payloadData(payload));
  }

  /** evaluateJSON() for a tool call in the neutral shape (as Event.fromTool). */
  evaluateTool(tool, options) {
    return this._oneCall(eventConfig('neutral', options), neutralPayload(tool));
  }

  _oneCall(cfg, data) {
    const out = native.engineEvaluateJSON(this._live(), cfg, data);
    const s = scratch;
    return new Result({ agent: out[2], hook: out[3] }, out[0], matchesOf(out[1]), s[0], s[1],
      s[2], s[3], s[4]);
  }

  /** Evaluates an event on a thread of the libuv pool; resolves to a Result. */
  async evaluateAsync(event) {
    if (!(event instanceof Event)) throw new TypeError('evaluateAsync() takes a prempti Event');
    const r = await native.engineEvaluateAsync(this._live(), event._handle);
    return new Result(event, r[0], matchesOf(r[1]), r[2], r[3], r[4], r[5], r[6]);
  }

  /** Every loaded rule, in evaluation order. */
  get rules() {
    return native.engineRules(this._live()).map((r) => ({
      name: r[0], description: r[1], priority: r[2], tags: r[3], file: r[4], line: r[5],
      column: r[6], active: r[7],
    }));
  }

  /** The warnings of the loads that built the current rules. */
  get warnings() {
    return native.engineWarnings(this._live()).map((w) => new Diagnostic(w));
  }

  get closed() {
    return this._handle === null;
  }

  /** Releases the rules now; evaluateAsync calls already running finish first. */
  close() {
    if (this._handle) native.engineClose(this._handle);
    this._handle = null;
  }
}

// `using engine = new Engine()` where the runtime has explicit resource
// management.
if (typeof Symbol.dispose === 'symbol') {
  for (const cls of [Engine, Event]) {
    cls.prototype[Symbol.dispose] = function dispose() { this.close(); };
  }
}

// ---- the installed library ----

function buildConfig() {
  try {
    return require('./build/Release/config.json');
  } catch (e) {
    return {};
  }
}

/** The directory of the installed default rule pack (pkg-config's rulesdir), or null. */
function defaultRulesDir() {
  const dir = buildConfig().rulesDir;
  return dir ? path.normalize(dir) : null;
}

/** The version of the libprempti library loaded, e.g. '0.1.0'. */
function libraryVersion() {
  return native.libraryVersion();
}

module.exports = {
  Engine, Event, Result, Decision, Diagnostic,
  PremptiError, RulesError, EventError, FileError, LimitError, UnsupportedError,
  InvalidArgumentError, OutOfMemoryError, InternalError,
  defaultRulesDir, libraryVersion,
};
