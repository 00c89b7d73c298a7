//! `src/error.rs` (the envelope and the typed error) and `src/server.rs`: fixed source with the
//! catalog's names, envelope docs and required envelope fields put in.

use super::doc::Doc;
use super::{Cx, string};
use crate::model::EnvelopeFieldName as F;
use crate::wire::{CodeForm, FieldType, Place, Preset, Role};

/// Where the fixed source differs when `request_id` or `timestamp` is a required envelope
/// field: (optional, required) for each.
fn required_field(field: &str) -> [(String, String); 5] {
    [
        (
            text!(
                "    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub {field}: Option<String>,\n"
            ),
            text!("    pub {field}: String,\n"),
        ),
        (
            text!("    pub {field}: Option<String>,\n"),
            text!("    pub {field}: String,\n"),
        ),
        (
            text!("        self.{field} = Some({field}.into());"),
            text!("        self.{field} = {field}.into();"),
        ),
        (
            text!("            {field}: None,"),
            text!("            {field}: String::new(),"),
        ),
        (
            text!("    /// Sets the `{field}`"),
            text!("    /// Sets the `{field}` (constructors leave it empty)"),
        ),
    ]
}

pub fn error(cx: &Cx) -> String {
    if cx.catalog.wire.preset != Preset::Flat {
        return error_wire(cx);
    }
    let mut out = cx.fixed(include_str!("fixed/error.rs")).replacen(
        "\"application/json\"",
        &super::string(&cx.catalog.wire.content_type),
        1,
    );
    let envelope = &cx.catalog.envelope;
    for (required, field) in [
        (cx.request_id_required, "request_id"),
        (cx.timestamp_required, "timestamp"),
    ] {
        if required {
            for (from, to) in required_field(field) {
                debug_assert!(out.contains(&from), "{from}");
                out = out.replace(&from, &to);
            }
        }
    }
    if cx.request_id_required {
        out = out.replace(
            "        if let Some(id) = &self.request_id {\n            write!(f, \" (request_id: {id})\")?;\n        }\n",
            "        if !self.request_id.is_empty() {\n            write!(f, \" (request_id: {})\", self.request_id)?;\n        }\n",
        );
    }
    for name in F::ALL {
        let doc = Doc::new().text(&envelope.field(name).description).outer(4);
        out = out.replace(&text!("    /// @{}\n", name.as_str()), &doc);
    }
    out = out.replace("@api", &super::doc::inline(&cx.catalog.api.name));
    if cx.errors.iter().any(|e| e.details.is_some()) {
        out.push('\n');
        out.push_str(include_str!("fixed/error_details.rs"));
    }
    out
}

pub fn server(cx: &Cx) -> String {
    if cx.catalog.wire.preset != Preset::Flat {
        return cx.fixed(include_str!("fixed/server_wire.rs"));
    }
    cx.fixed(include_str!("fixed/server.rs"))
}

/// `src/error.rs` for a wire other than the flat envelope: the typed error with the wire's
/// fields as a map, read and written by `src/wire.rs`.
fn error_wire(cx: &Cx) -> String {
    let fields: Vec<String> = cx
        .catalog
        .wire
        .neutral_fields()
        .iter()
        .map(|(name, ..)| text!("`{name}`"))
        .collect();
    let fields = if fields.is_empty() {
        "this wire has none".to_string()
    } else {
        fields.join(", ")
    };
    let mut out = cx
        .fixed(include_str!("fixed/error_wire.rs"))
        .replace("@api", &super::doc::inline(&cx.catalog.api.name))
        .replace("@fields", &fields);
    if cx.errors.iter().any(|e| e.details.is_some()) {
        out.push('\n');
        out.push_str(include_str!("fixed/error_details.rs"));
    }
    out
}

/// `src/wire.rs`: the wire's runtime, with the catalog's description as rows of `wire!`.
pub fn wire(cx: &Cx) -> String {
    let wire = &cx.catalog.wire;
    let opt = |v: &Option<String>| match v {
        Some(s) => text!("Some({})", string(s)),
        None => "None".into(),
    };
    let mut rows = text!(
        "wire! {{\n    content_type: {};\n    neighbours: [{}];\n    members: [\n",
        string(&wire.content_type),
        wire.details_neighbours()
            .iter()
            .map(|n| string(n))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for m in &wire.members {
        let at = match &m.at {
            Place::Header { header } => text!("Place::Header({})", string(header)),
            Place::Body {
                pointer,
                entry: None,
            } => text!("Place::Body({})", string(pointer)),
            Place::Body {
                pointer,
                entry: Some(e),
            } => text!(
                "Place::Entry {{ list: {}, key: {}, value: {}, at: {} }}",
                string(pointer),
                string(&e.key),
                string(&e.value),
                string(&e.pointer)
            ),
        };
        let role = match &m.role {
            Role::Code { form } => text!(
                "Role::Code(Form::{})",
                match form {
                    CodeForm::Plain => "Plain",
                    CodeForm::TypeUri => "TypeUri",
                    CodeForm::AwsShape => "AwsShape",
                    CodeForm::Integer => "Integer",
                }
            ),
            Role::Message => "Role::Message".into(),
            Role::Status => "Role::Status".into(),
            Role::Details => "Role::Details".into(),
            Role::Title => "Role::Title".into(),
            Role::GrpcStatus => "Role::GrpcStatus".into(),
            Role::DocsUrl => "Role::DocsUrl".into(),
            Role::Constant { value } => text!("Role::Constant({})", string(value)),
            Role::Field {
                kind: FieldType::Integer,
                ..
            } => "Role::IntegerField".into(),
            Role::Field { .. } => "Role::Field".into(),
            Role::RetryDelay => "Role::RetryDelay".into(),
        };
        rows.push_str(&text!(
            "        Member {{ name: {}, at: {at}, role: {role}, required: {} }},\n",
            string(&m.name),
            m.required
        ));
    }
    rows.push_str("    ];\n    facts: [\n");
    for e in &cx.errors {
        let f = &e.def.wire;
        rows.push_str(&text!(
            "        ({}, {}, {}, {}),\n",
            opt(&f.type_uri),
            opt(&f.title),
            opt(&f.grpc_status),
            opt(&f.docs_url)
        ));
    }
    rows.push_str("    ];\n}\n");
    include_str!("fixed/wire.rs").replace("// @wire\n", &rows)
}
