// Uses the generated HueChat package the way an application would. Must compile and run, as an
// ES module or as CommonJS, under every compiler setting the typescript step checks (no
// top-level `await`: a CommonJS module has none).
import {
  ERRORS,
  HueChatError,
  type ErrorBody,
  type ErrorBodyOf,
  type RateLimitedDetails,
  isKnownErrorBody,
  parseErrorBody,
  retryDecision,
  withRetry,
} from "@huechat/errors";

function check(condition: boolean, what: string): asserts condition {
  if (!condition) throw new Error(`consumer check failed: ${what}`);
}

function describe(body: ErrorBody): string {
  if (!isKnownErrorBody(body)) return `unknown ${body.error}`;
  switch (body.error) {
    case "rate_limited":
      return `wait ${body.details.retry_after}s (limit ${body.details.limit} per ${body.details.window})`;
    case "duplicate_contact":
      return `duplicate ${body.details.duplicate_field}`;
    case "invalid_input":
      return `invalid ${body.details.field}${body.details.received === undefined ? "" : ` (got ${body.details.received})`}`;
    default:
      return body.message;
  }
}

const rateLimited = {
  error: "rate_limited",
  message: "Rate limit exceeded. Retry after 60 seconds.",
  code: 429,
  details: { limit: 100, window: "1 minute", retry_after: 60 },
};
check(describe(parseErrorBody(rateLimited)) === "wait 60s (limit 100 per 1 minute)", "narrowing");
check(describe(parseErrorBody({ error: "brand_new", message: "New", code: 400 })) === "unknown brand_new", "unknown");

// A fake fetch: two 429s, then success. withRetry waits as the catalog says, on a fake clock.
let calls = 0;
const fakeFetch = (): Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; json(): Promise<unknown> }> => {
  calls++;
  const ok = calls === 3;
  return Promise.resolve({
    ok,
    status: ok ? 200 : 429,
    headers: { get: (name: string) => (name === "Retry-After" ? "60" : null) },
    json: () => Promise.resolve(ok ? { data: "sent" } : rateLimited),
  });
};
async function retries(): Promise<void> {
  const slept: number[] = [];
  const data = await withRetry(
    async () => {
      const res = await fakeFetch();
      if (!res.ok) throw await HueChatError.fromResponse(res);
      return res.json();
    },
    { sleep: (ms) => { slept.push(ms); return Promise.resolve(); } },
  );
  check(JSON.stringify(data) === '{"data":"sent"}' && calls === 3, "withRetry result");
  check(slept.join() === "60000,60000", `slept ${slept.join()}`);
}
// A rejection is unhandled, which makes node exit with an error.
void retries();

const error = HueChatError.fromJSON(rateLimited, { retryAfter: "60" });
if (error.is("rate_limited")) {
  const details: RateLimitedDetails = error.details;
  check(details.retry_after === 60, "error narrowing");
}
check(error.docsUrl === ERRORS.rate_limited.docsUrl, "docs url");
check(error.docsUrl === "https://docs.huechat.com/errors/rate-limit.html#rate_limited", `docs url ${String(error.docsUrl)}`);
check(!retryDecision(error, 2).retry, "max attempts");

// Server side: a body typed by its code, and the code's own response headers typed too.
const limited = new HueChatError<ErrorBodyOf<"rate_limited">>({ ...rateLimited, error: "rate_limited", code: 429 });
const sent = limited.responseHeaders({ "Retry-After": 60, "X-RateLimit-Limit": 100, "X-RateLimit-Remaining": 0, "X-RateLimit-Reset": 1706215260 });
check(sent["Retry-After"] === "60" && sent["X-RateLimit-Reset"] === "1706215260", `headers ${JSON.stringify(sent)}`);
check(JSON.stringify(limited.toJSON()) === JSON.stringify(rateLimited), "server body");
