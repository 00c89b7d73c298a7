import { ENVELOPE_REQUIRED, errorInfo, isErrorCode } from "./catalog.js";
import { MAX_DEPTH, type Schema, checkJson, checkValue, describeValue, isJsonObject, ownField } from "./schema.js";
import type { ErrorBody, KnownErrorBody } from "./types.js";

/** The envelope's `code`: an HTTP status (RFC 9110). */
const STATUS: Schema = { type: "integer", minimum: 100, maximum: 599 };

/**
 * Every problem that keeps `value` from being an error body, as `path: problem` lines; empty when
 * it is one. Checks the JSON itself (`checkJson`), the envelope, and for known codes the status and the details schema. Bodies
 * with codes this version does not know pass when their envelope is sound. Fields the catalog
 * does not define are allowed everywhere.
 */
export function checkErrorBody(value: unknown): string[] {
  const problems: string[] = [];
  if (!checkJson(value, problems)) return [`body: nested deeper than ${MAX_DEPTH} levels`];
  if (!isJsonObject(value)) return [...problems, `body: expected an object, found ${describeValue(value)}`];
  for (const name of ENVELOPE_REQUIRED) {
    if (!Object.hasOwn(value, name)) problems.push(`${name}: required field is missing`);
  }
  const error = ownField(value, "error");
  const code = ownField(value, "code");
  const details = ownField(value, "details");
  for (const name of ["error", "message", "request_id", "timestamp"] as const) {
    const field = ownField(value, name);
    if (field !== undefined) checkValue(field, { type: "string" }, name, problems);
  }
  if (code !== undefined) checkValue(code, STATUS, "code", problems);
  if (details !== undefined && !isJsonObject(details)) {
    problems.push(`details: expected an object, found ${describeValue(details)}`);
  }
  const info = typeof error === "string" ? errorInfo(error) : undefined;
  if (info !== undefined) {
    if (typeof code === "number" && code !== info.status) {
      problems.push(`code: expected ${info.status} for "${info.code}", found the number ${code}`);
    }
    if (info.details !== undefined && isJsonObject(details)) {
      checkValue(details, info.details, "details", problems);
    } else if (info.details !== undefined && details === undefined) {
      const required = info.details.properties.filter((p) => p.required).map((p) => p.name);
      if (required.length > 0) {
        problems.push(`details: required for "${info.code}" (with ${required.join(", ")}), but missing`);
      }
    }
  }
  return problems;
}

/** Whether `value` is an error body (known code or not); see `checkErrorBody`. */
export function isErrorBody(value: unknown): value is ErrorBody {
  return checkErrorBody(value).length === 0;
}

/** Whether a valid body's code is one this version knows; narrows to the discriminated union. */
export function isKnownErrorBody(body: ErrorBody): body is KnownErrorBody {
  return isErrorCode(body.error);
}

/** Thrown for a value that is not an error body; `problems` lists every reason. */
export class ErrorBodyParseError extends TypeError {
  override readonly name: string = "ErrorBodyParseError";
  readonly problems: readonly string[];

  constructor(problems: readonly string[], options?: { cause?: unknown }) {
    super(`not a valid error body: ${problems.join("; ")}`, options);
    this.problems = problems;
  }
}

/**
 * `value` (a parsed JSON body) as an error body, or `ErrorBodyParseError` naming every problem.
 * Narrow the result with `isKnownErrorBody`, then on `error`.
 */
export function parseErrorBody(value: unknown): ErrorBody {
  const problems = checkErrorBody(value);
  if (problems.length > 0) throw new ErrorBodyParseError(problems);
  return value as ErrorBody;
}
