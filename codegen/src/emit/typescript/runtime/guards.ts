import { isErrorCode } from "./catalog.js";
import type { ErrorBody, KnownErrorBody, WireBody } from "./types.js";
import { type HeadersLike, readWire } from "./wire.js";

/**
 * Every problem that keeps `value` from being an error body, as `path: problem` lines; empty when
 * it is one. Checks the envelope as the API's wire format lays it out (`WIRE`; `headers` and
 * `status` are the response's, where the format keeps something there), and for known codes the
 * status and the details schema. Bodies with codes this version does not know pass when their
 * envelope is sound. Fields the catalog does not define are allowed everywhere.
 */
export function checkErrorBody(value: unknown, headers?: HeadersLike, status?: number): string[] {
  return [...readWire(value, headers, status).problems];
}

/** Whether `value` is an error body (known code or not); see `checkErrorBody`. */
export function isErrorBody(value: unknown, headers?: HeadersLike, status?: number): value is WireBody {
  return readWire(value, headers, status).problems.length === 0;
}

/** Whether a valid body's code is one this version knows; narrows to the discriminated union. */
export function isKnownErrorBody(body: ErrorBody): body is KnownErrorBody {
  return isErrorCode(body.error);
}

/**
 * Thrown for a value that is not an error body; `problems` lists every reason. From a response
 * (`fromResponse`, or `fromJSON` given a status), it keeps the response's status and
 * `Retry-After` (whole seconds), by which `withRetry` retries it: a proxy's 503 page is
 * retried as a 503 error body of a code this version does not know would be.
 */
export class ErrorBodyParseError extends TypeError {
  override readonly name: string = "ErrorBodyParseError";
  readonly problems: readonly string[];
  /** The response's HTTP status, when the body came from a response. */
  readonly status: number | undefined;
  /** The response's `Retry-After` in whole seconds, when it had one. */
  readonly retryAfter: number | undefined;

  constructor(
    problems: readonly string[],
    options?: { readonly cause?: unknown; readonly status?: number | undefined; readonly retryAfter?: number | undefined },
  ) {
    super(`not a valid error body: ${problems.join("; ")}`);
    // What `super(message, { cause })` does, which a `lib` before ES2022 does not declare.
    if (options?.cause !== undefined) Object.defineProperty(this, "cause", { value: options.cause, writable: true, configurable: true });
    this.problems = problems;
    this.status = options?.status;
    this.retryAfter = options?.retryAfter;
  }
}

/**
 * `value` (a parsed JSON body; with the response's `headers` and `status` where the format keeps
 * something there) as an error body, or `ErrorBodyParseError` naming every problem. Narrow the
 * result with `isKnownErrorBody`, then on `error`.
 */
export function parseErrorBody(value: unknown, headers?: HeadersLike, status?: number): ErrorBody {
  const read = readWire(value, headers, status);
  if (read.problems.length > 0 || read.body === undefined) {
    throw new ErrorBodyParseError(read.problems.length > 0 ? read.problems : ["body: not an error body"]);
  }
  // `readWire` checked every member against the catalog.
  return read.body as ErrorBody;
}
