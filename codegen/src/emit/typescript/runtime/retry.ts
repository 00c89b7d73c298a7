import { RETRY_CONFIG, type RetryPolicy, errorInfo } from "./catalog.js";
import { __ERROR_TYPE__, parseRetryAfter } from "./error.js";
import { ErrorBodyParseError } from "./guards.js";
import { hasOwn } from "./schema.js";
import { wireDelayMs } from "./wire.js";

/** Whether to retry after a failed attempt, and how long to wait first. */
export type RetryDecision = { readonly retry: false } | { readonly retry: true; readonly delayMs: number };

/** What a retry decision needs of an error: an error body or a `__ERROR_TYPE__`. */
export interface RetryInput {
  readonly error: string;
  readonly code: number;
  readonly details?: unknown;
}

const NO_RETRY: RetryDecision = { retry: false };

/**
 * The longest delay a server can make a client wait, from its details or `Retry-After`: one day.
 * A longer one waits this long (the same cap in every generated package), so no wait reaches
 * the timer limit of 2^31 - 1 ms, beyond which `setTimeout` fires at once.
 */
export const MAX_SERVER_DELAY_SECONDS = 86_400;

/** The policy a status implies for codes this version does not know: 429 waits, 5xx backs off. */
export function retryPolicyForStatus(status: number): RetryPolicy {
  if (status === 429) return { strategy: "after_delay" };
  if (status >= 500 && status <= 599) return { strategy: "backoff" };
  return { strategy: "never" };
}

/** The catalog's policy for a known code, else the policy its status implies. */
export function retryPolicyOf(error: RetryInput): RetryPolicy {
  return errorInfo(error.error)?.retry ?? retryPolicyForStatus(error.code);
}

/** The exponential backoff delay before retry `attempt` (0-based), capped. */
export function backoffDelayMs(attempt: number): number {
  const delay = RETRY_CONFIG.initialDelayMs * RETRY_CONFIG.multiplier ** attempt;
  return Math.min(delay, RETRY_CONFIG.maxDelayMs);
}

function delayFromDetails(details: unknown, field: string): number | undefined {
  if (typeof details !== "object" || details === null || !hasOwn(details, field)) return undefined;
  const value: unknown = (details as { readonly [key: string]: unknown })[field];
  if (typeof value !== "number" || !(value >= 0)) return undefined;
  // Seconds, rounded up (a number field may hold `64.57`), within the safe integers; `+ 0`
  // turns `-0` into `0`.
  const seconds = Math.ceil(value) + 0;
  return Number.isSafeInteger(seconds) ? seconds : undefined;
}

/**
 * Whether to retry after attempt `attempt` (0-based) failed with `error`, and after how long.
 * No retry once `attempt + 1` reaches `RETRY_CONFIG.maxAttempts`. The server's delay is the
 * details' delay field (seconds), else where the wire format carries one (`WIRE.retryDelay`,
 * such as AIP-193's `RetryInfo`), else `retryAfter` (the `Retry-After` header). `after_delay`
 * waits the server's delay, else `RETRY_CONFIG.defaultDelaySeconds`; `backoff` waits the
 * server's delay, else `backoffDelayMs(attempt)`. The server's delay is capped at
 * `MAX_SERVER_DELAY_SECONDS`.
 */
export function retryDecision(
  error: RetryInput,
  attempt: number,
  retryAfter?: string | number | null,
): RetryDecision {
  if (attempt + 1 >= RETRY_CONFIG.maxAttempts) return NO_RETRY;
  const policy = retryPolicyOf(error);
  if (policy.strategy === "never") return NO_RETRY;
  const fromDetails =
    policy.delayField === undefined ? undefined : delayFromDetails(error.details, policy.delayField);
  const fromHeader = parseRetryAfter(retryAfter);
  const server =
    (fromDetails === undefined ? undefined : fromDetails * 1000) ??
    wireDelayMs(error instanceof __ERROR_TYPE__ ? error.body : error) ??
    (fromHeader === undefined ? undefined : fromHeader * 1000);
  if (server !== undefined) return { retry: true, delayMs: Math.min(server, MAX_SERVER_DELAY_SECONDS * 1000) };
  switch (policy.strategy) {
    case "backoff":
      return { retry: true, delayMs: backoffDelayMs(attempt) };
    case "after_delay":
      return { retry: true, delayMs: RETRY_CONFIG.defaultDelaySeconds * 1000 };
  }
}

export interface RetryOptions {
  /** Waits `ms` milliseconds; inject a fake in tests. Defaults to a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Called before each wait, with the error or the response that was not an error body. */
  readonly onRetry?: (error: __ERROR_TYPE__ | ErrorBodyParseError, attempt: number, delayMs: number) => void;
}

declare const setTimeout: (callback: () => void, ms: number) => unknown;

function timerSleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    setTimeout(resolve, ms);
  });
}

/**
 * The decision for what a failed attempt threw: a `__ERROR_TYPE__` by `retryDecision`; a
 * response whose body was not an error body (an `ErrorBodyParseError` with a status, such as a
 * proxy's 503 page) by its status and `Retry-After`, as a code this version does not know; and
 * anything else never.
 */
function decisionFor(error: unknown, attempt: number): RetryDecision {
  if (error instanceof __ERROR_TYPE__) return retryDecision(error, attempt, error.retryAfter);
  if (error instanceof ErrorBodyParseError && error.status !== undefined) {
    return retryDecision({ error: "", code: error.status }, attempt, error.retryAfter);
  }
  return NO_RETRY;
}

/**
 * Runs `request` until it succeeds or `retryDecision` says stop, then rethrows its last error.
 * `__ERROR_TYPE__` failures are retried as the catalog says, and responses that were not error
 * bodies (`ErrorBodyParseError` from `fromResponse`) by their status; anything else is rethrown
 * at once.
 */
export async function withRetry<T>(
  request: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const sleep = options.sleep ?? timerSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await request(attempt);
    } catch (error) {
      const decision = decisionFor(error, attempt);
      if (!decision.retry || !(error instanceof __ERROR_TYPE__ || error instanceof ErrorBodyParseError)) throw error;
      options.onRetry?.(error, attempt, decision.delayMs);
      await sleep(decision.delayMs);
    }
  }
}
