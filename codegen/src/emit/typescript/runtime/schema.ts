/** The shape of a value, as data: the JSON-Schema subset the catalog uses for `details`. */
export type Schema = (
  | {
      readonly type: "string";
      readonly enum?: readonly string[];
      readonly const?: string;
      /** ECMA-262 syntax, searched unanchored with the `u` flag, as JSON Schema says. */
      readonly pattern?: string;
      /** Lengths in Unicode code points, as every target counts them. */
      readonly minLength?: number;
      readonly maxLength?: number;
    }
  | { readonly type: "integer"; readonly minimum?: number; readonly maximum?: number }
  | { readonly type: "number"; readonly minimum?: number; readonly maximum?: number }
  | { readonly type: "boolean" }
  | {
      readonly type: "array";
      readonly items: Schema;
      readonly minItems?: number;
      readonly maxItems?: number;
    }
  | { readonly type: "map"; readonly values: Schema }
  | ObjectSchema
) & { readonly nullable?: boolean };

/** An object's properties, in declared order. Properties it does not list are allowed. */
export interface ObjectSchema {
  readonly type: "object";
  readonly properties: readonly PropertySchema[];
  readonly nullable?: boolean;
}

/** Compiled `pattern`s, each compiled once. */
const patterns = new Map<string, RegExp>();

function matches(pattern: string, value: string): boolean {
  let compiled = patterns.get(pattern);
  if (compiled === undefined) {
    compiled = new RegExp(pattern, "u");
    patterns.set(pattern, compiled);
  }
  return compiled.test(value);
}

/** The length of a string in Unicode code points (not UTF-16 units, which `.length` counts). */
function codePoints(value: string): number {
  let n = 0;
  for (const _ of value) n += 1;
  return n;
}

export interface PropertySchema {
  readonly name: string;
  readonly required: boolean;
  readonly schema: Schema;
}

/**
 * How deeply arrays and objects may nest in a body, the body itself counting as level 1: the
 * limit every generated package shares (the generator's `conformance::MAX_DEPTH`).
 */
export const MAX_DEPTH = 100;

/** A lone UTF-16 surrogate (in `u` mode, a pair is one code point and does not match). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * Checks what `JSON.parse` lets through but I-JSON (RFC 7493) and the other packages' parsers
 * reject, appending a `body: not JSON` problem for each: lone surrogates in strings and keys,
 * and numbers beyond a double (which `JSON.parse` reads as `Infinity`). Returns false, and stops,
 * when arrays and objects nest deeper than `MAX_DEPTH`.
 */
export function checkJson(value: unknown, problems: string[]): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [item, depth] = next;
    if (typeof item === "string") {
      if (LONE_SURROGATE.test(item)) problems.push("body: not JSON: a string holds a lone surrogate");
    } else if (typeof item === "number") {
      if (!Number.isFinite(item)) problems.push("body: not JSON: a number is beyond the range of a double");
    } else if (typeof item === "object" && item !== null) {
      if (depth > MAX_DEPTH) return false;
      if (Array.isArray(item)) {
        for (const child of item as unknown[]) stack.push([child, depth + 1]);
      } else {
        for (const [key, child] of Object.entries(item)) {
          if (LONE_SURROGATE.test(key)) problems.push("body: not JSON: a key holds a lone surrogate");
          stack.push([child, depth + 1]);
        }
      }
    }
  }
  return true;
}

/**
 * What `JSON.parse` reads in `text` but I-JSON (RFC 7493) and the other packages' parsers reject,
 * wherever it is, even in a value that a later duplicate key hides from `checkJson`: a number
 * beyond a double, a lone surrogate (escaped or not), nesting deeper than `MAX_DEPTH`. The
 * problem, or `undefined`; for text that `JSON.parse` has read.
 */
export function checkJsonText(text: string): string | undefined {
  const lone = "body: not JSON: a string holds a lone surrogate";
  if (LONE_SURROGATE.test(text)) return lone;
  let depth = 0;
  const unit = (at: number): number => (text.charCodeAt(at) === 0x75 ? parseInt(text.slice(at + 1, at + 5), 16) : NaN);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string: its escapes, up to the closing quote.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) {
        if (text.charCodeAt(i) !== 0x5c) continue;
        const u = unit(i + 1);
        if (u >= 0xdc00 && u <= 0xdfff) return lone;
        if (u >= 0xd800 && u <= 0xdbff) {
          const low = text.charCodeAt(i + 6) === 0x5c ? unit(i + 7) : NaN;
          if (!(low >= 0xdc00 && low <= 0xdfff)) return lone;
          i += 11;
        } else {
          i += Number.isNaN(u) ? 1 : 5;
        }
      }
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > MAX_DEPTH) return `body: nested deeper than ${MAX_DEPTH} levels`;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && /[0-9eE+.-]/.test(text.charAt(end))) end++;
      if (!Number.isFinite(Number(text.slice(i, end)))) {
        return "body: not JSON: a number is beyond the range of a double";
      }
      i = end - 1;
    }
  }
  return undefined;
}

/** A JSON object: not `null`, not an array. */
export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Whether `object` has its own property `name`: `Object.hasOwn`, which a `lib` before ES2022
 * does not declare (a project compiling these sources may use one).
 */
export function hasOwn(object: object, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, name);
}

/** An own property of a JSON object (never one inherited from `Object.prototype`). */
export function ownField(object: JsonObject, name: string): unknown {
  return hasOwn(object, name) ? object[name] : undefined;
}

/** A short description of a value for error messages: `the string "60"`, `null`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string": {
      // 40 code points, as the other packages count: a UTF-16 cut could split a surrogate pair.
      const chars = value.length > 40 ? Array.from(value.slice(0, 80)) : [];
      const shown = chars.length > 40 ? `${chars.slice(0, 40).join("")}...` : value;
      return `the string ${JSON.stringify(shown)}`;
    }
    case "number":
    case "boolean":
      return `the ${typeof value} ${String(value)}`;
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}

/**
 * Checks `value` against `schema`, appending one problem per mismatch to `problems`, each
 * starting with the value's path (`details.retry_after: expected an integer, found the string "60"`).
 */
export function checkValue(value: unknown, schema: Schema, path: string, problems: string[]): void {
  const mismatch = (expected: string): void => {
    problems.push(`${path}: expected ${expected}, found ${describeValue(value)}`);
  };
  if (value === null && schema.nullable === true) return;
  switch (schema.type) {
    case "string": {
      // A value outside `enum` is kept, not rejected: a newer server may send values this
      // version does not know (the Rust crate keeps them as `Other`).
      if (typeof value !== "string") return mismatch("a string");
      if (schema.const !== undefined && value !== schema.const) {
        problems.push(`${path}: expected ${JSON.stringify(schema.const)}, found ${describeValue(value)}`);
      }
      if (schema.pattern !== undefined && !matches(schema.pattern, value)) {
        problems.push(`${path}: ${describeValue(value)} does not match the pattern`);
      }
      if (schema.minLength !== undefined || schema.maxLength !== undefined) {
        const length = codePoints(value);
        if (schema.minLength !== undefined && length < schema.minLength) {
          problems.push(`${path}: ${length} characters, fewer than the minimum ${schema.minLength}`);
        }
        if (schema.maxLength !== undefined && length > schema.maxLength) {
          problems.push(`${path}: ${length} characters, more than the maximum ${schema.maxLength}`);
        }
      }
      return;
    }
    case "integer":
      if (typeof value !== "number" || !Number.isSafeInteger(value)) return mismatch("an integer");
      if (schema.minimum !== undefined && value < schema.minimum) {
        problems.push(`${path}: ${value} is less than the minimum ${schema.minimum}`);
      }
      if (schema.maximum !== undefined && value > schema.maximum) {
        problems.push(`${path}: ${value} is greater than the maximum ${schema.maximum}`);
      }
      return;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) return mismatch("a number");
      if (schema.minimum !== undefined && value < schema.minimum) {
        problems.push(`${path}: ${value} is less than the minimum ${schema.minimum}`);
      }
      if (schema.maximum !== undefined && value > schema.maximum) {
        problems.push(`${path}: ${value} is greater than the maximum ${schema.maximum}`);
      }
      return;
    case "boolean":
      if (typeof value !== "boolean") mismatch("a boolean");
      return;
    case "array":
      if (!Array.isArray(value)) return mismatch("an array");
      value.forEach((item: unknown, i) => checkValue(item, schema.items, `${path}[${i}]`, problems));
      if (schema.minItems !== undefined && value.length < schema.minItems) {
        problems.push(`${path}: ${value.length} items, fewer than the minimum ${schema.minItems}`);
      }
      if (schema.maxItems !== undefined && value.length > schema.maxItems) {
        problems.push(`${path}: ${value.length} items, more than the maximum ${schema.maxItems}`);
      }
      return;
    case "map":
      if (!isJsonObject(value)) return mismatch("an object");
      for (const [key, item] of Object.entries(value)) {
        checkValue(item, schema.values, `${path}.${key}`, problems);
      }
      return;
    case "object":
      if (!isJsonObject(value)) return mismatch("an object");
      for (const p of schema.properties) {
        if (hasOwn(value, p.name)) {
          checkValue(value[p.name], p.schema, `${path}.${p.name}`, problems);
        } else if (p.required) {
          problems.push(`${path}.${p.name}: required field is missing`);
        }
      }
      return;
  }
}
