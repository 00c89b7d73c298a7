import logging

from {{ n.py_module }} import {{ n.error_type }}

logger = logging.getLogger(__name__)


def log_error(error: Exception) -> None:
    """Logs an error with what support needs: the code, the request ID and the details."""
    if isinstance(error, {{ n.error_type }}):
        logger.error({{ n.py_log_message }}, error.message, extra=error.log_extra())
    else:
        logger.error("unexpected error: %r", error)
