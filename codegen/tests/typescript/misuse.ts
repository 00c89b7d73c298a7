// Misuse of the generated HueChat package. Must NOT compile: every line marked `// expect: TSnnnn`
// must fail with exactly that error, and no other line may fail.
import {
  ERROR_CODES,
  HueChatError,
  type DuplicateContactDetails,
  type ErrorBody,
  type InvalidInputDetails,
  type KnownErrorBody,
  type RateLimitedBody,
  isKnownErrorBody,
} from "@huechat/errors";

declare const body: ErrorBody;
declare const known: KnownErrorBody;
declare const error: HueChatError;

// Details are not typed before narrowing on the code.
export const a = known.details?.retry_after; // expect: TS2339
// Without `isKnownErrorBody`, an unknown code keeps `details` untyped.
if (body.error === "rate_limited") {
  const n: unknown = body.details?.retry_after; // expect: TS2339
  void n;
}
// A misspelled code has no overlap with the known codes.
if (isKnownErrorBody(body) && body.error === "rate_limitted") { // expect: TS2367
  void body;
}
// Narrowed to one code, another code's fields do not exist.
if (known.error === "missing_field") {
  void known.details.retry_after; // expect: TS2339
  known.details.field = "x"; // expect: TS2540
}
// Enums are literal unions that keep unknown strings (a newer server may send them), but only strings.
export const d: DuplicateContactDetails = { existing_contact_id: "c", duplicate_field: 42 }; // expect: TS2322
// Required details fields are required; optional ones are absent, not undefined.
export const r: RateLimitedBody = { error: "rate_limited", message: "m", code: 429, details: { limit: 1, window: "1 minute" } }; // expect: TS2741
export const i: InvalidInputDetails = { field: "phone", reason: "r", received: undefined }; // expect: TS2375
// The status is the code's own.
export const s: RateLimitedBody["code"] = 500; // expect: TS2322
// Only known codes can be tested with `is`.
export const u = error.is("not_a_code"); // expect: TS2345
// The list of codes is read-only.
ERROR_CODES.push("x"); // expect: TS2339
// A code's response headers are typed: integers are numbers, and only its own headers exist.
declare const limited: HueChatError<RateLimitedBody>;
limited.responseHeaders({ "Retry-After": "60", "X-RateLimit-Limit": 1, "X-RateLimit-Remaining": 0, "X-RateLimit-Reset": 0 }); // expect: TS2322
limited.responseHeaders({ "Retry-After": 60 }); // expect: TS2345
