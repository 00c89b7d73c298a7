//! `src/error.rs` (the envelope and the typed error) and `src/server.rs`: fixed source with the
//! catalog's names, envelope docs and required envelope fields put in.

use super::Cx;
use super::doc::Doc;
use crate::model::EnvelopeFieldName as F;

/// Where the fixed source differs when `request_id` or `timestamp` is a required envelope
/// field: (optional, required) for each.
fn required_field(field: &str) -> [(String, String); 5] {
    [
        (
            format!(
                "    #[serde(default, skip_serializing_if = \"Option::is_none\")]\n    pub {field}: Option<String>,\n"
            ),
            format!("    pub {field}: String,\n"),
        ),
        (
            format!("    pub {field}: Option<String>,\n"),
            format!("    pub {field}: String,\n"),
        ),
        (
            format!("        self.{field} = Some({field}.into());"),
            format!("        self.{field} = {field}.into();"),
        ),
        (
            format!("            {field}: None,"),
            format!("            {field}: String::new(),"),
        ),
        (
            format!("    /// Sets the `{field}`"),
            format!("    /// Sets the `{field}` (constructors leave it empty)"),
        ),
    ]
}

pub fn error(cx: &Cx) -> String {
    let mut out = cx.fixed(include_str!("fixed/error.rs"));
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
        out = out.replace(&format!("    /// @{}\n", name.as_str()), &doc);
    }
    out = out.replace("@api", &super::doc::inline(&cx.catalog.api.name));
    if cx.errors.iter().any(|e| e.details.is_some()) {
        out.push('\n');
        out.push_str(include_str!("fixed/error_details.rs"));
    }
    out
}

pub fn server(cx: &Cx) -> String {
    cx.fixed(include_str!("fixed/server.rs"))
}
