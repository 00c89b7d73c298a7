// The fuzz step's TypeScript runner: one verdict line per body of a JSONL file of body texts.
import { readFileSync } from "node:fs";
import { ErrorBodyParseError, HueChatError, isKnownErrorBody, parseErrorBody, retryDecision } from "./index.js";

function verdict(text) {
  let value;
  try {
    // One byte-order mark is ignored, as `Response.json()` (what `fromResponse` reads) does.
    value = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    if (e instanceof SyntaxError) return ["invalid"];
    throw e;
  }
  let body;
  try {
    body = parseErrorBody(value);
  } catch (e) {
    if (e instanceof ErrorBodyParseError) return ["invalid"];
    throw e;
  }
  // What a client does with an error next must not throw either.
  const error = HueChatError.fromJSON(value);
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
    v = verdict(JSON.parse(line));
  } catch (e) {
    v = ["crash", String(e).slice(0, 200)];
  }
  out.push(JSON.stringify(v));
}
process.stdout.write(out.join("\n") + "\n");
