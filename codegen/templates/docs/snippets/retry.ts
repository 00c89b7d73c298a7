import { {{ n.error_type }}, withRetry } from "{{ n.ts_package }}";

/**
 * Calls the API: error responses become `{{ n.error_type }}`s, which `withRetry` retries as the
 * catalog says (rate limits after their delay, server errors with backoff, nothing else).
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
        console.warn(`${error.error}: retry ${attempt + 1} in ${delayMs} ms`);
      },
    },
  );
}
