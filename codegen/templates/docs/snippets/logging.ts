import { {{ n.error_type }} } from "{{ n.ts_package }}";

/** Logs an error with what support needs: the code, the request ID and the details. */
export function logError(error: unknown): void {
  if (error instanceof {{ n.error_type }}) {
    console.error(`{{ n.product }} API error: ${error.message}`, {
      error_code: error.error,
      request_id: error.requestId,
      details: error.details,
      docs: error.docsUrl,
    });
  } else {
    console.error(error);
  }
}
