const MARKER = Symbol.for("sdfkit.error");

/** Base class of every error sdfkit throws on purpose. Use `SdfkitError.isInstance(e)` across package copies. */
export class SdfkitError extends Error {
  readonly [MARKER] = true;
  /** Stable machine-readable code, e.g. `SDFKIT_INVALID_ARGUMENT`. */
  readonly code: string;
  constructor(message: string, code = "SDFKIT_ERROR", options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SdfkitError";
    this.code = code;
  }
  static isInstance(e: unknown): e is SdfkitError {
    return typeof e === "object" && e !== null && (e as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** A function got an argument it cannot use. The message names function, argument, expectation and value. */
export class InvalidArgumentError extends SdfkitError {
  readonly argument: string;
  readonly functionName: string;
  constructor(functionName: string, argument: string, expected: string, got: unknown, options?: { cause?: unknown }) {
    super(`${functionName}: argument '${argument}' must be ${expected}, got ${describe(got)}`, "SDFKIT_INVALID_ARGUMENT", options);
    this.name = "InvalidArgumentError";
    this.argument = argument;
    this.functionName = functionName;
  }
}

/** A file or text could not be parsed. Carries the file (when known) and the 1-based line (when there is one). */
export class ParseError extends SdfkitError {
  readonly file?: string;
  readonly line?: number;
  readonly format: string;
  constructor(format: string, message: string, where: { file?: string; line?: number } = {}, options?: { cause?: unknown }) {
    const loc = where.file ? `${where.file}${where.line !== undefined ? `:${where.line}` : ""}: ` : where.line !== undefined ? `line ${where.line}: ` : "";
    super(`${format}: ${loc}${message}`, "SDFKIT_PARSE", options);
    this.name = "ParseError";
    this.file = where.file;
    this.line = where.line;
    this.format = format;
  }
}

/** A specification (JSON spec, specs.json, part assembly) has a bad or missing key. */
export class SpecError extends SdfkitError {
  readonly key: string;
  constructor(key: string, message: string, options?: { cause?: unknown }) {
    super(`spec key '${key}': ${message}`, "SDFKIT_SPEC", options);
    this.name = "SpecError";
    this.key = key;
  }
}

/** A mesh is unusable for the operation (empty, non-finite, out-of-range indices, ...). */
export class MeshError extends SdfkitError {
  constructor(functionName: string, message: string, options?: { cause?: unknown }) {
    super(`${functionName}: ${message}`, "SDFKIT_MESH", options);
    this.name = "MeshError";
  }
}

/** Something the environment lacks (an optional dependency, a backend) is needed. */
export class UnsupportedError extends SdfkitError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, "SDFKIT_UNSUPPORTED", options);
    this.name = "UnsupportedError";
  }
}

/** Short printable description of a value for error messages. */
export const describe = (v: unknown): string => {
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : String(v);
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? v.slice(0, 57) + "..." : v);
  if (typeof v === "boolean" || typeof v === "bigint") return String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(length ${(v as unknown as ArrayLike<number>).length})`;
  if (Array.isArray(v)) return `array(length ${v.length})`;
  if (typeof v === "function") return "a function";
  return `an object (${Object.prototype.toString.call(v).slice(8, -1)})`;
};
