// Uses any catalog's generated package through what every package has (`__PACKAGE__` and
// `__ERROR_TYPE__` are the catalog's package and error class). Must compile and run, as an ES
// module or as CommonJS, under every compiler setting the typescript step checks.
import {
  API,
  ERROR_CODES,
  ERRORS,
  ErrorBodyParseError,
  RETIRED_CODES,
  RETRY_CONFIG,
  WIRE,
  __ERROR_TYPE__,
  checkErrorBody,
  errorInfo,
  isErrorBody,
  isErrorCode,
  isKnownErrorBody,
  parseErrorBody,
  retiredCode,
  retryDecision,
  withRetry,
} from "__PACKAGE__";
import type { ErrorBody, ErrorBodyOf, ErrorCode, KnownErrorBody, RetryDecision, WireBody, WireBodyOf } from "__PACKAGE__";

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`consumer check failed: ${what}`);
}

for (const code of ERROR_CODES) check(isErrorCode(code) && errorInfo(code) === ERRORS[code], code);
check(!isErrorCode("__no_such_code__") && errorInfo("__no_such_code__") === undefined, "unknown code");
for (const code of Object.keys(RETIRED_CODES)) check(retiredCode(code) !== undefined, `retired ${code}`);
check(API.version.length > 0 && WIRE.members.length > 0 && RETRY_CONFIG.maxAttempts >= 0, "metadata");

/** What a client does with any body: every problem, or the code. */
export function describe(value: unknown): string {
  if (!isErrorBody(value)) return checkErrorBody(value).join("; ");
  const wire: WireBody = value;
  const body: ErrorBody = parseErrorBody(wire);
  if (!isKnownErrorBody(body)) return `unknown ${body.error}`;
  const known: KnownErrorBody = body;
  return `${known.error}: ${known.message} (${ERRORS[known.error].status})`;
}
check(describe({}).length > 0, "an empty object is no error body");

/** A code's body, as parsed and as sent. */
export function pair<C extends ErrorCode>(body: ErrorBodyOf<C>, wire: WireBodyOf<C>): [ErrorBodyOf<C>, WireBodyOf<C>] {
  return [body, wire];
}

/** What an error tells a client. */
export function report(error: __ERROR_TYPE__, attempt: number): string {
  const decision: RetryDecision = retryDecision(error, attempt);
  const known = error.isKnown() ? error.info?.status : undefined;
  const sent: WireBody = error.toJSON();
  const headers: { [name: string]: string } = error.responseHeaders();
  return [String(error), decision.retry ? decision.delayMs : "no retry", known, sent, headers].join();
}

let rejected: unknown;
try {
  __ERROR_TYPE__.fromResponse(503, { "Retry-After": "2" }, "<html>");
} catch (e) {
  rejected = e;
}
check(rejected instanceof ErrorBodyParseError && rejected.status === 503, "a proxy's page");

async function retries(): Promise<void> {
  let calls = 0;
  const slept: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    slept.push(ms);
    return Promise.resolve();
  };
  const result = await withRetry(() => {
    calls++;
    if (calls === 1) __ERROR_TYPE__.fromResponse(503, { "Retry-After": "2" }, "<html>");
    return Promise.resolve("done");
  }, { sleep }).catch((e: unknown) => e);
  // Retried after the server's delay, unless the catalog allows one attempt only.
  const once = RETRY_CONFIG.maxAttempts < 2;
  check(once ? result instanceof ErrorBodyParseError : result === "done" && calls === 2 && slept.join() === "2000", `retried: ${slept.join()}`);
}
// A rejection is unhandled, which makes node exit with an error.
void retries();
