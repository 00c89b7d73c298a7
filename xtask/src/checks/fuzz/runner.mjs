// The fuzz step's TypeScript runner: one verdict line per line of a JSONL file of
// `[body text, headers or null, response status or null]`.
import { readFileSync } from "node:fs";
import { checkJsonText, ErrorBodyParseError, HueChatError, isKnownErrorBody, parseErrorBody, retryDecision } from "./index.js";

function verdict(text, headers, status) {
  let value;
  try {
    // One byte-order mark is ignored, as `Response.json()` (what `fromResponse` reads) does.
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    if (e instanceof SyntaxError) return ["invalid"];
    throw e;
  }
  // What `fromResponse` checks of the text besides `JSON.parse` (a value a duplicate key hides).
  if (checkJsonText(text.replace(/^\uFEFF/, "")) !== undefined) return ["invalid"];
  let body;
  try {
    body = parseErrorBody(value, headers, status);
  } catch (e) {
    if (e instanceof ErrorBodyParseError) return ["invalid"];
    throw e;
  }
  // What a client does with an error next must not throw either.
  const error = HueChatError.fromJSON(value, { headers, status });
  String(error);
  JSON.stringify(error.toJSON());
  const decision = retryDecision(body, 0, null);
  return ["valid", body.error, isKnownErrorBody(body), decision.retry ? decision.delayMs : null];
}

const out = [];
for (const line of readFileSync(process.argv[2], "utf8").split("\n")) {
  if (line === "") continue;
  let v;
  try {
    const [text, headers, status] = JSON.parse(line);
    v = verdict(text, headers === null ? undefined : Object.fromEntries(headers), status ?? undefined);
  } catch (e) {
    v = ["crash", String(e).slice(0, 200)];
  }
  out.push(JSON.stringify(v));
}
process.stdout.write(out.join("\n") + "\n");
