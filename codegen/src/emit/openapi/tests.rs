use std::path::Path;

use super::*;
use crate::source::{Source, read_catalog};

fn huechat() -> Catalog {
    let root = crate::source::huechat_catalog_dir();
    crate::load(&read_catalog(&root, "catalog").unwrap()).unwrap()
}

/// Codes of HTTP-delivered errors with this status, in catalog order.
fn http_codes(c: &Catalog, status: u16) -> Vec<&str> {
    c.errors
        .iter()
        .filter(|e| e.status == status && e.delivery == crate::model::Delivery::Http)
        .map(|e| e.code.as_str())
        .collect()
}

fn hostile() -> Catalog {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/ok/hostile/catalog.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    crate::load(&[Source::new("catalog.yaml", text)]).unwrap()
}

fn doc(catalog: &Catalog) -> Value {
    document(catalog, &Options::default())
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn discriminator_mappings_cover_exactly_their_codes() {
    let c = huechat();
    let d = doc(&c);
    let schemas = &d["components"]["schemas"];
    let all = &schemas["ErrorBody"];
    assert_eq!(all["discriminator"]["propertyName"], "error");
    let mapping = &all["discriminator"]["mapping"];
    assert_eq!(keys(mapping).len(), c.errors.len());
    assert_eq!(
        mapping["rate_limited"],
        "#/components/schemas/RateLimitedError"
    );
    assert_eq!(all["oneOf"].as_array().unwrap().len(), c.errors.len());
    // Every mapping target exists and fixes `error` to the mapped code.
    for (code, target) in mapping.as_object().unwrap() {
        let name = target
            .as_str()
            .unwrap()
            .trim_start_matches("#/components/schemas/");
        assert_eq!(
            schemas[name]["properties"]["error"]["const"],
            json!(code),
            "{name}"
        );
    }
    let s429 = &schemas["Status429ErrorBody"]["discriminator"]["mapping"];
    assert_eq!(keys(s429), http_codes(&c, 429));
    let s400 = keys(&schemas["Status400ErrorBody"]["discriminator"]["mapping"]);
    assert_eq!(s400, http_codes(&c, 400));
}

#[test]
fn webhook_codes_are_webhooks_not_responses() {
    let d = doc(&huechat());
    let schemas = &d["components"]["schemas"];
    // Status 500 carries only `internal_error`: the webhook code is not an HTTP response.
    assert_eq!(
        keys(&schemas["Status500ErrorBody"]["discriminator"]["mapping"]),
        ["internal_error"]
    );
    let r500 = &d["components"]["responses"]["InternalServerError"]["content"]["application/json"];
    assert_eq!(keys(&r500["examples"]), ["InternalErrorError"]);
    // It is a webhook event, with its schema and example, and in the union of every body.
    let op = &d["webhooks"]["webhook_delivery_failed"]["post"];
    let body = &op["requestBody"]["content"]["application/json"];
    assert_eq!(
        body["schema"]["$ref"],
        "#/components/schemas/WebhookDeliveryFailedError"
    );
    assert_eq!(keys(&body["examples"]), ["WebhookDeliveryFailedError"]);
    assert_eq!(
        schemas["WebhookDeliveryFailedError"]["x-delivery"],
        "webhook"
    );
    assert!(
        schemas["ErrorBody"]["discriminator"]["mapping"]["webhook_delivery_failed"].is_string()
    );
    assert_eq!(keys(&d["webhooks"]), ["webhook_delivery_failed"]);
}

#[test]
fn responses_cover_the_status_table() {
    let d = doc(&huechat());
    let responses = &d["components"]["responses"];
    assert_eq!(
        keys(responses),
        [
            "BadRequest",
            "Unauthorized",
            "Forbidden",
            "NotFound",
            "Conflict",
            "UnprocessableContent",
            "TooManyRequests",
            "InternalServerError",
            "BadGateway",
            "ServiceUnavailable"
        ]
    );
    // Statuses no code uses describe the envelope.
    for generic in ["UnprocessableContent", "BadGateway"] {
        let schema = &responses[generic]["content"]["application/json"]["schema"];
        assert_eq!(
            schema["$ref"], "#/components/schemas/ErrorEnvelope",
            "{generic}"
        );
    }
}

#[test]
fn rate_limit_headers_are_optional_when_not_every_code_sends_them() {
    let d = doc(&huechat());
    let headers = &d["components"]["responses"]["TooManyRequests"]["headers"];
    assert_eq!(
        keys(headers),
        [
            "Retry-After",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset"
        ]
    );
    // `contact_rate_limited` sends none, so the 429 response cannot require them.
    assert_eq!(headers["Retry-After"]["required"], false);
    assert_eq!(headers["Retry-After"]["schema"]["type"], "integer");
    assert_eq!(headers["Retry-After"]["example"], 60);
    // The components keep the code's own declaration.
    let component = &d["components"]["headers"]["Retry-After"];
    assert_eq!(component["required"], true);
    assert_eq!(component["x-error-codes"], json!(["rate_limited"]));
}

#[test]
fn headers_ref_their_component_when_it_says_exactly_that() {
    let mut c = huechat();
    // With one code at 429, its required headers are required by the response: a `$ref`.
    let keep = c
        .errors
        .iter()
        .find(|e| {
            e.status == 429
                && e.headers
                    .iter()
                    .any(|h| h.name == "Retry-After" && h.required)
        })
        .expect("a 429 code requires Retry-After")
        .code
        .clone();
    c.errors.retain(|e| e.status != 429 || e.code == keep);
    let d = doc(&c);
    let h = &d["components"]["responses"]["TooManyRequests"]["headers"]["Retry-After"];
    assert_eq!(h, &json!({ "$ref": "#/components/headers/Retry-After" }));
}

#[test]
fn code_schemas_type_details_and_fix_error_and_code() {
    let d = doc(&huechat());
    let s = &d["components"]["schemas"]["RateLimitedError"];
    assert_eq!(s["properties"]["error"]["const"], "rate_limited");
    assert_eq!(s["properties"]["code"]["const"], 429);
    assert_eq!(
        s["properties"]["details"]["$ref"],
        "#/components/schemas/RateLimitedDetails"
    );
    assert_eq!(
        s["required"],
        json!(["error", "message", "code", "details"])
    );
    assert_eq!(
        s["x-retry"],
        json!({ "strategy": "after_delay", "delay_field": "retry_after" })
    );
    assert_eq!(
        s["externalDocs"]["url"],
        "https://docs.huechat.com/errors/rate-limit.html#rate_limited"
    );
    // A code without a details schema takes any object there, optional, as the clients do
    // (`null`, a list or a string is not an error body).
    let unauthorized = &d["components"]["schemas"]["UnauthorizedError"];
    assert_eq!(unauthorized["properties"]["details"]["type"], "object");
    assert!(
        !unauthorized["required"]
            .as_array()
            .is_some_and(|r| r.contains(&json!("details")))
    );
    let details =
        &d["components"]["schemas"]["DuplicateContactDetails"]["properties"]["duplicate_field"];
    assert_eq!(details["enum"], json!(["phone", "email"]));
    assert_eq!(
        details["x-labels"],
        json!({ "phone": "phone number", "email": "email address" })
    );
    let limit = &d["components"]["schemas"]["RateLimitedDetails"]["properties"]["limit"];
    assert_eq!(limit["minimum"], 0);
}

#[test]
fn the_code_enum_is_extensible() {
    let c = huechat();
    let d = doc(&c);
    let code = &d["components"]["schemas"]["ErrorCode"];
    assert_eq!(code["anyOf"][1], json!({ "type": "string" }));
    assert_eq!(
        code["x-extensible-enum"].as_array().unwrap().len(),
        c.errors.len()
    );
    assert_eq!(
        d["components"]["schemas"]["KnownErrorCode"]["enum"][0],
        c.errors[0].code.as_str()
    );
}

#[test]
fn hostile_names_and_formats_map() {
    let catalog = hostile();
    let d = doc(&catalog);
    let schemas = &d["components"]["schemas"];
    for name in [
        "TypeError",
        "Self_Error",
        "E2faRequiredError",
        "AwaitError",
        "EnumError",
        "E2faRequiredDetails",
    ] {
        assert!(schemas.get(name).is_some(), "{name} missing");
    }
    let phone = &schemas["E2faRequiredDetails"]["properties"]["phone"];
    assert_eq!(phone["format"], "phone");
    assert_eq!(phone["pattern"], r"^\+[1-9][0-9]{1,14}$");
    let nested = &schemas["TypeDetails"]["properties"]["nested"];
    assert_eq!(
        nested["properties"]["crate"]["items"]["required"],
        json!(["super"])
    );
    // A status used only by webhook codes gets the generic envelope; one with an HTTP code its
    // own body schema (derived from the catalog, so the case can gain codes).
    let r500 = &d["components"]["responses"]["InternalServerError"]["content"]["application/json"];
    let http_500 = catalog
        .errors
        .iter()
        .any(|e| e.status == 500 && e.delivery == crate::model::Delivery::Http);
    let expected = if http_500 {
        "#/components/schemas/Status500ErrorBody"
    } else {
        "#/components/schemas/ErrorEnvelope"
    };
    assert_eq!(r500["schema"]["$ref"], expected);
    assert!(d["webhooks"].get("enum").is_some());
    // No catalog text reaches a description as raw HTML or a script link, read as CommonMark.
    fn walk(v: &Value, path: &str, bad: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    if k == "description"
                        && let Some(s) = v.as_str()
                    {
                        for part in crate::emit::docs::markdown::tests::active_parts(s) {
                            bad.push(format!("{path}/{k}: {part}"));
                        }
                    }
                    if k != "value"
                        && k != "examples"
                        && k != "const"
                        && k != "enum"
                        && !k.starts_with("x-")
                    {
                        walk(v, &format!("{path}/{k}"), bad);
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, path, bad)),
            _ => {}
        }
    }
    let mut bad = Vec::new();
    walk(&d, "", &mut bad);
    assert!(bad.is_empty(), "{bad:?}");
}

#[test]
fn markdown_escaping_keeps_code_spans() {
    assert_eq!(md("a <b> `<c>` d"), "a &lt;b> `<c>` d");
    assert_eq!(md("fence ``` then <x>"), "fence ``` then &lt;x>");
    assert_eq!(md("``a`b`` < 5"), "``a`b`` < 5");
    assert_eq!(
        md("[y](https://e.com) and [x](https://e.com/a?b=javascript)"),
        "[y](https://e.com) and [x](https://e.com/a?b=javascript)"
    );
    // redocly's `no-unsafe-markdown` matches `](javascript:` and `href=javascript:` in any case,
    // escaped or not: such text is plain, its colon escaped.
    assert_eq!(
        md("[x](javascript:alert(1)) [y](https://e.com)"),
        "\\[x\\](javascript\\:alert(1)) \\[y\\](https://e.com)"
    );
    assert_eq!(md("<a href=JavaScript:x>"), "&lt;a href=JavaScript\\:x\\>");
    assert_eq!(
        md("plain *emphasis* and `code`"),
        "plain *emphasis* and `code`"
    );
    // Ways past a character-by-character reading (an escaped backtick is not a code span, a
    // code span does not cross a blank line, destinations decode entities, definitions link).
    let hostile = "Bad. \\`<img src=x onerror=alert(301)>\\` and [entity](javascript&#58;alert(302)) and [ref] and `span\n\n<img src=x onerror=alert(304)>\n\nend`\n\n[ref]: javascript:alert(303)\n";
    let out = md(hostile);
    assert_eq!(
        crate::emit::docs::markdown::tests::active_parts(&out),
        Vec::<String>::new(),
        "{out}"
    );
}

#[test]
fn yaml_and_json_hold_the_same_document_and_start_with_the_header() {
    for catalog in [huechat(), hostile()] {
        let options = Options::default();
        let artifacts = std::sync::Mutex::new(Vec::new());
        emit(&catalog, &options, &|a| artifacts.lock().unwrap().push(a));
        let artifacts = artifacts.into_inner().unwrap();
        let json_text = &artifacts
            .iter()
            .find(|a| a.path == JSON_PATH)
            .unwrap()
            .contents;
        let yaml_text = &artifacts
            .iter()
            .find(|a| a.path == YAML_PATH)
            .unwrap()
            .contents;
        assert!(yaml_text.starts_with(&format!("# {}\n", options.header())));
        assert!(json_text.starts_with(&format!(
            "{{\n  \"x-generated\": {}",
            json!(options.header())
        )));
        let from_json: Value = serde_json::from_str(json_text).unwrap();
        let from_yaml: Value = serde_saphyr::from_str(yaml_text).unwrap();
        assert_eq!(from_json, from_yaml);
        assert_eq!(from_json, document(&catalog, &options));
    }
}

#[test]
fn component_names_do_not_collide() {
    // `insert` only debug-asserts; count explicitly for both catalogs.
    for catalog in [huechat(), hostile()] {
        let d = doc(&catalog);
        let with_details = catalog
            .errors
            .iter()
            .filter(|e| e.details.is_some())
            .count();
        let statuses = catalog.used_statuses().count();
        let expected = 4 + statuses + catalog.errors.len() + with_details;
        assert_eq!(keys(&d["components"]["schemas"]).len(), expected);
        let examples: usize = catalog.errors.iter().map(|e| e.examples.len()).sum();
        let envelope = usize::from(catalog.envelope.example.is_some());
        assert_eq!(
            keys(&d["components"]["examples"]).len(),
            examples + envelope
        );
    }
}

#[test]
fn catalog_text_that_could_reach_past_itself_is_plain_text() {
    // One line of prose keeps its code spans and emphasis.
    assert_eq!(md("Use `request_id` *now*."), "Use `request_id` *now*.");
    assert_eq!(
        md("`ErrorInfo.reason`: the code."),
        "`ErrorInfo.reason`: the code."
    );
    // A fence, heading, table, list or quote, a line break, or a code span left open would
    // take in the sentence written after the text: all of it is escaped.
    for text in [
        "```",
        "~~~ rust",
        "# Heading",
        "| a | b |",
        "- item",
        "> quote",
        "1. first",
        "    indented code",
        "\tindented code",
        "two\nlines",
        "a `span left open",
    ] {
        assert_eq!(
            md(text),
            crate::emit::docs::markdown::text(text),
            "{text:?}"
        );
    }
    // `<` is an entity, which redocly's `no-unsafe-markdown` does not read as a tag.
    assert_eq!(md("a\n<img onerror=x>"), "a &lt;img onerror=x\\>");
}

/// A piece with places to choose from is read from the first one present: a body needs one of
/// them (`anyOf`), not the first; with a header among them, none.
#[test]
fn alternative_places_require_one_of_them() {
    let catalog = |code: &str| {
        let yaml = format!(
            "api:\n  name: Alt\n  version: 1.0.0\n  docs_url: https://d.test/e\n  wire:\n    code: {code}\n    message: /error/message\nstatuses: {{ 400: Bad }}\ncategories: [{{ id: main, title: Main }}]\nerrors:\n  - code: bad\n    status: 400\n    category: main\n    description: Bad.\n    message: Bad\n    examples:\n      - body: {{ error: bad, message: Bad, code: 400 }}\n"
        );
        crate::load(&[Source::new("alt.yaml", yaml)]).unwrap()
    };
    let one_of = |schema: &Value| -> Vec<Value> {
        schema["allOf"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|s| s["anyOf"].as_array().cloned())
            .flatten()
            .collect()
    };
    let two = doc(&catalog(
        "[/error/code, { at: /error/type, required: false }]",
    ));
    for name in ["ErrorEnvelope", "BadError"] {
        let schema = &two["components"]["schemas"][name];
        assert_eq!(
            schema["properties"]["error"]["required"],
            json!(["message"]),
            "{name}"
        );
        let chains = one_of(schema);
        assert_eq!(chains.len(), 2, "{name}: {schema}");
        assert_eq!(
            chains[0]["properties"]["error"]["required"],
            json!(["code"])
        );
        assert_eq!(
            chains[1]["properties"]["error"]["required"],
            json!(["type"])
        );
    }
    let header = doc(&catalog(
        "[{ header: X-Code, required: false }, /error/code]",
    ));
    for name in ["ErrorEnvelope", "BadError"] {
        let schema = &header["components"]["schemas"][name];
        assert_eq!(
            schema["properties"]["error"]["required"],
            json!(["message"]),
            "{name}"
        );
        assert!(one_of(schema).is_empty(), "{name}: {schema}");
    }
    let entry = doc(&catalog(
        "[{ list: /errors, where: { type: code }, at: /value }, /code]",
    ));
    for name in ["ErrorEnvelope", "BadError"] {
        let chains = one_of(&entry["components"]["schemas"][name]);
        assert_eq!(chains.len(), 2, "{name}");
        let contains = &chains[0]["properties"]["errors"]["contains"];
        assert_eq!(contains["required"], json!(["type", "value"]), "{name}");
        assert_eq!(chains[1]["required"], json!(["code"]), "{name}");
    }
    let single = doc(&catalog("/error/code"));
    let schema = &single["components"]["schemas"]["ErrorEnvelope"];
    assert_eq!(
        schema["properties"]["error"]["required"],
        json!(["code", "message"])
    );
}
