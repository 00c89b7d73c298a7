import { {{ n.error_type }}, ErrorBodyParseError, withRetry } from "{{ n.ts_package }}";

/**
 * Calls the API: error responses become `{{ n.error_type }}`s, which `withRetry` retries as the
 * catalog says (rate limits after their delay, server errors with backoff, nothing else); a
 * response that is not an error body (a proxy's 502 page) is retried by its status.
 */
export async function request<T>(url: string, init?: RequestInit): Promise<T> {
  return withRetry(
    async () => {
      const response = await fetch(url, init);
      if (!response.ok) throw await {{ n.error_type }}.fromResponse(response);
      return (await response.json()) as T;
    },
    {
      onRetry: (error, attempt, delayMs) => {
        const what = error instanceof ErrorBodyParseError ? `HTTP ${String(error.status)}` : error.error;
        console.warn(`${what}: retry ${attempt + 1} in ${delayMs} ms`);
      },
    },
  );
}
