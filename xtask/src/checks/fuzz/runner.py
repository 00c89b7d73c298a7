"""The fuzz step's Python runner: one verdict line per line of a JSONL file of
`[body text, headers or null, response status or null]`."""

import json
import sys

import huechat_errors as pkg


def verdict(text: str, headers: object, status: object) -> object:
    try:
        error = pkg.HueChatError.from_json(text, headers=headers, status=status)
    except pkg.ErrorBodyParseError:
        return ["invalid"]
    # What a client does with an error next must not raise either.
    str(error)
    repr(error)
    error.to_json()
    decision = pkg.retry_decision(error, 0)
    known = not isinstance(error, pkg.UnknownHueChatError)
    return ["valid", error.error, known, None if decision is None else decision.delay_ms]


def main() -> None:
    out = []
    with open(sys.argv[1], encoding="utf-8") as lines:
        for line in lines:
            try:
                text, headers, status = json.loads(line)
                v = verdict(text, None if headers is None else [tuple(h) for h in headers], status)
            except Exception as e:  # noqa: BLE001 - any other exception is what the step reports
                v = ["crash", repr(e)[:200]]
            out.append(json.dumps(v, ensure_ascii=False, separators=(",", ":")))
    sys.stdout.write("\n".join(out) + "\n")


main()
