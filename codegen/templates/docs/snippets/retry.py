import json
import urllib.error
import urllib.request

from {{ n.py_module }} import {{ n.error_type }}, with_retry


def request(url: str) -> object:
    """Calls the API: error responses become `{{ n.error_type }}`s, which `with_retry` retries as
    the catalog says (rate limits after their delay, server errors with backoff, nothing else);
    a response that is not an error body (a proxy's 502 page) is retried by its status."""

    def attempt() -> object:
        try:
            with urllib.request.urlopen(url) as response:
                return json.load(response)
        except urllib.error.HTTPError as e:
            raise {{ n.error_type }}.from_response(e.code, e.headers.items(), e.read()) from None

    return with_retry(attempt)
