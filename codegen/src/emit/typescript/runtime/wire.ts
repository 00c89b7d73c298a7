import { ERRORS, WIRE, errorInfo } from "./catalog.js";
import { type JsonObject, MAX_DEPTH, type Schema, checkJson, checkValue, describeValue, hasOwn, isJsonObject, ownField } from "./schema.js";

/**
 * One step of a path into a body: a member name, or the entry of an array whose member `key`
 * equals `equals` (AIP-193's `details` entries, told apart by `@type`).
 */
export type WireStep = string | { readonly key: string; readonly equals: string };

/** A path from the body to a value. */
export type WirePointer = readonly WireStep[];

/** Where a value is: at a path in the body, or in a response header. */
export type WirePlace = { readonly body: WirePointer } | { readonly header: string };

/** The JSON type of a value the format carries. */
export type WireType = "string" | "integer" | "object" | "json";

/** The envelope's status: an HTTP status (RFC 9110). */
const STATUS: Schema = { type: "integer", minimum: 100, maximum: 599 };

const SCHEMA_OF: { readonly [T in Exclude<WireType, "json">]: Schema } = {
  string: { type: "string" },
  integer: { type: "integer" },
  object: { type: "object", properties: [] },
};

/**
 * One member of the format, in the order a body is written. `at` lists the places a value may
 * be read from (the first one present wins); it is written to the first place in the body.
 */
export type WireMember =
  | {
      /**
       * The code. `aws`: `ns#Name` and `Name:url` are read as `Name`. `integer`: a JSON integer,
       * read as its decimal text.
       */
      readonly role: "code";
      readonly at: readonly WirePlace[];
      readonly required: boolean;
      readonly cleanup?: "aws";
      readonly type?: "integer";
    }
  | { readonly role: "message"; readonly at: readonly WirePlace[]; readonly required: boolean }
  | { readonly role: "status"; readonly at: readonly WirePlace[]; readonly required: boolean }
  | {
      /**
       * The details: the object at `at`, or, with `except`, the members of the object at `at`
       * other than those (the envelope's own).
       */
      readonly role: "details";
      readonly at: WirePointer;
      readonly except?: readonly string[];
    }
  | {
      /** Another field of the envelope, kept as `name` in the parsed body. */
      readonly role: "field";
      readonly name: string;
      readonly at: readonly WirePlace[];
      readonly type: WireType;
      readonly required: boolean;
    }
  | {
      /**
       * A value the server writes, not the client: `value` in every body (AIP-193's `domain`),
       * else one fixed per code (`title`, a canonical status, a docs link): `ErrorInfo.wire[key]`.
       */
      readonly role: "constant";
      readonly key: string;
      readonly at: WirePointer;
      readonly value?: string;
    };

/** How the API's errors look on the wire, as data: the catalog's `wire` description. */
export interface WireFormat {
  /** The `Content-Type` of error responses. */
  readonly contentType: string;
  readonly members: readonly WireMember[];
  /**
   * The parsed body's field that carries a retry delay as a protobuf duration (`"30s"`), where
   * the format has one besides `Retry-After` and the details (AIP-193's `RetryInfo`).
   */
  readonly retryDelay?: string;
}

/** Response headers: a fetch `Headers`, or a plain object (names matched case-insensitively). */
export type HeadersLike =
  | { get(name: string): string | null }
  | { readonly [name: string]: string | readonly string[] | undefined };

/**
 * A header's value, its name matched case-insensitively. Of a header sent more than once, the
 * first value, as the other packages read it: a fetch `Headers` joins the values with `", "`, so
 * its value is cut at the first `", "` (neither a code nor a number of seconds has one), unless
 * `whole` (a wire field's value, which may hold `", "` itself, as `X-Forwarded-For` does).
 */
export function headerValue(headers: HeadersLike | undefined, name: string, whole = false): string | undefined {
  if (headers === undefined) return undefined;
  if (typeof headers.get === "function") {
    const joined = (headers as { get(name: string): string | null }).get(name) ?? undefined;
    return whole ? joined : joined?.split(", ")[0];
  }
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower) continue;
    if (typeof value === "string") return value;
    if (Array.isArray(value) && typeof value[0] === "string") return value[0];
  }
  return undefined;
}

/** A path as problems show it: `error.details[@type=...ErrorInfo].reason`. */
export function showPointer(pointer: WirePointer): string {
  let out = "";
  for (const step of pointer) {
    if (typeof step === "string") out += out === "" ? step : `.${step}`;
    else out += `[${step.key}=${step.equals}]`;
  }
  return out === "" ? "body" : out;
}

function showPlace(place: WirePlace): string {
  return "header" in place ? `header ${place.header}` : showPointer(place.body);
}

/** Whether a step is an array index (`0`, `12`). */
function isIndex(step: string): boolean {
  return /^(0|[1-9][0-9]{0,8})$/.test(step);
}

/**
 * The value at `pointer`; a step through something that is neither an object nor (for an
 * index or an entry) an array is a problem.
 */
function valueAt(body: JsonObject, pointer: WirePointer, problems: string[]): unknown {
  let value: unknown = body;
  for (let i = 0; i < pointer.length; i++) {
    const step = pointer[i];
    if (step === undefined) return undefined;
    if (typeof step === "string") {
      if (Array.isArray(value) && isIndex(step)) {
        value = (value as readonly unknown[])[Number(step)];
        if (value === undefined) return undefined;
        continue;
      }
      if (!isJsonObject(value)) {
        problems.push(`${showPointer(pointer.slice(0, i))}: expected an object, found ${describeValue(value)}`);
        return undefined;
      }
      if (!hasOwn(value, step)) return undefined;
      value = value[step];
    } else {
      if (!Array.isArray(value)) {
        problems.push(`${showPointer(pointer.slice(0, i))}: expected an array, found ${describeValue(value)}`);
        return undefined;
      }
      value = (value as readonly unknown[]).find((e) => isJsonObject(e) && ownField(e, step.key) === step.equals);
      if (value === undefined) return undefined;
    }
  }
  return value;
}

/** The first of `places` that holds a value, with where it was found. */
function readPlaces(
  body: JsonObject,
  places: readonly WirePlace[],
  headers: HeadersLike | undefined,
  problems: string[],
  whole = false,
): { readonly value: unknown; readonly where: string } | undefined {
  for (const place of places) {
    const value = "header" in place ? headerValue(headers, place.header, whole) : valueAt(body, place.body, problems);
    if (value !== undefined) return { value, where: showPlace(place) };
  }
  return undefined;
}

/**
 * An AWS error type as its shape name: `aws.ns#Name:http://...` is `Name` (the part after the
 * first `#`, up to the first `:` after it; nothing trimmed).
 */
export function awsShapeName(value: string): string {
  const hash = value.indexOf("#");
  const type = hash < 0 ? value : value.slice(hash + 1);
  const colon = type.indexOf(":");
  return colon < 0 ? type : type.slice(0, colon);
}

/** The code whose wire value (`ErrorInfo.wire.code`, e.g. an RFC 9457 `type` URI) is `value`. */
function codeOfWireValue(value: string): string {
  return WIRE_CODES.get(value) ?? value;
}

const WIRE_CODES: ReadonlyMap<string, string> = new Map(
  Object.values(ERRORS).flatMap((info) => {
    const wire = info.wire?.["code"];
    return typeof wire === "string" && wire !== info.code ? [[wire, info.code] as const] : [];
  }),
);

/** A body read from the wire: the envelope as the package's types name it. */
export interface WireRead {
  /** The envelope (`error`, `message`, `code`, `details` and the other fields), when readable. */
  readonly body: object | undefined;
  /** Every problem, as `path: problem` lines; empty when the body is an error body. */
  readonly problems: readonly string[];
}

/**
 * Reads a parsed JSON body (and the response's headers and status, where the format keeps
 * something there) as `WIRE` describes it, checking every member: the code, the message, the
 * status, the details (against the code's schema when this version knows the code) and the
 * other fields.
 */
export function readWire(value: unknown, headers?: HeadersLike, status?: number): WireRead {
  const problems: string[] = [];
  if (!checkJson(value, problems)) return { body: undefined, problems: [`body: nested deeper than ${MAX_DEPTH} levels`] };
  if (!isJsonObject(value)) {
    return { body: undefined, problems: [...problems, `body: expected an object, found ${describeValue(value)}`] };
  }
  const out: { [key: string]: unknown } = {};
  let error: string | undefined;
  let detailsAt = "details";
  let hasDetails = false;
  for (const member of WIRE.members) {
    switch (member.role) {
      case "code":
      case "message":
      case "status":
      case "field": {
        const name =
          member.role === "code" ? "error" : member.role === "status" ? "code" : member.role === "field" ? member.name : "message";
        const type: WireType =
          member.role === "status" ? "integer" : member.role === "field" || member.role === "code" ? member.type ?? "string" : "string";
        const found = readPlaces(value, member.at, headers, problems, member.role === "field");
        if (found === undefined) {
          if (member.role === "status" && status !== undefined && !member.required) out[name] = status;
          // A body without its optional message reads as an empty message, as it is written.
          else if (member.role === "message" && !member.required) out[name] = "";
          else if (member.required) {
            const shown = member.at.find((p) => "body" in p) ?? member.at[0] ?? { body: [name] };
            problems.push(`${showPlace(shown)}: required field is missing`);
          }
          else if (member.role === "code") {
            problems.push(`error: no code in ${member.at.map(showPlace).join(" or ")}`);
          }
          break;
        }
        let read: unknown = found.value;
        if (type === "integer" && typeof read === "string" && found.where.startsWith("header ") && /^[ \t]*-?[0-9]{1,16}[ \t]*$/.test(read)) {
          read = Number(read.trim());
        }
        const before = problems.length;
        if (type !== "json") checkValue(read, member.role === "status" ? STATUS : SCHEMA_OF[type], found.where, problems);
        if (problems.length > before) break;
        if (member.role === "code" && typeof read === "number") read = String(read);
        if (member.role === "code" && typeof read === "string") {
          error = codeOfWireValue(member.cleanup === "aws" ? awsShapeName(read) : read);
          read = error;
        }
        out[name] = read;
        break;
      }
      case "details": {
        detailsAt = showPointer(member.at);
        const found = member.at.length === 0 ? value : valueAt(value, member.at, problems);
        if (found === undefined) break;
        if (!isJsonObject(found)) {
          problems.push(`${detailsAt}: expected an object, found ${describeValue(found)}`);
          break;
        }
        if (member.except === undefined) {
          hasDetails = true;
          out["details"] = found;
        } else {
          const rest = Object.fromEntries(Object.entries(found).filter(([k]) => !member.except?.includes(k)));
          if (Object.keys(rest).length > 0) {
            hasDetails = true;
            out["details"] = rest;
          }
        }
        break;
      }
      case "constant":
        break;
    }
  }
  // A format without a status in the body: the response's.
  if (out["code"] === undefined && status !== undefined) out["code"] = status;
  const info = error === undefined ? undefined : errorInfo(error);
  if (info !== undefined) {
    const code = out["code"];
    if (typeof code === "number" && code !== info.status) {
      const where = WIRE.members.find((m) => m.role === "status");
      // The status member's first place, as the other packages name it, even when the status
      // came from the response.
      const first = where !== undefined && where.role === "status" ? where.at[0] : undefined;
      const shown = first === undefined ? "code" : showPlace(first);
      problems.push(`${shown}: expected ${info.status} for "${info.code}", found the number ${code}`);
    }
    if (out["code"] === undefined) out["code"] = info.status;
    const details = out["details"];
    if (info.details !== undefined && details !== undefined) {
      checkValue(details, info.details, detailsAt, problems);
    } else if (info.details !== undefined && !hasDetails) {
      const required = info.details.properties.filter((p) => p.required).map((p) => p.name);
      if (required.length > 0) {
        problems.push(`${detailsAt}: required for "${info.code}" (with ${required.join(", ")}), but missing`);
      }
    }
  }
  // A code this version does not know, with no status in the body nor a response's: 0, as the
  // other packages have it (a body's `code` is always a number).
  if (out["code"] === undefined) out["code"] = 0;
  // A path through a value of the wrong type is reported once, however many members pass it.
  return { body: error === undefined ? undefined : out, problems: [...new Set(problems)] };
}


type MutableObject = { [key: string]: unknown };

/** Reads an envelope's own members by name. */
function fieldsOf(envelope: object): (name: string) => unknown {
  const fields = envelope as { readonly [key: string]: unknown };
  return (name) => (hasOwn(fields, name) ? fields[name] : undefined);
}

/**
 * The container at `pointer` in `body`, created where missing: objects, arrays before an index
 * or an entry, and the entry an entry step picks.
 */
function ensureAt(body: MutableObject, pointer: WirePointer): unknown {
  let target: unknown = body;
  for (let i = 0; i < pointer.length; i++) {
    const step = pointer[i];
    if (step === undefined) break;
    if (typeof step !== "string") {
      if (!Array.isArray(target)) return target;
      const list = target as unknown[];
      let entry = list.find((e) => isJsonObject(e) && e[step.key] === step.equals);
      if (entry === undefined) {
        entry = { [step.key]: step.equals };
        list.push(entry);
      }
      target = entry;
      continue;
    }
    const next = pointer[i + 1];
    const wantArray = next !== undefined && (typeof next !== "string" || isIndex(next));
    const fits = (v: unknown): boolean => (wantArray ? Array.isArray(v) : isJsonObject(v));
    if (Array.isArray(target) && isIndex(step)) {
      const list = target as unknown[];
      const index = Number(step);
      while (list.length <= index) list.push(null);
      if (!fits(list[index])) list[index] = wantArray ? [] : {};
      target = list[index];
    } else if (isJsonObject(target)) {
      const object = target as MutableObject;
      if (!fits(object[step])) object[step] = wantArray ? [] : {};
      target = object[step];
    }
  }
  return target;
}

function writeAt(body: MutableObject, pointer: WirePointer, value: unknown): void {
  const last = pointer[pointer.length - 1];
  if (last === undefined || typeof last !== "string") {
    const target = ensureAt(body, pointer);
    if (isJsonObject(value) && isJsonObject(target)) Object.assign(target, value);
    return;
  }
  const parent = ensureAt(body, pointer.slice(0, -1));
  if (Array.isArray(parent) && isIndex(last)) {
    const list = parent as unknown[];
    while (list.length < Number(last)) list.push(null);
    list[Number(last)] = value;
  } else if (isJsonObject(parent)) {
    (parent as MutableObject)[last] = value;
  }
}

/**
 * An envelope's value of `member` as written: an optional message that is empty is left out, as
 * a body without one reads as an empty message.
 */
function written(member: WireMember, value: unknown): unknown {
  if (member.role === "code" && member.type === "integer" && typeof value === "string") {
    return integerText(value) ?? value;
  }
  return member.role === "message" && !member.required && value === "" ? undefined : value;
}

/** The integer whose decimal text `value` is (no leading zero, no `-0`), if a safe one. */
function integerText(value: string): number | undefined {
  const n = Number(value);
  return /^(0|-?[1-9][0-9]*)$/.test(value) && Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The wire body of an envelope (the inverse of `readWire`): each member written to its first
 * place in the body, in `WIRE`'s order, with the code's constants. Members whose only place is a
 * header are left to `wireHeaders`.
 */
export function writeWire(envelope: object): { [key: string]: unknown } {
  const get = fieldsOf(envelope);
  const body: MutableObject = {};
  const error = get("error");
  const info = typeof error === "string" ? errorInfo(error) : undefined;
  for (const member of WIRE.members) {
    switch (member.role) {
      case "constant": {
        const value = member.value ?? info?.wire?.[member.key];
        if (value !== undefined) writeAt(body, member.at, value);
        break;
      }
      case "details": {
        const details = get("details");
        if (details !== undefined) {
          if (member.except === undefined && member.at.length > 0) writeAt(body, member.at, details);
          else if (isJsonObject(details)) {
            const target = ensureAt(body, member.at);
            if (isJsonObject(target)) Object.assign(target, details);
          }
        }
        break;
      }
      default: {
        const name =
          member.role === "code" ? "error" : member.role === "status" ? "code" : member.role === "field" ? member.name : "message";
        let value = written(member, get(name));
        if (member.role === "code" && info !== undefined) value = info.wire?.["code"] ?? value;
        const place = member.at.find((p): p is { readonly body: WirePointer } => "body" in p);
        if (value !== undefined && place !== undefined) writeAt(body, place.body, value);
      }
    }
  }
  return body;
}

/** The headers the format puts an envelope's members in (AWS's `x-amzn-ErrorType`, say). */
export function wireHeaders(envelope: object): { [name: string]: string } {
  const get = fieldsOf(envelope);
  const error = get("error");
  const out: { [name: string]: string } = {};
  for (const member of WIRE.members) {
    if (member.role === "constant" || member.role === "details") continue;
    const name =
      member.role === "code" ? "error" : member.role === "status" ? "code" : member.role === "field" ? member.name : "message";
    // A header carries the code itself, whatever form a body place gives it (a type URI).
    const value = member.role === "code" ? error : written(member, get(name));
    if (typeof value !== "string" && typeof value !== "number") continue;
    for (const place of member.at) {
      if ("header" in place) out[place.header] = String(value);
    }
  }
  return out;
}

/**
 * The retry delay the format carries in a parsed body (`WIRE.retryDelay`), in milliseconds: a
 * protobuf duration (`"30s"`), rounded up to whole seconds (`"1.5s"` waits 2 s); the caller
 * caps it.
 */
export function wireDelayMs(envelope: unknown): number | undefined {
  const field = WIRE.retryDelay;
  if (field === undefined || !isJsonObject(envelope)) return undefined;
  const value = ownField(envelope, field);
  if (typeof value !== "string") return undefined;
  // Seconds that fit in 64 bits, leading zeros aside (more waits the cap all the same).
  const m = /^0*([0-9]{1,20})(?:\.([0-9]{1,9}))?s$/.exec(value);
  const whole = m?.[1];
  if (m === null || whole === undefined || (whole.length === 20 && whole > "18446744073709551615")) return undefined;
  const fraction = /[1-9]/.test(m[2] ?? "") ? 1 : 0;
  return (Number(whole) + fraction) * 1000;
}
