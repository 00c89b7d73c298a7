//! `catalog.json`: the validated, normalized catalog for tools in other languages and the docs
//! site's search, and `catalog.schema.json`, the JSON Schema that describes it.

use serde_json::{Map, Value, json};

use super::{Artifact, Options};
use crate::model::Catalog;

/// The schema of `catalog.json`, kept beside this file; a test validates the output against it.
pub const SCHEMA: &str = include_str!("catalog.schema.json");

pub fn emit(catalog: &Catalog, options: &Options) -> Vec<Artifact> {
    let mut root = Map::new();
    root.insert("$comment".into(), json!(options.header()));
    root.insert("$schema".into(), json!("./catalog.schema.json"));
    let Value::Object(fields) = serde_json::to_value(catalog).expect("the model serializes") else {
        unreachable!("a struct serializes to an object")
    };
    root.extend(fields);
    // Derived values a consumer would otherwise recompute: docs links and retryability.
    if let Some(Value::Array(errors)) = root.get_mut("errors") {
        for (value, def) in errors.iter_mut().zip(&catalog.errors) {
            if let Value::Object(obj) = value {
                obj.insert("docs_url".into(), json!(catalog.docs_url(def)));
                obj.insert("retryable".into(), json!(def.retry.is_retryable()));
            }
        }
    }
    let mut schema: Value =
        serde_json::from_str(SCHEMA).expect("catalog.schema.json is valid JSON");
    schema["$comment"] = json!(options.header());
    vec![
        Artifact::new("catalog.json", pretty(&Value::Object(root))),
        Artifact::new("catalog.schema.json", pretty(&schema)),
    ]
}

/// Two-space indented JSON with a final newline: the one JSON layout every emitter uses.
pub fn pretty(value: &Value) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("JSON values serialize");
    s.push('\n');
    s
}
