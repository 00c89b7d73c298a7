import {
  type ErrorCode,
  type ErrorInfo,
  type RetiredCode,
  errorInfo,
  isErrorCode,
  retiredCode,
} from "./catalog.js";
import { ErrorBodyParseError, parseErrorBody } from "./guards.js";
import { checkJsonText, hasOwn } from "./schema.js";
import type { ErrorBody, ErrorBodyOf, KnownErrorBody, ResponseHeadersOf, WireBody } from "./types.js";
import { type HeadersLike, headerValue, wireHeaders, writeWire } from "./wire.js";

/**
 * What the error class needs of a body; every `ErrorBody` has it. The bound of its body type: a
 * bound this simple keeps tsc's checks of `is` and `isKnown` linear in the number of codes
 * (relating a body to the whole `ErrorBody` union is not).
 */
export interface ErrorBodyShape {
  readonly error: string;
  readonly message: string;
  readonly code: number;
  readonly details?: unknown;
}

/** What `__ERROR_TYPE__.fromResponse` needs of a response; a fetch `Response` has it. */
export interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  /** Read instead of `json()` where present, so that `checkJsonText` sees the text. */
  text?(): Promise<string>;
  /**
   * Read instead of both where present (a fetch `Response`): they drop a byte-order mark, so a
   * body that starts with two would read as one with one, which is JSON.
   */
  arrayBuffer?(): Promise<ArrayBuffer>;
}

// The WHATWG decoder every runtime with fetch has (no ES `lib` declares it). With `ignoreBOM`,
// a byte-order mark stays in the text, for `#parse` to drop one, as for any other text.
declare const TextDecoder: new (label: "utf-8", options: { ignoreBOM: boolean }) => {
  decode(input: ArrayBuffer): string;
};

/** Where an error came from besides its body. */
export interface ErrorInit {
  /** The `Retry-After` header: whole seconds (an HTTP-date counts as absent). */
  readonly retryAfter?: string | number | null | undefined;
  /** The HTTP status of the response. */
  readonly status?: number | undefined;
  /** The response's headers, where the wire format keeps the code or other fields. */
  readonly headers?: HeadersLike | undefined;
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
  const digits = /^[ \t]*0*([0-9]+)[ \t]*$/.exec(value)?.[1];
  if (digits === undefined) return undefined;
  // Leading zeros dropped above: `0000000000000005` is five seconds.
  return digits.length > 15 ? Number.MAX_SAFE_INTEGER : Number(digits);
}

/** The string field `name` of a parsed body (the wire's fields keep their names there), if any. */
function stringField(body: object, name: string): string | undefined {
  const value: unknown = hasOwn(body, name) ? (body as { readonly [key: string]: unknown })[name] : undefined;
  return typeof value === "string" ? value : undefined;
}

/**
 * An error response (or webhook error payload) as an exception. `B` is its body type: narrow
 * with `is(code)` to get typed `details`.
 */
export class __ERROR_TYPE__<B extends ErrorBodyShape = ErrorBody> extends Error {
  override readonly name: string = "__ERROR_TYPE__";
  /** The parsed body, as received. */
  readonly body: B;
  /** Machine-readable error code. */
  readonly error: B["error"];
  /** The HTTP status code the body carries. */
  readonly code: B["code"];
  readonly details: B["details"];
  /** The body's `request_id` field, when it has a string one (what support asks for). */
  readonly requestId: string | undefined;
  /** The body's `timestamp` field, when it has a string one. */
  readonly timestamp: string | undefined;
  /** Seconds from the response's `Retry-After` header, when it had a number of seconds. */
  readonly retryAfter: number | undefined;
  /** The HTTP status of the response this was built from, if any. */
  readonly status: number | undefined;
  /** The wire body as received, when this error was parsed from one. */
  #received: WireBody | undefined = undefined;

  /** The error an envelope describes (`body` as `parseErrorBody` returns it). */
  constructor(body: B, options: ErrorInit = {}) {
    super(body.message);
    // What `super(message, { cause })` does, which a `lib` before ES2022 does not declare.
    if (options.cause !== undefined) Object.defineProperty(this, "cause", { value: options.cause, writable: true, configurable: true });
    this.body = body;
    this.error = body.error;
    this.code = body.code;
    // An optional property read through a type parameter: TypeScript cannot relate the two.
    this.details = body.details as B["details"];
    this.requestId = stringField(body, "request_id");
    this.timestamp = stringField(body, "timestamp");
    this.retryAfter = parseRetryAfter(options.retryAfter);
    this.status = options.status;
  }

  /**
   * Parses a JSON value (the wire body) into the error; throws `ErrorBodyParseError` if it is
   * not an error body. `options.headers` and `options.status` are read where the wire format
   * keeps something there (a header-borne code).
   */
  static fromJSON(value: unknown, options: ErrorInit = {}): __ERROR_TYPE__ {
    let body: ErrorBody;
    try {
      body = parseErrorBody(value, options.headers, options.status);
    } catch (cause) {
      if (!(cause instanceof ErrorBodyParseError) || options.status === undefined) throw cause;
      // The response's status and `Retry-After` go with the problems, for `withRetry`.
      throw new ErrorBodyParseError(cause.problems, { status: options.status, retryAfter: parseRetryAfter(options.retryAfter) });
    }
    const error = new __ERROR_TYPE__(body, options);
    // `parseErrorBody` accepted it, so `toJSON` gives back exactly what was received.
    error.#received = value as WireBody;
    return error;
  }

  /**
   * The error a response carries: from a fetch `Response` (its JSON body, headers and status;
   * the promise rejects with `ErrorBodyParseError` when the body is not JSON or not an error
   * body), or from any client's `status`, `headers` and body (JSON text or an already-parsed
   * value).
   */
  static fromResponse(response: ResponseLike): Promise<__ERROR_TYPE__>;
  static fromResponse(status: number, headers: HeadersLike, body: unknown): __ERROR_TYPE__;
  static fromResponse(
    response: ResponseLike | number,
    headers?: HeadersLike,
    body?: unknown,
  ): Promise<__ERROR_TYPE__> | __ERROR_TYPE__ {
    if (typeof response === "number") {
      let json: unknown = body;
      if (typeof body === "string") {
        json = __ERROR_TYPE__.#parse(body, response, headers);
      }
      return __ERROR_TYPE__.fromJSON(json, {
        retryAfter: headerValue(headers, "Retry-After"),
        status: response,
        headers,
      });
    }
    return __ERROR_TYPE__.#fromFetch(response);
  }

  static async #fromFetch(response: ResponseLike): Promise<__ERROR_TYPE__> {
    let json: unknown;
    if (response.arrayBuffer !== undefined) {
      const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await response.arrayBuffer());
      json = __ERROR_TYPE__.#parse(text, response.status, response.headers);
    } else if (response.text !== undefined) {
      json = __ERROR_TYPE__.#parse(await response.text(), response.status, response.headers);
    } else {
      try {
        json = await response.json();
      } catch (cause) {
        const retryAfter = parseRetryAfter(headerValue(response.headers, "Retry-After"));
        throw new ErrorBodyParseError([`body: not JSON (HTTP ${response.status})`], { cause, status: response.status, retryAfter });
      }
    }
    return __ERROR_TYPE__.fromJSON(json, {
      retryAfter: headerValue(response.headers, "Retry-After"),
      status: response.status,
      headers: response.headers,
    });
  }

  /**
   * JSON text as a value, or `ErrorBodyParseError` (with the response's status and `Retry-After`).
   * One byte-order mark before the JSON is ignored, as by `Response.json()`; a second is not JSON.
   */
  static #parse(body: string, status: number, headers: HeadersLike | undefined): unknown {
    const text = body.startsWith("\uFEFF") ? body.slice(1) : body;
    let problem: string | undefined;
    let json: unknown;
    let cause: unknown;
    try {
      json = JSON.parse(text);
      const hidden = checkJsonText(text);
      problem = hidden === undefined ? undefined : `${hidden} (HTTP ${status})`;
    } catch (e) {
      cause = e;
      problem = `body: not JSON (HTTP ${status})`;
    }
    if (problem !== undefined) {
      const retryAfter = parseRetryAfter(headerValue(headers, "Retry-After"));
      throw new ErrorBodyParseError([problem], { cause, status, retryAfter });
    }
    return json;
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
   * `"code: message (request_id: ...)"`, as the Rust crate's `Display` (`code` alone when the
   * message is empty): log it whole, since the `request_id` is what support asks for.
   */
  override toString(): string {
    const id = this.requestId === undefined ? "" : ` (request_id: ${this.requestId})`;
    const message = this.message === "" ? "" : `: ${this.message}`;
    return `${this.name}: ${String(this.error)}${message}${id}`;
  }

  /** The wire body: as received, or as the API's wire format lays out `body`. */
  toJSON(): WireBody {
    // An `if`, not `??`: at 10,000 codes tsc cannot represent the union `??` would build
    // (TS2590); the bench's 10,000-code package is checked with strict tsc.
    if (this.#received !== undefined) {
      return this.#received;
    }
    return writeWire(this.body) as object as WireBody;
  }

  /** The response headers the wire format puts a member in (a header-borne code), if any. */
  wireHeaders(): { [name: string]: string } {
    return wireHeaders(this.body);
  }

  /**
   * Every header of the response a server sends: the code's own (`declared`, such as
   * `Retry-After`: numbers in decimal, absent ones left out), then the wire format's.
   */
  responseHeaders(declared?: ResponseHeadersOf<B["error"]>): { [name: string]: string } {
    const out: { [name: string]: string } = {};
    const given: [string, unknown][] = Object.entries(declared ?? {});
    for (const [name, value] of given) {
      if (value !== undefined) out[name] = String(value);
    }
    return Object.assign(out, this.wireHeaders());
  }
}
