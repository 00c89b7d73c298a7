//! Body schemas of a wire other than the flat envelope, built from `model::Wire`'s members: the
//! generic envelope (any code) and each code's body (its code, status and facts as `const`s,
//! its details typed where the wire puts them).

use serde_json::{Map, Value, json};

use super::{details_schema_name, format_keywords, md, schema_ref};
use crate::model::{Catalog, ErrorDef};
use crate::wire::{CodeForm, FieldType, GRPC_CODES, Member, Place, Role, is_index, tokens};

/// A protobuf JSON `Duration` such as `"30s"` or `"1.5s"`.
const DURATION: &str = "^[0-9]+(\\.[0-9]{1,9})?s$";

fn empty_object() -> Value {
    json!({ "type": "object", "properties": {} })
}

/// The object schema at `tokens` under `root`, created on the way (a numeric token steps into
/// that element of a list, `prefixItems`, leaving the other elements free, as the clients read
/// only that one); with `required`, each step is required in its parent (and a list must be
/// long enough to have the element).
fn object_at<'v>(mut root: &'v mut Value, tokens: &[String], required: bool) -> &'v mut Value {
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        let index = tokens.get(i + 1).filter(|t| is_index(t));
        if required {
            require(root, token);
        }
        let child = properties(root).entry(token.clone()).or_insert_with(|| {
            if index.is_some() {
                json!({ "type": "array", "prefixItems": [] })
            } else {
                empty_object()
            }
        });
        root = match index {
            Some(index) => {
                let n = index.parse::<usize>().unwrap_or(0);
                if required {
                    let min = child.get("minItems").and_then(Value::as_u64).unwrap_or(0);
                    child["minItems"] = json!(min.max(n as u64 + 1));
                }
                if !child["prefixItems"].is_array() {
                    child["prefixItems"] = json!([]);
                }
                if let Some(items) = child["prefixItems"].as_array_mut() {
                    // Elements before it: any value.
                    items.resize(items.len().max(n + 1), json!({}));
                    if items[n] == json!({}) {
                        items[n] = empty_object();
                    }
                }
                i += 1;
                &mut child["prefixItems"][n]
            }
            None => child,
        };
        // A schema already there (details' `$ref`) becomes one part of an object schema.
        if root.get("properties").is_none() {
            let old = std::mem::replace(root, empty_object());
            root["allOf"] = json!([old]);
        }
        i += 1;
    }
    root
}

fn properties(object: &mut Value) -> &mut Map<String, Value> {
    let Value::Object(m) = object else {
        unreachable!("object schemas are JSON objects")
    };
    match m
        .entry("properties")
        .or_insert_with(|| Value::Object(Map::new()))
    {
        Value::Object(p) => p,
        _ => unreachable!("properties are built as objects"),
    }
}

fn all_of(object: &mut Value) -> &mut Vec<Value> {
    let Value::Object(m) = object else {
        unreachable!("object schemas are JSON objects")
    };
    match m.entry("allOf").or_insert_with(|| json!([])) {
        Value::Array(items) => items,
        _ => unreachable!("allOf is built as a list"),
    }
}

fn require(object: &mut Value, name: &str) {
    let Value::Object(m) = object else {
        unreachable!("object schemas are JSON objects")
    };
    if let Value::Array(items) = m.entry("required").or_insert_with(|| json!([]))
        && !items.iter().any(|v| v == name)
    {
        items.push(json!(name));
    }
}

/// Puts `leaf` at `pointer` of the object schema `root`; `required` marks every step.
fn put(root: &mut Value, pointer: &str, leaf: Value, required: bool) {
    let t = tokens(pointer);
    if t.last().is_some_and(|last| is_index(last)) {
        // A list's element (JSON:API's details in `/errors/0`): one part of the element's
        // schema, beside the members inside it.
        all_of(object_at(root, &t, required)).push(leaf);
        return;
    }
    let Some((last, parents)) = t.split_last() else {
        // The root itself (details beside the envelope's members): both apply.
        all_of(root).push(leaf);
        return;
    };
    let at = object_at(root, parents, required);
    if required {
        require(at, last);
    }
    match properties(at).get_mut(last) {
        // An object already built there (details beside other members): both apply.
        Some(existing) if existing.get("properties").is_some() => all_of(existing).push(leaf),
        _ => {
            properties(at).insert(last.clone(), leaf);
        }
    }
}

/// The schema of a member's value: for one code (`def`), or for any code.
fn leaf(catalog: &Catalog, m: &Member, def: Option<&ErrorDef>) -> Option<Value> {
    let mut s = Map::new();
    match (&m.role, def) {
        (
            Role::Code {
                form: CodeForm::Integer,
            },
            def,
        ) => {
            s.insert("type".into(), json!("integer"));
            if let Some(n) = def.and_then(|d| crate::wire::integer_code(&d.code)) {
                s.insert("const".into(), json!(n));
            }
        }
        (Role::Code { form }, Some(def)) => {
            s.insert("type".into(), json!("string"));
            match form {
                CodeForm::TypeUri => {
                    s.insert("format".into(), json!("uri-reference"));
                    s.insert("const".into(), json!(def.wire.type_uri));
                }
                CodeForm::Plain | CodeForm::AwsShape | CodeForm::Integer => {
                    s.insert("const".into(), json!(def.code));
                }
            }
        }
        (Role::Code { form }, None) => match form {
            CodeForm::Plain => {
                s.insert("$ref".into(), json!("#/components/schemas/ErrorCode"));
            }
            CodeForm::TypeUri => {
                s.insert("type".into(), json!("string"));
                s.insert("format".into(), json!("uri-reference"));
            }
            CodeForm::AwsShape | CodeForm::Integer => {
                s.insert("type".into(), json!("string"));
            }
        },
        (Role::Message, _) => {
            s.insert("type".into(), json!("string"));
        }
        (Role::Status, def) => {
            s.insert("type".into(), json!("integer"));
            if let Some(def) = def {
                s.insert("const".into(), json!(def.status));
            } else {
                s.insert("minimum".into(), json!(100));
                s.insert("maximum".into(), json!(599));
            }
        }
        // A code without a details schema: any object, as the clients read it.
        (Role::Details, Some(def)) if def.details.is_some() => {
            return Some(schema_ref(&details_schema_name(def)));
        }
        (Role::Details, _) => {
            s.insert("type".into(), json!("object"));
            s.insert("additionalProperties".into(), json!(true));
        }
        // The title and the docs link are what this catalog's servers write, but clients do not
        // read them (a server may localize a title or link its own page): examples, not
        // `const`s, so that OpenAPI accepts every body the clients accept.
        (Role::Title, def) => {
            s.insert("type".into(), json!("string"));
            if let Some(t) = def.and_then(|d| d.wire.title.as_ref()) {
                s.insert("examples".into(), json!([t]));
            }
        }
        (Role::GrpcStatus, def) => {
            s.insert("type".into(), json!("string"));
            match def.and_then(|d| d.wire.grpc_status.as_ref()) {
                Some(g) => s.insert("const".into(), json!(g)),
                None => s.insert(
                    "enum".into(),
                    json!(GRPC_CODES.iter().map(|(n, _)| *n).collect::<Vec<_>>()),
                ),
            };
        }
        (Role::DocsUrl, def) => {
            s.insert("type".into(), json!("string"));
            s.insert("format".into(), json!("uri"));
            if let Some(def) = def {
                let link = def.wire.docs_url.clone();
                s.insert(
                    "examples".into(),
                    json!([link.unwrap_or_else(|| catalog.docs_url(def))]),
                );
            }
        }
        (Role::Constant { value }, _) => {
            s.insert("type".into(), json!("string"));
            s.insert("const".into(), json!(value));
        }
        (Role::Field { kind, format }, _) => {
            let t = match kind {
                FieldType::Integer => "integer",
                FieldType::String | FieldType::Duration => "string",
            };
            s.insert("type".into(), json!(t));
            if let Some(f) = format {
                format_keywords(&mut s, *f);
            }
        }
        (Role::RetryDelay, _) => {
            s.insert("type".into(), json!("string"));
            s.insert("pattern".into(), json!(DURATION));
        }
    }
    if !matches!(m.role, Role::Details) || def.is_none() {
        s.insert("description".into(), json!(md(&m.description)));
    }
    Some(Value::Object(s))
}

/// The body schema of the wire: for one code, or (`def` = `None`) any code.
pub fn body_schema(catalog: &Catalog, def: Option<&ErrorDef>) -> Value {
    let wire = &catalog.wire;
    let mut root = json!({ "type": "object", "properties": {} });
    // Typed list entries, per list pointer: (type key, type value, entry schema, required).
    let mut entries: Vec<(String, String, String, Value, bool)> = Vec::new();
    let mut first_code = true;
    // The pieces that may have more than one place (the code, the message, the status), each
    // with its places: clients read the first one present, so a body needs one of them,
    // whichever (`one_of_places` below), not each that is marked required.
    let pieces: Vec<(Role, Vec<&Member>)> = [
        Role::Code {
            form: CodeForm::Plain,
        },
        Role::Message,
        Role::Status,
    ]
    .into_iter()
    .map(|role| {
        let kind = std::mem::discriminant(&role);
        let places = wire
            .members
            .iter()
            .filter(|m| std::mem::discriminant(&m.role) == kind)
            .collect();
        (role, places)
    })
    .collect();
    let alternatives = |role: &Role| {
        let kind = std::mem::discriminant(role);
        pieces
            .iter()
            .any(|(r, places)| std::mem::discriminant(r) == kind && places.len() > 1)
    };
    for m in &wire.members {
        let Place::Body { pointer, entry } = &m.at else {
            continue;
        };
        let Some(leaf) = leaf(catalog, m, def) else {
            continue;
        };
        let details_required = matches!(m.role, Role::Details)
            && def
                .and_then(|d| d.details.as_ref())
                .is_some_and(|d| d.properties.iter().any(|p| p.required));
        let written_code = matches!(m.role, Role::Code { .. }) && first_code && def.is_some();
        if matches!(m.role, Role::Code { .. }) {
            first_code = false;
        }
        // A constant is the server's promise; clients do not read it, so a body without one is
        // still one they accept, and so does OpenAPI (its `const` stays).
        let required = !alternatives(&m.role)
            && !matches!(m.role, Role::Constant { .. })
            && (m.required || details_required || written_code);
        match entry {
            None => put(&mut root, pointer, leaf, required),
            Some(e) => {
                let index = match entries
                    .iter()
                    .position(|(list, k, v, ..)| list == pointer && *k == e.key && *v == e.value)
                {
                    Some(i) => i,
                    None => {
                        let schema = json!({
                            "type": "object",
                            "properties": { e.key.clone(): { "const": e.value } },
                            "required": [e.key],
                        });
                        entries.push((
                            pointer.clone(),
                            e.key.clone(),
                            e.value.clone(),
                            schema,
                            false,
                        ));
                        entries.len() - 1
                    }
                };
                let slot = &mut entries[index];
                put(&mut slot.3, &e.pointer, leaf, required);
                slot.4 |= required;
            }
        }
    }
    // Each list: an array of objects; a required entry must be in it (`contains`), and every
    // entry of a known type has that type's shape (`if`/`then` on the type key).
    let lists: Vec<String> = entries
        .iter()
        .map(|e| e.0.clone())
        .fold(Vec::new(), |mut v, l| {
            if !v.contains(&l) {
                v.push(l);
            }
            v
        });
    for list in lists {
        let mine: Vec<&(String, String, String, Value, bool)> =
            entries.iter().filter(|e| e.0 == list).collect();
        let shapes: Vec<Value> = mine
            .iter()
            .map(|(_, k, v, schema, _)| {
                json!({ "if": { "properties": { k.clone(): { "const": v } }, "required": [k] }, "then": schema })
            })
            .collect();
        let contains: Vec<Value> = mine
            .iter()
            .filter(|e| e.4)
            .map(|(_, _, _, schema, _)| json!({ "contains": schema }))
            .collect();
        let mut array = json!({
            "type": "array",
            "items": { "type": "object", "allOf": shapes },
        });
        if !contains.is_empty() {
            array["allOf"] = json!(contains);
        }
        let any_required = mine.iter().any(|e| e.4);
        put(&mut root, &list, array, any_required);
    }
    for (role, places) in &pieces {
        let required = places.iter().any(|m| m.required)
            || (def.is_some() && matches!(role, Role::Code { .. }));
        if places.len() > 1
            && required
            && let Some(one) = one_of_places(places)
        {
            all_of(&mut root).push(one);
        }
    }
    root
}

/// A schema that holds when a body has at least one of `places` (`anyOf`, each a chain of
/// required steps to its place; for a typed list entry, a list that `contains` an element of its
/// type with the member), or `None` when one of them is a header, where a body may lack them
/// all.
fn one_of_places(places: &[&Member]) -> Option<Value> {
    let chains: Option<Vec<Value>> = places
        .iter()
        .map(|m| match &m.at {
            Place::Body {
                pointer,
                entry: None,
            } => {
                let mut chain = json!({});
                put(&mut chain, pointer, json!({}), true);
                Some(chain)
            }
            Place::Body {
                pointer,
                entry: Some(e),
            } => {
                let mut element = json!({
                    "type": "object",
                    "properties": { e.key.clone(): { "const": e.value } },
                    "required": [e.key],
                });
                put(&mut element, &e.pointer, json!({}), true);
                let mut chain = json!({});
                put(
                    &mut chain,
                    pointer,
                    json!({ "type": "array", "contains": element }),
                    true,
                );
                Some(chain)
            }
            Place::Header { .. } => None,
        })
        .collect();
    Some(json!({ "anyOf": chains? }))
}
