import {
  type ErrorCode,
  type ErrorInfo,
  type RetiredCode,
  errorInfo,
  isErrorCode,
  retiredCode,
} from "./catalog.js";
import { ErrorBodyParseError, parseErrorBody } from "./guards.js";
import type { ErrorBody, ErrorBodyOf, KnownErrorBody } from "./types.js";

/** What `__ERROR_TYPE__.fromResponse` needs of a response; a fetch `Response` has it. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}

/** Where an error came from besides its body. */
export interface ErrorInit {
  /** The `Retry-After` header: whole seconds (an HTTP-date counts as absent). */
  readonly retryAfter?: string | number | null | undefined;
  /** The HTTP status of the response. */
  readonly status?: number | undefined;
  readonly cause?: unknown;
}

/**
 * A `Retry-After` value in whole seconds, or `undefined` when it is absent or not a number of
 * seconds: ASCII digits with spaces or tabs around them count (too many for a safe integer read
 * as `Number.MAX_SAFE_INTEGER`); an HTTP-date, `+7`, `-1` or `1.5` counts as absent.
 */
export function parseRetryAfter(value: string | number | null | undefined): number | undefined {
  if (typeof value === "number") return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const digits = /^[ \t]*([0-9]+)[ \t]*$/.exec(value)?.[1];
  if (digits === undefined) return undefined;
  return digits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(digits);
}

/**
 * An error response (or webhook error payload) as an exception. `B` is its body type: narrow
 * with `is(code)` to get typed `details`.
 */
export class __ERROR_TYPE__<B extends ErrorBody = ErrorBody> extends Error {
  override readonly name: string = "__ERROR_TYPE__";
  /** The parsed body, as received. */
  readonly body: B;
  /** Machine-readable error code. */
  readonly error: B["error"];
  /** The HTTP status code the body carries. */
  readonly code: B["code"];
  readonly details: B["details"];
  readonly requestId: string | undefined;
  readonly timestamp: string | undefined;
  /** Seconds from the response's `Retry-After` header, when it had a number of seconds. */
  readonly retryAfter: number | undefined;
  /** The HTTP status of the response this was built from, if any. */
  readonly status: number | undefined;

  constructor(body: B, options: ErrorInit = {}) {
    super(body.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.body = body;
    this.error = body.error;
    this.code = body.code;
    // An optional property read through a type parameter: TypeScript cannot relate the two.
    this.details = body.details as B["details"];
    this.requestId = body.request_id;
    this.timestamp = body.timestamp;
    this.retryAfter = parseRetryAfter(options.retryAfter);
    this.status = options.status;
  }

  /** Parses a JSON value into the error; throws `ErrorBodyParseError` if it is not an error body. */
  static fromJSON(value: unknown, options: ErrorInit = {}): __ERROR_TYPE__ {
    return new __ERROR_TYPE__(parseErrorBody(value), options);
  }

  /**
   * The error a response carries (its JSON body and `Retry-After` header). Rejects with
   * `ErrorBodyParseError` when the body is not JSON or not an error body.
   */
  static async fromResponse(response: ResponseLike): Promise<__ERROR_TYPE__> {
    let json: unknown;
    try {
      json = await response.json();
    } catch (cause) {
      throw new ErrorBodyParseError([`body: not JSON (HTTP ${response.status})`], { cause });
    }
    return __ERROR_TYPE__.fromJSON(json, {
      retryAfter: response.headers.get("Retry-After"),
      status: response.status,
    });
  }

  /** Whether this is the error `code`; narrows `details`. */
  is<C extends ErrorCode>(code: C): this is __ERROR_TYPE__<ErrorBodyOf<C>> {
    return this.error === code;
  }

  /** Whether this version knows the code; narrows `body` to the discriminated union. */
  isKnown(): this is __ERROR_TYPE__<KnownErrorBody> {
    return isErrorCode(this.error);
  }

  /** The catalog entry of the code, when this version knows it. */
  get info(): ErrorInfo | undefined {
    return errorInfo(this.error);
  }

  /** The retirement of the code, when an older server sent a code this catalog retired. */
  get retired(): RetiredCode | undefined {
    return retiredCode(this.error);
  }

  /** The docs page section of the code, when this version knows it (retired codes included). */
  get docsUrl(): string | undefined {
    return this.info?.docsUrl ?? this.retired?.docsUrl;
  }

  /**
   * `"code: message (request_id: ...)"`, as the Rust crate's `Display`: log it whole, since
   * the `request_id` is what support asks for.
   */
  override toString(): string {
    const id = this.requestId === undefined ? "" : ` (request_id: ${this.requestId})`;
    return `${this.name}: ${String(this.error)}: ${this.message}${id}`;
  }

  toJSON(): B {
    return this.body;
  }
}
