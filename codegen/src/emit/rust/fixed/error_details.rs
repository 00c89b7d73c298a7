/// Details as the code's typed struct (absent details read as `{}`).
pub(crate) fn typed<T: serde::de::DeserializeOwned>(
    code: &str,
    details: Option<Value>,
) -> Result<T, ParseError> {
    let value = details.unwrap_or_else(|| Value::Object(serde_json::Map::new()));
    let invalid = |e: serde_json::Error| ParseError {
        message: format!("the details of `{code}` do not match its schema: {e}"),
    };
    serde_json::from_value(value).map_err(invalid)
}

/// A details struct as JSON; `None` when it has no fields to send.
pub(crate) fn object<T: serde::Serialize>(details: &T) -> Option<Value> {
    match serde_json::to_value(details) {
        Ok(Value::Object(map)) if map.is_empty() => None,
        Ok(value) => Some(value),
        Err(_) => None,
    }
}
