/// Details as the code's typed struct, once they pass `schema` (absent details read as `{}`).
pub(crate) fn typed<T: serde::de::DeserializeOwned>(
    code: &str,
    details: Option<Value>,
    schema: &crate::check::Schema,
) -> Result<Box<T>, ParseError> {
    let problems = crate::check::details(code, details.as_ref(), schema);
    if !problems.is_empty() {
        return Err(ParseError::new(problems));
    }
    let value = details.unwrap_or_else(|| Value::Object(serde_json::Map::new()));
    let details = serde_json::from_value(crate::check::whole(value, schema));
    // Not expected: the checks passed.
    details
        .map(Box::new)
        .map_err(|e| ParseError::new(vec![format!("details: {e}")]))
}

/// A details struct as JSON; `None` when it has no fields to send.
pub(crate) fn object<T: serde::Serialize>(details: &T) -> Option<Value> {
    match serde_json::to_value(details) {
        Ok(Value::Object(map)) if map.is_empty() => None,
        Ok(value) => Some(value),
        Err(_) => None,
    }
}
