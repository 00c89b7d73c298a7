//! The details schema: a JSON-Schema subset every target can express. Reading it from YAML
//! (rejecting keywords no emitter can map), and checking example values against it.

use std::collections::HashMap;
use std::rc::Rc;

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::model::{Format, ObjectSchema, Property, Schema, SchemaKind};
use crate::naming;
use crate::yaml::{self, Key, Node, Value};

/// Objects and arrays nested deeper than this are rejected: no API needs them, and each level
/// becomes a named type in every target.
pub const MAX_SCHEMA_DEPTH: usize = 8;

/// JSON Schema keywords we know but cannot map; named in the diagnostic instead of "unknown key".
const UNMAPPABLE: &[&str] = &[
    "$ref",
    "$defs",
    "$id",
    "$schema",
    "$anchor",
    "dependentSchemas",
    "unevaluatedProperties",
    "unevaluatedItems",
    "discriminator",
    "definitions",
    "allOf",
    "anyOf",
    "oneOf",
    "not",
    "if",
    "then",
    "else",
    "patternProperties",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "default",
    "examples",
    "nullable",
    "prefixItems",
    "contains",
    "dependentRequired",
    "propertyNames",
    "minProperties",
    "maxProperties",
    "readOnly",
    "writeOnly",
    "title",
];

const TYPES: &[&str] = &["string", "integer", "number", "boolean", "array", "object"];

/// The identifiers a details property becomes, in every target (`emit::property_identifiers`).
type Identifiers = Vec<(&'static str, String)>;

thread_local! {
    /// [`property_identifiers`] by property name: catalogs reuse a few property names across
    /// thousands of codes, and naming every one of them again costs more than the rest of
    /// reading the schema.
    static IDENTIFIERS: std::cell::RefCell<HashMap<String, Rc<Identifiers>>> =
        std::cell::RefCell::new(HashMap::new());
}

/// `emit::property_identifiers`, remembered per thread (the result depends on the name only).
fn property_identifiers(name: &str) -> Rc<Identifiers> {
    IDENTIFIERS.with(|cache| {
        if let Some(ids) = cache.borrow().get(name) {
            return Rc::clone(ids);
        }
        let ids = Rc::new(crate::emit::property_identifiers(name));
        let mut cache = cache.borrow_mut();
        if cache.len() >= 4096 {
            cache.clear();
        }
        cache.insert(name.to_string(), Rc::clone(&ids));
        ids
    })
}

/// The members of TypeScript's `Object` interface (lib.es5.d.ts), which every object type has:
/// an optional details field of one of these names makes objects without it fail to type-check
/// (`toString: () => string` is not a `string | undefined`).
pub(crate) const OBJECT_MEMBERS: &[&str] = &[
    "constructor",
    "toString",
    "toLocaleString",
    "valueOf",
    "hasOwnProperty",
    "isPrototypeOf",
    "propertyIsEnumerable",
];

/// Names OpenAPI's tools cannot take as a key (`@redocly/openapi-core` calls the key's own
/// `hasOwnProperty` and `valueOf`).
pub const OPENAPI_TOOL_BREAKERS: &[&str] = &["hasOwnProperty", "valueOf"];

/// Why a field (of the details or of the wire) cannot have this name, if it cannot: one of
/// [`OPENAPI_TOOL_BREAKERS`], or, when optional, a member of every JavaScript object.
pub fn object_member_name(
    name: &str,
    required: bool,
    span: crate::diagnostic::Span,
) -> Option<Diagnostic> {
    if OPENAPI_TOOL_BREAKERS.contains(&name) {
        return Some(
            Diagnostic::new(span, format!("a field cannot be named `{name}`"))
                .label("breaks OpenAPI tools")
                .help(format!("the OpenAPI tools built on @redocly/openapi-core (redocly, openapi-typescript) call `{name}` on a schema's `properties` and crash on this one: rename the field")),
        );
    }
    (!required && OBJECT_MEMBERS.contains(&name)).then(|| {
        Diagnostic::new(span, format!("an optional field cannot be named `{name}`"))
            .label("optional, and every JavaScript object has one")
            .help(format!(
                "every TypeScript object has `{name}` (from `Object.prototype`), so an object without the field would not type-check: make it required, or rename it"
            ))
    })
}

/// Reads an object schema (`properties`, `required`; `type: object` optional at the top level).
pub fn read_object(
    node: &Node,
    top: bool,
    depth: usize,
    diags: &mut Diagnostics,
) -> Option<ObjectSchema> {
    let entries = yaml::map(node, "a details schema", diags)?;
    let mut properties: Vec<Property> = Vec::new();
    // Each property's identifiers in every target, for the collision check.
    let mut identifiers: Vec<Rc<Identifiers>> = Vec::new();
    // Where each property is named.
    let mut spans: Vec<crate::diagnostic::Span> = Vec::new();
    let mut required_node = None;
    let mut props_node = None;
    for (k, v) in entries {
        match k.name.as_str() {
            "type" if top => {
                if yaml::string(v, "`type`", diags).is_some_and(|t| t != "object") {
                    diags.push(
                        Diagnostic::new(v.span, "a details schema is always `type: object`")
                            .label("expected `object`"),
                    );
                }
            }
            "description" if top => {
                yaml::text(v, "`description`", diags);
            }
            "properties" => props_node = Some(v),
            "required" => required_node = Some(v),
            "additionalProperties" if top => {
                diags.push(
                    Diagnostic::new(k.span, "the details object itself cannot be a map")
                        .label("a map at the top")
                        .help("give it a property that is a map (`type: object` with `additionalProperties: <schema>`)"),
                );
            }
            // `read_schema` read it (a map) or reported it.
            "additionalProperties" => {}
            // Nested objects carry these on the property; `read_schema` consumed them.
            "type" | "description" => {}
            // A nested object's misspelt `type`, which `read_schema` read and reported.
            other
                if !top
                    && !entries.iter().any(|(k, _)| k.name == "type")
                    && !KEYWORDS.contains(&other)
                    && did_you_mean(other, ["type"]).is_some() => {}
            other => {
                diags.push(unknown_keyword(
                    k.span,
                    other,
                    &["type", "description", "properties", "required"],
                ));
                // `requried: [...]` is the `required` list misspelt (reported): read it as such,
                // so that its fields are not taken for optional ones.
                if did_you_mean(other, ["required"]).is_some()
                    && !entries.iter().any(|(k, _)| k.name == "required")
                {
                    required_node = Some(v);
                }
            }
        }
    }
    // Properties written but not read (each problem reported): still declared, so `required`
    // naming one is not reported again.
    let mut unread: Vec<&str> = Vec::new();
    if let Some(p) = props_node {
        for (k, v) in yaml::map(p, "`properties`", diags).unwrap_or(&[]) {
            let valid = k.name.starts_with(|c: char| c.is_ascii_alphabetic())
                && k.name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !valid {
                diags.push(
                    Diagnostic::new(k.span, format!("property name `{}` must start with a letter and hold only letters, digits and `_`", k.name.escape_debug()))
                        .label("invalid property name"),
                );
                unread.push(&k.name);
                continue;
            }
            let ids = property_identifiers(&k.name);
            for (prev, prev_ids) in properties.iter().zip(&identifiers) {
                for ((what, a), (_, b)) in ids.iter().zip(prev_ids.iter()) {
                    if a == b {
                        diags.push(
                            Diagnostic::new(
                                k.span,
                                format!(
                                    "properties `{}` and `{}` both become `{a}` in {what}",
                                    k.name, prev.name
                                ),
                            )
                            .label("identifier collision")
                            .help("rename one of them"),
                        );
                    }
                }
            }
            if let Some(schema) = read_schema(v, depth + 1, diags) {
                properties.push(Property {
                    name: k.name.clone(),
                    required: false,
                    schema,
                });
                identifiers.push(ids);
                spans.push(k.span);
            } else {
                unread.push(&k.name);
            }
        }
    } else if top {
        diags.push(
            Diagnostic::new(node.span, "a details schema needs `properties`")
                .label("no `properties`")
                .help("omit `details` entirely for a code that carries none"),
        );
    }
    if let Some(r) = required_node {
        for item in yaml::seq(r, "`required`", diags).unwrap_or(&[]) {
            let Some(name) = yaml::string(item, "a required field name", diags) else {
                continue;
            };
            match properties.iter_mut().find(|p| p.name == name) {
                Some(p) if p.required => {
                    diags.push(
                        Diagnostic::new(
                            item.span,
                            format!("`{name}` is listed twice in `required`"),
                        )
                        .label("duplicate"),
                    );
                }
                Some(p) => p.required = true,
                None if unread.contains(&name.as_str()) => {}
                None => {
                    let mut d = Diagnostic::new(
                        item.span,
                        format!("required field `{name}` is not in `properties`"),
                    )
                    .label("unknown field");
                    if let Some(s) = did_you_mean(&name, properties.iter().map(|p| p.name.as_str()))
                    {
                        d = d.help(format!("did you mean `{s}`?"));
                    }
                    diags.push(d);
                }
            }
        }
    }
    for (p, span) in properties.iter().zip(&spans) {
        if let Some(d) = object_member_name(&p.name, p.required, *span) {
            diags.push(d);
        }
    }
    // Problems are reported; the schema is still returned, best effort, so that later checks
    // (placeholders, examples) see the fields that were fine instead of cascading.
    Some(ObjectSchema { properties })
}

fn unknown_keyword(span: crate::diagnostic::Span, key: &str, known: &[&str]) -> Diagnostic {
    if UNMAPPABLE.contains(&key) {
        Diagnostic::new(span, format!("the schema keyword `{key}` is not supported: the generators cannot map it to every target"))
            .label("unsupported keyword")
            .note(if key == "nullable" {
                "write `type: [string, \"null\"]` (JSON Schema 2020-12, OpenAPI 3.1) for a value that may be null"
            } else {
                "supported: type (one, or one and \"null\"), description, properties, required, additionalProperties (a map), items, minItems, maxItems, enum, labels, const, format, pattern, minLength, maxLength, minimum, maximum"
            })
    } else {
        let d = Diagnostic::new(span, format!("unknown schema key `{key}`")).label("unknown key");
        if yaml::looks_cut(key) {
            return d.help(yaml::CUT_HELP);
        }
        match did_you_mean(key, known.iter().copied()) {
            Some(s) => d.help(format!("did you mean `{s}`?")),
            None => d.note(format!("known keys here: {}", known.join(", "))),
        }
    }
}

/// Reads a property schema.
fn read_schema(node: &Node, depth: usize, diags: &mut Diagnostics) -> Option<Schema> {
    if depth > MAX_SCHEMA_DEPTH {
        diags.push(
            Diagnostic::new(
                node.span,
                format!("the details schema nests deeper than {MAX_SCHEMA_DEPTH} levels"),
            )
            .label("too deep"),
        );
        return None;
    }
    let entries = yaml::map(node, "a property schema", diags)?;
    let get = |key: &str| entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v);
    // `tpye: string` is `type` misspelt: read as the type, so the property is still declared;
    // the key is reported as unknown (with `type` as the suggestion) with the other keys below.
    let misspelt_type = || {
        entries
            .iter()
            .find(|(k, _)| {
                !KEYWORDS.contains(&k.name.as_str()) && did_you_mean(&k.name, ["type"]).is_some()
            })
            .map(|(_, v)| v)
    };
    let Some(type_node) = get("type").or_else(misspelt_type) else {
        // A schema built from keywords no target maps (`$ref`, `oneOf` ...) has no `type`:
        // name the keyword rather than the missing `type`.
        let unmappable: Vec<&yaml::Key> = entries
            .iter()
            .map(|(k, _)| k)
            .filter(|k| UNMAPPABLE.contains(&k.name.as_str()))
            .collect();
        if unmappable.is_empty() {
            diags.push(
                Diagnostic::new(node.span, "a property schema needs a `type`")
                    .label("no `type`")
                    .note(format!("types: {}", TYPES.join(", "))),
            );
        }
        for k in unmappable {
            diags.push(unknown_keyword(k.span, &k.name, &[]));
        }
        return None;
    };
    let (ty, nullable) = read_type(type_node, diags)?;
    let allowed: &[&str] = match ty.as_str() {
        "string" => &[
            "type",
            "description",
            "format",
            "enum",
            "labels",
            "const",
            "pattern",
            "minLength",
            "maxLength",
        ],
        "integer" => &["type", "description", "minimum", "maximum"],
        "number" => &["type", "description", "minimum", "maximum"],
        "boolean" => &["type", "description"],
        "array" => &["type", "description", "items", "minItems", "maxItems"],
        "object" => &[
            "type",
            "description",
            "properties",
            "required",
            "additionalProperties",
        ],
        other => {
            let mut d = Diagnostic::new(type_node.span, format!("unsupported type `{other}`"))
                .label("unknown type");
            d = match did_you_mean(other, TYPES.iter().copied()) {
                Some(s) => d.help(format!("did you mean `{s}`?")),
                None => d.note(format!("types: {}", TYPES.join(", "))),
            };
            diags.push(d);
            return None;
        }
    };
    for (k, _) in entries {
        if !allowed.contains(&k.name.as_str()) {
            if KEYWORDS.contains(&k.name.as_str()) {
                let mut d = Diagnostic::new(
                    k.span,
                    format!("`{}` does not apply to type `{ty}`", k.name),
                )
                .label("not for this type")
                .note(format!("`{ty}` takes: {}", allowed.join(", ")));
                if k.name == "required" && ty != "object" {
                    // OpenAPI 2's habit: a property says `required: true`.
                    d = d.help("list the property in its object's `required: [...]` instead");
                }
                diags.push(d);
            } else {
                diags.push(unknown_keyword(k.span, &k.name, allowed));
            }
        }
    }
    let description = get("description").and_then(|n| yaml::text(n, "`description`", diags));
    let kind = match ty.as_str() {
        "string" => {
            let format = get("format").and_then(|n| {
                let f = yaml::string(n, "`format`", diags)?;
                match Format::ALL.iter().find(|x| x.as_str() == f) {
                    Some(x) => Some(*x),
                    None => {
                        let mut d = Diagnostic::new(n.span, format!("unsupported format `{f}`"))
                            .label("unknown format");
                        d = match did_you_mean(&f, Format::ALL.iter().map(|x| x.as_str())) {
                            Some(s) => d.help(format!("did you mean `{s}`?")),
                            None => d.note(format!(
                                "formats: {}",
                                Format::ALL
                                    .iter()
                                    .map(|x| x.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            )),
                        };
                        diags.push(d);
                        None
                    }
                }
            });
            let enum_values = get("enum").and_then(|n| read_enum(n, diags));
            let labels = get("labels")
                .map(|n| read_labels(n, enum_values.as_deref(), diags))
                .unwrap_or_default();
            let pattern = get("pattern").and_then(|n| {
                let source = yaml::string(n, "`pattern`", diags)?;
                match crate::pattern::check(&source) {
                    Ok(_) => Some(source),
                    Err(p) => {
                        diags.push(
                            Diagnostic::new(
                                n.span,
                                format!("`pattern` is outside the subset every target reads the same way: {}", p.message),
                            )
                            .label(format!("at byte {} of the pattern", p.offset))
                            .note("patterns use ECMA-262 syntax limited to literals, `.`, classes of literals and ranges, quantifiers, groups, `|`, `^` and `$` (see catalog/README.md)"),
                        );
                        None
                    }
                }
            });
            if let (Some(Format::Phone), Some(n)) = (format, get("pattern")) {
                diags.push(
                    Diagnostic::new(n.span, "`format: phone` has a pattern of its own (E.164)")
                        .label("second pattern")
                        .help("drop `pattern`, or drop `format` and write the whole pattern"),
                );
            }
            let (min_length, max_length) = length_bounds(get, "minLength", "maxLength", diags);
            let constant = get("const").and_then(|n| yaml::string(n, "`const`", diags));
            if let (Some(_), Some(n)) = (&constant, get("enum")) {
                diags.push(
                    Diagnostic::new(
                        n.span,
                        "`const` and `enum` together: a `const` allows one value already",
                    )
                    .label("remove one"),
                );
            }
            let mut kind = SchemaKind::String {
                format,
                enum_values,
                labels,
                constant: None,
                pattern,
                min_length,
                max_length,
            };
            // The constant must itself satisfy the other keywords.
            if let Some(n) = get("const")
                && constant.is_some()
            {
                check_value(n, &kind, "const", diags);
            }
            if let SchemaKind::String { constant: c, .. } = &mut kind {
                *c = constant;
            }
            kind
        }
        "integer" => {
            let mut bound = |key: &str| {
                let node = get(key)?;
                let value = yaml::integer(node, &format!("`{key}`"), diags)?;
                match unsafe_integer(value, node.span, &format!("`{key}`")) {
                    Some(d) => {
                        diags.push(d);
                        None
                    }
                    None => Some(value),
                }
            };
            let minimum = bound("minimum");
            let maximum = bound("maximum");
            empty_range(get, ("minimum", minimum), ("maximum", maximum), diags);
            SchemaKind::Integer { minimum, maximum }
        }
        "number" => {
            let mut bound = |key: &str| {
                let node = get(key)?;
                match node.value {
                    Value::Int(i) => match unsafe_integer(i, node.span, &format!("`{key}`")) {
                        Some(d) => {
                            diags.push(d);
                            None
                        }
                        None => Some(i as f64),
                    },
                    Value::Float(f) if f.is_finite() => Some(f),
                    _ => {
                        diags.push(
                            Diagnostic::new(
                                node.span,
                                format!("`{key}` must be a number, found {}", node.kind()),
                            )
                            .label("expected a number"),
                        );
                        None
                    }
                }
            };
            let minimum = bound("minimum");
            let maximum = bound("maximum");
            empty_range(get, ("minimum", minimum), ("maximum", maximum), diags);
            SchemaKind::Number { minimum, maximum }
        }
        "boolean" => SchemaKind::Boolean,
        "array" => {
            let Some(items) = get("items") else {
                diags.push(
                    Diagnostic::new(node.span, "an array schema needs `items`").label("no `items`"),
                );
                return None;
            };
            let (min_items, max_items) = length_bounds(get, "minItems", "maxItems", diags);
            let items = read_schema(items, depth + 1, diags)?;
            if items.nullable {
                diags.push(
                    Diagnostic::new(get("items").map_or(node.span, |n| n.span), "list items cannot be `null`")
                        .label("nullable items")
                        .help("leave `\"null\"` out of the items' `type`: a list without a value is an empty list"),
                );
            }
            SchemaKind::Array {
                items: Box::new(items),
                min_items,
                max_items,
            }
        }
        _ => {
            match (get("properties"), get("additionalProperties")) {
                (None, Some(values)) if matches!(values.value, Value::Map(_)) => {
                    let values = read_schema(values, depth + 1, diags)?;
                    if values.nullable {
                        diags.push(
                        Diagnostic::new(get("additionalProperties").map_or(node.span, |n| n.span), "map values cannot be `null`")
                            .label("nullable values")
                            .help("leave `\"null\"` out of the values' `type`: leave the key out instead"),
                    );
                    }
                    if let Some(r) = get("required") {
                        diags.push(
                        Diagnostic::new(r.span, "a map (an object with `additionalProperties`) has no `required` keys")
                            .label("not for a map"),
                    );
                    }
                    SchemaKind::Map {
                        values: Box::new(values),
                    }
                }
                (_, Some(extra)) => {
                    let d = if matches!(extra.value, Value::Map(_)) {
                        Diagnostic::new(extra.span, "an object with both `properties` and `additionalProperties` cannot be typed in every target")
                        .label("properties and a map")
                        .help("move the open part into a property of its own that is a map")
                    } else {
                        Diagnostic::new(extra.span, "`additionalProperties` takes a schema (the map's values)")
                        .label("expected a schema")
                        .note("details objects are always open: clients ignore fields they do not know, so a newer server may add fields (`additionalProperties: false` cannot be honoured)")
                    };
                    diags.push(d);
                    get("properties")?;
                    SchemaKind::Object(read_object(node, false, depth, diags)?)
                }
                (None, None) => {
                    diags.push(
                    Diagnostic::new(node.span, "an object schema needs `properties` (or `additionalProperties`, for a map)")
                        .label("no `properties`"),
                );
                    return None;
                }
                (Some(_), None) => SchemaKind::Object(read_object(node, false, depth, diags)?),
            }
        }
    };
    Some(Schema {
        description,
        nullable,
        kind,
    })
}

/// Every keyword a property schema may carry, for "does not apply to type" messages.
const KEYWORDS: &[&str] = &[
    "type",
    "description",
    "format",
    "enum",
    "labels",
    "const",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "items",
    "minItems",
    "maxItems",
    "properties",
    "required",
    "additionalProperties",
];

/// `type: T` or `type: [T, "null"]` (JSON Schema 2020-12, OpenAPI 3.1): the type and whether
/// `null` is allowed.
fn read_type(node: &Node, diags: &mut Diagnostics) -> Option<(String, bool)> {
    let Value::Seq(items) = &node.value else {
        let ty = yaml::string(node, "`type`", diags)?;
        if ty == "null" {
            diags.push(
                Diagnostic::new(node.span, "a field that is always `null` carries nothing")
                    .label("only null")
                    .help("give the field a type, and write `type: [string, \"null\"]` if it may be null"),
            );
            return None;
        }
        return Some((ty, false));
    };
    let names: Vec<String> = items
        .iter()
        .filter_map(|n| yaml::string(n, "a type in `type`", diags))
        .collect();
    if names.len() != items.len() {
        return None;
    }
    let others: Vec<&String> = names.iter().filter(|n| *n != "null").collect();
    if others.len() == 1 && names.len() == 2 {
        return Some((others[0].clone(), true));
    }
    if let [one] = names.as_slice() {
        let help = if one == "null" {
            "give the field a type, and write `type: [string, \"null\"]` if it may be null".into()
        } else {
            format!(
                "write `type: {one}`, or `type: [{one}, \"null\"]` for a value that may be null"
            )
        };
        diags.push(
            Diagnostic::new(node.span, "a list of one type")
                .label("one type")
                .help(help),
        );
        return None;
    }
    diags.push(
        Diagnostic::new(node.span, "a list of types is only supported as one type and `\"null\"`")
            .label("several types")
            .note("write `type: [string, \"null\"]` for a value that may be null; a value of several types has no type in every target"),
    );
    None
}

/// Two non-negative integer bounds (`minLength`/`maxLength`, `minItems`/`maxItems`), the lower
/// one not above the upper one.
fn length_bounds<'a>(
    get: impl Fn(&str) -> Option<&'a Node>,
    lower: &str,
    upper: &str,
    diags: &mut Diagnostics,
) -> (Option<u64>, Option<u64>) {
    let mut read = |key: &str| {
        let node = get(key)?;
        let value = yaml::integer(node, &format!("`{key}`"), diags)?;
        match u64::try_from(value) {
            Ok(v) if value <= MAX_SAFE_INTEGER => Some(v),
            _ => {
                diags.push(
                    Diagnostic::new(
                        node.span,
                        format!("`{key}` must be from 0 to {MAX_SAFE_INTEGER}, found {value}"),
                    )
                    .label("out of range"),
                );
                None
            }
        }
    };
    let lo = read(lower);
    let hi = read(upper);
    empty_range(get, (lower, lo), (upper, hi), diags);
    (lo, hi)
}

/// A lower bound above the upper one (`minimum` 5, `maximum` 1), reported at the lower one.
fn empty_range<'a, T: PartialOrd + std::fmt::Display>(
    get: impl Fn(&str) -> Option<&'a Node>,
    (lower, lo): (&str, Option<T>),
    (upper, hi): (&str, Option<T>),
    diags: &mut Diagnostics,
) {
    if let (Some(l), Some(h)) = (lo, hi)
        && l > h
        && let Some(n) = get(lower)
    {
        diags.push(
            Diagnostic::new(
                n.span,
                format!("`{lower}` {l} is greater than `{upper}` {h}"),
            )
            .label("empty range"),
        );
    }
}

/// `value: prose` pairs; each value once, and one of the `enum` values when there is an enum.
fn read_labels(
    node: &Node,
    enum_values: Option<&[String]>,
    diags: &mut Diagnostics,
) -> Vec<(String, String)> {
    let mut labels: Vec<(String, String)> = Vec::new();
    for (k, v) in yaml::map(node, "`labels`", diags).unwrap_or(&[]) {
        let Some(text) = yaml::text(v, "a label", diags) else {
            continue;
        };
        if labels.iter().any(|(seen, _)| *seen == k.name) {
            diags.push(
                Diagnostic::new(k.span, format!("the label for `{}` is given twice", k.name))
                    .label("duplicate label"),
            );
            continue;
        }
        if OPENAPI_TOOL_BREAKERS.contains(&k.name.as_str()) {
            diags.push(
                Diagnostic::new(k.span, format!("the value `{}` cannot have a label", k.name))
                    .label("breaks OpenAPI tools")
                    .help("labels are OpenAPI's `x-labels` map, and openapi-typescript calls the key's own method of this name and crashes: leave this value unlabelled"),
            );
            continue;
        }
        if k.name.starts_with('$') {
            diags.push(
                Diagnostic::new(k.span, format!("the value `{}` cannot have a label", k.name))
                    .label("breaks OpenAPI tools")
                    .help("labels are OpenAPI's `x-labels` map, whose tools read a key starting with `$` (`$ref`) as a reference or a keyword: leave this value unlabelled"),
            );
            continue;
        }
        if let Some(values) = enum_values
            && !values.contains(&k.name)
        {
            let mut d = Diagnostic::new(
                k.span,
                format!("`{}` has a label but is not one of the enum values", k.name),
            )
            .label("not in `enum`");
            if let Some(s) = did_you_mean(&k.name, values.iter().map(String::as_str)) {
                d = d.help(format!("did you mean `{s}`?"));
            }
            diags.push(d);
            continue;
        }
        labels.push((k.name.clone(), text));
    }
    labels
}

fn read_enum(node: &Node, diags: &mut Diagnostics) -> Option<Vec<String>> {
    let items = yaml::seq(node, "`enum`", diags)?;
    if items.is_empty() {
        diags.push(Diagnostic::new(node.span, "`enum` needs at least one value").label("empty"));
        return None;
    }
    let mut values: Vec<String> = Vec::new();
    // Each identifier's first value: a lookup, so a long enum is checked in linear time.
    let mut named: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in items {
        let Some(v) = yaml::string(item, "an enum value", diags) else {
            continue;
        };
        let ident = naming::pascal(&v);
        if ident.is_empty() {
            diags.push(
                Diagnostic::new(
                    item.span,
                    format!(
                        "enum value `{}` has no ASCII letter or digit to name it by in code",
                        v.escape_debug()
                    ),
                )
                .label("cannot name")
                .note("identifiers in the generated code keep only ASCII letters and digits"),
            );
        } else if v.chars().any(|c| c.is_alphanumeric() && !c.is_ascii()) {
            diags.push(
                Diagnostic::warning(
                    item.span,
                    format!(
                        "enum value `{}` is `{ident}` in code: identifiers keep only ASCII letters and digits",
                        v.escape_debug()
                    ),
                )
                .label(format!("named `{ident}`"))
                .help("spell the value in ASCII if the name reads wrong; the wire keeps the value as written"),
            );
        }
        if !ident.is_empty() {
            match named.get(&ident) {
                Some(&prev) => diags.push(
                    Diagnostic::new(
                        item.span,
                        format!(
                            "enum values `{}` and `{v}` both become `{ident}` in code",
                            values[prev]
                        ),
                    )
                    .label("identifier collision"),
                ),
                None => {
                    named.insert(ident, values.len());
                }
            }
        }
        values.push(v);
    }
    Some(values)
}

/// Checks a YAML value against a schema kind; `path` names it in messages (`details.limit`).
pub fn check_value(node: &Node, kind: &SchemaKind, path: &str, diags: &mut Diagnostics) {
    check(node, kind, false, path, diags);
}

/// Checks a YAML value against an object schema (a code's details).
pub fn check_object_value(node: &Node, obj: &ObjectSchema, path: &str, diags: &mut Diagnostics) {
    match &node.value {
        Value::Map(entries) => check_object(node, obj, entries, path, diags),
        _ => mismatch(node, path, "a mapping", diags),
    }
}

fn mismatch(node: &Node, path: &str, expected: &str, diags: &mut Diagnostics) {
    diags.push(
        Diagnostic::new(
            node.span,
            format!("`{path}` must be {expected}, found {}", node.kind()),
        )
        .label(format!("expected {expected}")),
    );
}

fn check(node: &Node, kind: &SchemaKind, nullable: bool, path: &str, diags: &mut Diagnostics) {
    let mismatch = |diags: &mut Diagnostics, expected: &str| mismatch(node, path, expected, diags);
    if node.value == Value::Null && nullable {
        return;
    }
    match (kind, &node.value) {
        (
            SchemaKind::String {
                format,
                enum_values,
                constant,
                pattern,
                min_length,
                max_length,
                ..
            },
            Value::Str(s),
        ) => {
            if let Some(values) = enum_values
                && !values.contains(s)
            {
                let mut d = Diagnostic::new(
                    node.span,
                    format!("`{path}` is `{s}`, which is not one of its enum values"),
                )
                .label("not in enum")
                .note(format!("allowed: {}", values.join(", ")));
                if let Some(m) = did_you_mean(s, values.iter().map(String::as_str)) {
                    d = d.help(format!("did you mean `{m}`?"));
                }
                diags.push(d);
            }
            if let Some(c) = constant
                && c != s
            {
                diags.push(
                    Diagnostic::new(
                        node.span,
                        format!("`{path}` is `{s}`, but its `const` is `{c}`"),
                    )
                    .label(format!("expected `{c}`")),
                );
            }
            if let Some(f) = format
                && !format_ok(*f, s)
            {
                diags.push(
                    Diagnostic::new(
                        node.span,
                        format!("`{path}` is not a valid `{}` value: `{s}`", f.as_str()),
                    )
                    .label(format!("not {}", f.as_str()))
                    .help(f.what()),
                );
            }
            if let Some(p) = pattern
                && !pattern_matches(p, s)
            {
                diags.push(
                    Diagnostic::new(
                        node.span,
                        format!("`{path}` does not match its pattern `{p}`: `{s}`"),
                    )
                    .label("no match"),
                );
            }
            let len = s.chars().count() as u64;
            if let Some(m) = min_length.filter(|m| len < *m) {
                diags.push(
                    Diagnostic::new(
                        node.span,
                        format!("`{path}` has {len} characters, fewer than its `minLength` {m}"),
                    )
                    .label("too short"),
                );
            }
            if let Some(m) = max_length.filter(|m| len > *m) {
                diags.push(
                    Diagnostic::new(
                        node.span,
                        format!("`{path}` has {len} characters, more than its `maxLength` {m}"),
                    )
                    .label("too long"),
                );
            }
        }
        (SchemaKind::String { .. }, _) => mismatch(diags, "a string"),
        (SchemaKind::Integer { minimum, maximum }, Value::Int(i)) => {
            if let Some(d) = unsafe_integer(*i, node.span, &format!("`{path}`")) {
                diags.push(d);
            }
            if let Some(m) = minimum.filter(|m| i < m) {
                diags.push(
                    Diagnostic::new(node.span, format!("`{path}` is {i}, below its minimum {m}"))
                        .label("out of range"),
                );
            }
            if let Some(m) = maximum.filter(|m| i > m) {
                diags.push(
                    Diagnostic::new(node.span, format!("`{path}` is {i}, above its maximum {m}"))
                        .label("out of range"),
                );
            }
        }
        (SchemaKind::Integer { .. }, _) => mismatch(diags, "an integer"),
        (SchemaKind::Number { minimum, maximum }, Value::Int(_) | Value::Float(_)) => {
            let v = match node.value {
                Value::Int(i) => {
                    if let Some(d) = unsafe_integer(i, node.span, &format!("`{path}`")) {
                        diags.push(d);
                    }
                    i as f64
                }
                Value::Float(f) => f,
                _ => return,
            };
            if let Some(m) = minimum.filter(|m| v < *m) {
                diags.push(
                    Diagnostic::new(node.span, format!("`{path}` is {v}, below its minimum {m}"))
                        .label("out of range"),
                );
            }
            if let Some(m) = maximum.filter(|m| v > *m) {
                diags.push(
                    Diagnostic::new(node.span, format!("`{path}` is {v}, above its maximum {m}"))
                        .label("out of range"),
                );
            }
        }
        (SchemaKind::Number { .. }, _) => mismatch(diags, "a number"),
        (SchemaKind::Boolean, Value::Bool(_)) => {}
        (SchemaKind::Boolean, _) => mismatch(diags, "a boolean"),
        (
            SchemaKind::Array {
                items,
                min_items,
                max_items,
            },
            Value::Seq(values),
        ) => {
            for (i, v) in values.iter().enumerate() {
                check_schema(v, items, &format!("{path}[{i}]"), diags);
            }
            let len = values.len() as u64;
            if let Some(m) = min_items.filter(|m| len < *m) {
                diags.push(
                    Diagnostic::new(
                        node.span,
                        format!("`{path}` has {len} items, fewer than its `minItems` {m}"),
                    )
                    .label("too few items"),
                );
            }
            if let Some(m) = max_items.filter(|m| len > *m) {
                diags.push(
                    Diagnostic::new(
                        node.span,
                        format!("`{path}` has {len} items, more than its `maxItems` {m}"),
                    )
                    .label("too many items"),
                );
            }
        }
        (SchemaKind::Array { .. }, _) => mismatch(diags, "a list"),
        (SchemaKind::Map { values }, Value::Map(entries)) => {
            for (k, v) in entries {
                check_schema(v, values, &format!("{path}.{}", k.name), diags);
            }
        }
        (SchemaKind::Map { .. }, _) => mismatch(diags, "a mapping"),
        (SchemaKind::Object(obj), Value::Map(entries)) => {
            check_object(node, obj, entries, path, diags);
        }
        (SchemaKind::Object(_), _) => mismatch(diags, "a mapping"),
    }
}

/// The entries of a mapping against an object schema: each known field against its schema, no
/// unknown field, every required field present.
fn check_object(
    node: &Node,
    obj: &ObjectSchema,
    entries: &[(Key, Node)],
    path: &str,
    diags: &mut Diagnostics,
) {
    for (k, v) in entries {
        match obj.property(&k.name) {
            Some(p) if !p.required && p.schema.nullable && v.value == Value::Null => {
                diags.push(
                    Diagnostic::new(
                        v.span,
                        format!("`{path}.{}` is optional and nullable: `null` and absent mean the same, and the typed clients write it absent", k.name),
                    )
                    .label("null in an optional field")
                    .help("leave the field out of the example, so that it round-trips"),
                );
            }
            Some(p) => check_schema(v, &p.schema, &format!("{path}.{}", k.name), diags),
            None => {
                let mut d =
                    Diagnostic::new(k.span, format!("`{path}.{}` is not in the schema", k.name))
                        .label("unknown field");
                if yaml::looks_cut(&k.name) {
                    d = d.help(yaml::CUT_HELP);
                } else if let Some(s) =
                    did_you_mean(&k.name, obj.properties.iter().map(|p| p.name.as_str()))
                {
                    d = d.help(format!("did you mean `{s}`?"));
                }
                diags.push(d);
            }
        }
    }
    for p in obj.properties.iter().filter(|p| p.required) {
        if !entries.iter().any(|(k, _)| k.name == p.name) {
            diags.push(
                Diagnostic::new(
                    node.span,
                    format!("`{path}` is missing the required field `{}`", p.name),
                )
                .label(format!("`{}` missing", p.name)),
            );
        }
    }
}

/// Checks a YAML value against a schema, `null` included where the schema allows it.
pub fn check_schema(node: &Node, schema: &Schema, path: &str, diags: &mut Diagnostics) {
    check(node, &schema.kind, schema.nullable, path, diags);
}

/// What a string's length counts, one and many, for [`count`].
pub const CHARACTERS: (&str, &str) = (
    "character (Unicode code point)",
    "characters (Unicode code points)",
);

/// What an array's length counts, one and many, for [`count`].
pub const ITEMS: (&str, &str) = ("item", "items");

/// A length limit as a sentence without a final period: "At least 1 item", "From 2 to 5 items",
/// "Exactly 3 characters (Unicode code points)"; `None` without limits.
pub fn count(lo: Option<u64>, hi: Option<u64>, (one, many): (&str, &str)) -> Option<String> {
    let of = |n: u64| if n == 1 { one } else { many };
    match (lo, hi) {
        (Some(l), Some(h)) if l == h => Some(format!("Exactly {l} {}", of(l))),
        (Some(l), Some(h)) => Some(format!("From {l} to {h} {many}")),
        (Some(l), None) => Some(format!("At least {l} {}", of(l))),
        (None, Some(h)) => Some(format!("At most {h} {}", of(h))),
        (None, None) => None,
    }
}

/// The constraints of the keywords beyond type, format, enum and integer bounds, as short
/// sentences without a final period (`Matches the pattern \`^[a-z]+$\``), for doc comments and
/// the docs' field tables. Text from the catalog is in backticks; each target escapes it.
pub fn constraints(schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    match &schema.kind {
        SchemaKind::String {
            constant,
            pattern,
            min_length,
            max_length,
            ..
        } => {
            if let Some(c) = constant {
                out.push(format!("Always `{c}`"));
            }
            if let Some(p) = pattern {
                out.push(format!("Matches the pattern `{p}`"));
            }
            out.extend(count(*min_length, *max_length, CHARACTERS));
        }
        SchemaKind::Number { minimum, maximum } => {
            let (lo, hi) = (
                minimum.map(crate::template::bound_text),
                maximum.map(crate::template::bound_text),
            );
            match (lo, hi) {
                (Some(l), Some(h)) => out.push(format!("A number from {l} to {h}")),
                (Some(l), None) => out.push(format!("A number, at least {l}")),
                (None, Some(h)) => out.push(format!("A number, at most {h}")),
                (None, None) => {}
            }
        }
        SchemaKind::Array {
            min_items,
            max_items,
            ..
        } => out.extend(count(*min_items, *max_items, ITEMS)),
        SchemaKind::Map { .. } => out.push("An object with any keys".into()),
        _ => {}
    }
    if schema.nullable {
        out.push("May be `null`".into());
    }
    out
}

/// Whether `s` matches a pattern that `read_schema` accepted (unanchored, as JSON Schema says).
pub fn pattern_matches(pattern: &str, s: &str) -> bool {
    crate::pattern::check(pattern)
        .ok()
        .and_then(|p| regex::Regex::new(&p.rust).ok())
        .is_none_or(|re| re.is_match(s))
}

/// The scheme of a URI (RFC 3986: a letter, then letters, digits, `+`, `-` or `.`, before the
/// first `:`), as written; `None` for a relative reference.
pub fn uri_scheme(uri: &str) -> Option<&str> {
    let (scheme, _) = uri.split_once(':')?;
    let valid = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// Whether a string is a valid value of a format.
pub fn format_ok(format: Format, s: &str) -> bool {
    match format {
        Format::DateTime => is_date_time(s),
        Format::Date => is_date(s),
        // RFC 3986 in ASCII, as ajv-formats' `uri` (redocly) and `jsonschema` read it: every `%`
        // before two hex digits, one `#` at most, `[` and `]` only around an IP literal.
        Format::Uri => uri_scheme(s).is_some_and(|scheme| {
            s.is_ascii()
                && !s.contains(|c: char| {
                    c.is_whitespace() || c.is_control() || "<>\"{}|\\^`".contains(c)
                })
                && s.len() > scheme.len() + 1
                && percent_escapes_ok(s)
                && s.matches('#').count() <= 1
                && uri_authority_ok(&s[scheme.len() + 1..])
        }),
        Format::Email => email_ok(s),
        Format::Phone => {
            let digits = s.strip_prefix('+').unwrap_or("");
            (2..=15).contains(&digits.len())
                && digits.bytes().all(|b| b.is_ascii_digit())
                && !digits.starts_with('0')
        }
        Format::Uuid => {
            let groups: Vec<&str> = s.split('-').collect();
            groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
                && groups
                    .iter()
                    .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
        }
    }
}

/// Whether every `%` of `s` starts an escape of two hex digits.
pub(crate) fn percent_escapes_ok(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().all(|(i, &c)| {
        c != b'%'
            || b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    })
}

/// An address as ajv-formats' `email` (full mode, which redocly runs) reads it: a dot-atom
/// local part (`first.last+tag`), `@`, and a host name of two or more labels of ASCII letters,
/// digits and inner hyphens. An internationalized address is `idn-email`, outside the subset.
fn email_ok(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let atom = |a: &str| {
        !a.is_empty()
            && a.bytes()
                .all(|c| c.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~-".contains(&c))
    };
    let label = |l: &str| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
    };
    local.split('.').all(atom) && domain.split('.').count() >= 2 && domain.split('.').all(label)
}

/// After a URI's scheme: an authority (`//host:port`) whose IP literal is closed (`[::1]`), with
/// `[` and `]` nowhere else in the URI, as the validators the OpenAPI outputs go through require.
fn uri_authority_ok(rest: &str) -> bool {
    let Some(after) = rest.strip_prefix("//") else {
        return !rest.contains(['[', ']']);
    };
    let authority = after.split(['/', '?', '#']).next().unwrap_or("");
    let userinfo = authority.rsplit_once('@').map_or("", |(u, _)| u);
    if after[authority.len()..].contains(['[', ']']) || userinfo.contains(['[', ']']) {
        return false;
    }
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    match host.strip_prefix('[') {
        Some(literal) => literal.split_once(']').is_some_and(|(ip, port)| {
            !ip.contains('[') && (port.is_empty() || port.starts_with(':'))
        }),
        None => !host.contains([']', '[']),
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|x| x.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|x| x.parse::<u32>().ok())
    };
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    // Year 0 is in RFC 3339's grammar, but no `date` of Python's (`jsonschema`) holds it.
    if y == 0 {
        return false;
    }
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// RFC 3339 `date-time`: `2026-01-25T10:30:00Z`, with optional fraction and offset.
fn is_date_time(s: &str) -> bool {
    let Some((date, time)) = s.split_once(['T', 't']) else {
        return false;
    };
    if !is_date(date) {
        return false;
    }
    let (clock, offset) = if let Some(t) = time.strip_suffix(['Z', 'z']) {
        (t, "")
    } else if let Some(i) = time.rfind(['+', '-']) {
        (&time[..i], &time[i..])
    } else {
        return false;
    };
    let clock = clock.split_once('.').map_or(clock, |(c, frac)| {
        if !frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()) {
            c
        } else {
            "x"
        }
    });
    let hms: Vec<&str> = clock.split(':').collect();
    let two = |x: &str, max: u32| {
        x.len() == 2
            && x.bytes().all(|b| b.is_ascii_digit())
            && x.parse::<u32>().is_ok_and(|v| v <= max)
    };
    // No leap second (`:60`): the OpenAPI validators the outputs go through reject it.
    let clock_ok = hms.len() == 3 && two(hms[0], 23) && two(hms[1], 59) && two(hms[2], 59);
    let offset_ok = offset.is_empty()
        || offset[1..]
            .split_once(':')
            .is_some_and(|(h, m)| two(h, 23) && two(m, 59));
    clock_ok && offset_ok
}

/// The largest integer every target represents exactly (JavaScript's `Number.MAX_SAFE_INTEGER`).
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// A diagnostic for an integer beyond ±(2^53 - 1), which TypeScript clients cannot represent
/// exactly (and the generated guard rejects).
fn unsafe_integer(value: i64, span: crate::diagnostic::Span, what: &str) -> Option<Diagnostic> {
    (value.unsigned_abs() > MAX_SAFE_INTEGER as u64).then(|| {
        Diagnostic::new(
            span,
            format!("{what} is {value}, beyond ±{MAX_SAFE_INTEGER}, which JavaScript cannot represent exactly"),
        )
        .label("not a safe integer")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert!(format_ok(Format::DateTime, "2026-01-25T10:30:00Z"));
        assert!(format_ok(Format::DateTime, "2026-01-25T10:30:00.123+02:00"));
        assert!(!format_ok(Format::DateTime, "2026-01-25 10:30:00"));
        assert!(!format_ok(Format::DateTime, "2026-13-25T10:30:00Z"));
        assert!(format_ok(Format::Phone, "+1234567890"));
        assert!(!format_ok(Format::Phone, "1234567890"));
        assert!(format_ok(Format::Uri, "http://example.com/webhook"));
        assert!(!format_ok(Format::Uri, "example dot com"));
        assert!(format_ok(Format::Email, "a@b.co"));
        assert!(!format_ok(Format::Email, "a@b"));
        assert!(format_ok(
            Format::Uuid,
            "123e4567-e89b-12d3-a456-426614174000"
        ));
        assert!(format_ok(Format::Date, "2026-01-25"));
        assert!(format_ok(Format::Date, "2024-02-29"));
        for date in [
            "2026-02-29",
            "2026-02-30",
            "2026-04-31",
            "1900-02-29",
            "2026-00-10",
        ] {
            assert!(!format_ok(Format::Date, date), "{date}");
        }
        assert!(!format_ok(Format::DateTime, "2026-12-31T23:59:60Z"));
        assert!(format_ok(Format::Uri, "http://[::1]:8080/x"));
        for uri in ["http://[::1", "http://a]b/", "http://a/<b>"] {
            assert!(!format_ok(Format::Uri, uri), "{uri}");
        }
        // What redocly (ajv-formats) or `jsonschema` refuse, from a sweep (h17).
        for email in [
            "a..b@c.de",
            ".a@b.cd",
            "a.@b.cd",
            "a@b..cd",
            "a@b_c.de",
            "a@-b.de",
            "a@b-.de",
            "a(b)@c.de",
            "a,b@c.de",
            "a@b.c@d.e",
            "a@[1.2.3.4]",
            "é@b.cd",
            "\"ab\"@c.de",
            "a@b.cd-",
            "a\\b@c.de",
            "user@例え.jp",
        ] {
            assert!(!format_ok(Format::Email, email), "{email}");
        }
        for uri in [
            "http://x.test/%zz",
            "http://x.test/%",
            "http://x.test/a#b#c",
            "http://x.test/ä",
            "urn:a:é",
            "http://x.test/a?b=[c]",
            "https://例え.jp/パス",
            "http://[a@x.test/",
        ] {
            assert!(!format_ok(Format::Uri, uri), "{uri}");
        }
        assert!(!format_ok(Format::Date, "0000-01-01"));
        assert!(!format_ok(Format::DateTime, "0000-01-01T00:00:00Z"));
        // And what both accept.
        for email in ["a@b.c1", "x@y.z", "first.last+tag@example.com"] {
            assert!(format_ok(Format::Email, email), "{email}");
        }
        for uri in [
            "a:b",
            "http://x_y.test/",
            "http://-x.test/",
            "http:/x",
            "x+y.z-w:q",
            "http://u@x.test/",
            "http://[::1]/",
            "http://[v1.x]/",
            "http://x.test/%20a#f",
        ] {
            assert!(format_ok(Format::Uri, uri), "{uri}");
        }
    }
}
