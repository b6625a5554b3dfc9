// Types of the prempti Node binding (index.js).

/** What to do with a tool call; 'deny' > 'ask' > 'allow' > 'defer'. */
export type DecisionName = 'defer' | 'allow' | 'ask' | 'deny';

export declare const Decision: Readonly<{
  DEFER: 'defer';
  ALLOW: 'allow';
  ASK: 'ask';
  DENY: 'deny';
}>;

/** Falco's priority names. */
export type PriorityName =
  | 'Emergency' | 'Alert' | 'Critical' | 'Error' | 'Warning' | 'Notice' | 'Informational'
  | 'Debug';

/** The agents libprempti can read payloads of and answer. */
export type AgentName = 'claude_code' | 'codex' | 'copilot' | 'gemini' | 'cursor';

/** The tool kinds of the neutral event shape. */
export type ToolKind =
  | 'shell' | 'read' | 'write' | 'edit' | 'patch' | 'search' | 'web' | 'mcp' | 'agent' | 'other';

/** Option values: lists are joined with commas. */
export type OptionValue = string | number | bigint | boolean | readonly string[];

/** Engine options, by key (docs/configuration.md). */
export interface EngineOptions {
  floor?: 'defer' | 'allow';
  mode?: 'guardrails' | 'monitor';
  deny_tags?: OptionValue;
  ask_tags?: OptionValue;
  allow_tags?: OptionValue;
  min_priority?: string;
  reason_suffix?: string;
  enable_rules?: OptionValue;
  disable_rules?: OptionValue;
  enable_tags?: OptionValue;
  disable_tags?: OptionValue;
  max_rules_bytes?: number;
  max_yaml_depth?: number;
  max_items?: number;
  max_condition_depth?: number;
  [key: string]: OptionValue | undefined;
}

/** Event options (docs/configuration.md). */
export interface EventOptions {
  paths?: 'filesystem' | 'lexical';
  home?: string;
  agent_pid?: number;
  max_event_bytes?: number;
  max_json_depth?: number;
  [key: string]: OptionValue | undefined;
}

/** A tool call of your own harness, in the neutral shape (docs/embedding.md). */
export interface ToolCall {
  /** The tool's kind; optional when name is a tool libprempti knows. */
  kind?: ToolKind;
  /** The tool's name (default: the kind). */
  name?: string;
  /** Its arguments: the kind's members are read (shell: command, cwd; read,
   * write, edit: file_path or path; web: url, query; ...). */
  input?: Record<string, unknown>;
  /** The working directory the call runs in. */
  cwd?: string;
  /** Your agent's name (agent.name; default 'custom'). */
  agent?: string;
  sessionId?: string;
  toolUseId?: string;
  /** The MCP server of an 'mcp' tool. */
  server?: string;
}

export declare class Event {
  private constructor();
  /**
   * Parses an agent's hook payload, or an event in the neutral shape.
   * options.agent names the dialect (absent: detected from the payload).
   */
  static fromJSON(payload: string | Buffer | Uint8Array | object,
    options?: EventOptions & { agent?: AgentName | 'neutral' }): Event;
  /** Builds an event for a tool call of your own harness. */
  static fromTool(tool: ToolCall, options?: EventOptions): Event;
  /** The agent it came from (or the neutral event's agent name). */
  readonly agent: string;
  /** The hook event as the agent spelled it ('' for a neutral event). */
  readonly hook: string;
  /** A field's value as text (e.g. 'tool.input_command'); null when it has none. */
  field(name: string): string | null;
  /** Frees the native event now rather than when it is garbage-collected. */
  close(): void;
}

export interface Match {
  rule: string;
  output: string;
  tags: string[];
  priority: PriorityName;
  /** The decision the rule's tags ask for. */
  decision: DecisionName;
}

/** What an agent's hook process prints and how it exits. */
export interface AgentResponse {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export declare class Result {
  private constructor();
  /** What to do (in monitor mode always 'defer'). */
  readonly decision: DecisionName;
  /** The decision the rules reached, before monitor mode. */
  readonly wouldBe: DecisionName;
  /** "<rule>: <output><suffix>" of the deciding rule; '' when no rule decided. */
  readonly reason: string;
  /** Every matching rule, in evaluation order. */
  readonly matches: Match[];
  /** The event's correlation id, a decimal string. */
  readonly correlationId: string;
  /** The match whose rule decided, or null. */
  readonly decidingMatch: Match | null;
  /** The answer for an agent (default: the event's own agent and hook event). */
  response(agent?: AgentName): AgentResponse;
  toJSON(): object;
}

export interface Rule {
  name: string;
  description: string;
  priority: PriorityName;
  tags: string[];
  /** Where it was defined: file (or text name), 1-based line and column. */
  file: string;
  line: number;
  column: number;
  /** Whether it takes part in evaluation. */
  active: boolean;
}

export declare class Diagnostic {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly kind: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly itemType: string;
  readonly itemName: string;
  toString(): string;
}

export declare class Engine {
  /** Options by key; a bad option throws InvalidArgumentError, an unknown one UnsupportedError. */
  constructor(options?: EngineOptions);
  /** Adds rules files and directories after the rules already loaded, as one step. */
  loadRules(...paths: Array<string | Buffer | URL>): void;
  /** Adds a rules text after the rules already loaded. */
  loadRulesText(text: string | Buffer, name?: string): void;
  /** Builds the rules again from their sources (files read anew), or from these paths. */
  reload(...paths: Array<string | Buffer | URL>): void;
  /** Evaluates an event synchronously. */
  evaluate(event: Event): Result;
  /** Builds the event of a payload, evaluates it and frees it in one call. */
  evaluateJSON(payload: string | Buffer | Uint8Array | object,
    options?: EventOptions & { agent?: AgentName | 'neutral' }): Result;
  /** evaluateJSON() for a tool call in the neutral shape. */
  evaluateTool(tool: ToolCall, options?: EventOptions): Result;
  /** Evaluates an event on a thread of the libuv pool. */
  evaluateAsync(event: Event): Promise<Result>;
  readonly rules: Rule[];
  readonly warnings: Diagnostic[];
  readonly closed: boolean;
  /** Releases the rules; evaluateAsync calls already running finish first. */
  close(): void;
}

/** Base class of every error libprempti reports. */
export declare class PremptiError extends Error {
  /** The status name, e.g. 'PREMPTI_E_RULE'. */
  readonly code: string;
  /** The status, a negative number (PREMPTI_E_*). */
  readonly status: number;
  /** What kind of problem, e.g. 'LOAD_ERR_COMPILE_CONDITION', 'EVENT_INVALID_JSON'. */
  readonly kind: string;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly itemType: string;
  readonly itemName: string;
  /** Warnings produced before the failure. */
  readonly notes: Diagnostic[];
  /** The message without the position. */
  readonly detail: string;
}
export declare class RulesError extends PremptiError {}
export declare class EventError extends PremptiError {}
export declare class FileError extends PremptiError {}
export declare class LimitError extends PremptiError {}
export declare class UnsupportedError extends PremptiError {}
export declare class InvalidArgumentError extends PremptiError {}
export declare class OutOfMemoryError extends PremptiError {}
export declare class InternalError extends PremptiError {}

/** The directory of the installed default rule pack, or null. */
export declare function defaultRulesDir(): string | null;
/** The version of the libprempti library loaded. */
export declare function libraryVersion(): string;
