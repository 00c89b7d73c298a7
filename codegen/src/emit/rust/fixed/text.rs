/// A placeholder's text: strings as-is, numbers and booleans in JSON form, arrays joined with
/// ", " (the catalog's template rules); `missing` when the field is absent, the
/// first character upper-cased for `capitalize`, and a value's label when it has one.
fn text<T: serde::Serialize>(
    value: &T,
    missing: &[&str],
    capitalize: bool,
    labels: &[(&str, &str)],
) -> String {
    fn scalar(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(items) => {
                let items: Vec<String> = items.iter().map(scalar).collect();
                items.join(", ")
            }
            other => other.to_string(),
        }
    }
    let text = match serde_json::to_value(value) {
        Ok(serde_json::Value::Null) => missing.concat(),
        Ok(value) => scalar(&value),
        Err(_) => String::new(),
    };
    if let Some((_, label)) = labels.iter().find(|(value, _)| *value == text) {
        return (*label).to_owned();
    }
    let mut chars = text.chars();
    match (capitalize, chars.next()) {
        (true, Some(first)) => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}
