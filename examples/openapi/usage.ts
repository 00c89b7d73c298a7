// Type-level test of the TypeScript that openapi-typescript generates from the HueChat document.
// `cargo xtask test openapi` generates `./huechat.ts` beside a copy of this file in a scratch
// folder and compiles both with `tsc --strict`. Nothing here runs.
import type { components } from "./huechat";

type Schemas = components["schemas"];

// The `error` discriminator narrows the union to one code's typed details.
export function retryAfterSeconds(e: Schemas["ErrorBody"]): number | undefined {
  switch (e.error) {
    case "rate_limited":
      return e.details.retry_after;
    case "service_unavailable":
      return e.details.retry_after;
    default:
      return undefined;
  }
}

// A status's union holds exactly that status's codes.
export const limited: Schemas["Status429ErrorBody"] = {
  error: "contact_rate_limited",
  message: "Message rate limit exceeded for this contact",
  code: 429,
  details: { contact_id: "cnt_abc123", limit: 100, window: "1 minute" },
};

export const wrongStatus: Schemas["RateLimitedError"] = {
  error: "rate_limited",
  message: "x",
  // @ts-expect-error: `code` is fixed per error code.
  code: 500,
  details: { limit: 1, window: "1 minute", retry_after: 1 },
};

export const notAResponse: Schemas["Status500ErrorBody"] = {
  // @ts-expect-error: the webhook-delivered code is not a 500 response body.
  error: "webhook_delivery_failed",
  message: "Webhook delivery failed after 8 attempts",
  code: 500,
  details: { webhook_id: "wh_1", last_attempt: "2026-01-25T12:00:00Z", last_error: "timeout" },
};

// The code enum is extensible: codes added later are still `ErrorCode`s, and the envelope
// describes their bodies.
export const later: Schemas["ErrorCode"] = "a_code_added_later";
export const envelope: Schemas["ErrorEnvelope"] = { error: later, message: "x", code: 418 };

// Webhook payloads are typed too.
export type DeliveryFailed =
  NonNullable<components["schemas"]["WebhookDeliveryFailedError"]>["details"]["last_error"];
