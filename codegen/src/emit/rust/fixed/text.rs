/// A placeholder's text: strings as-is, numbers and booleans in JSON form, arrays joined with
/// ", " (the catalog's template rules); the first character upper-cased for `capitalize`, and
/// a value's label when it has one.
fn text<T: serde::Serialize>(value: &T, capitalize: bool, labels: &[(&str, &str)]) -> String {
    fn scalar(value: &serde_json::Value) -> String {
        match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(items) => {
                let items: Vec<String> = items.iter().map(scalar).collect();
                items.join(", ")
            }
            serde_json::Value::Number(n) if n.is_f64() => {
                n.as_f64().map_or_else(String::new, float_text)
            }
            other => other.to_string(),
        }
    }
    let text = serde_json::to_value(value).map_or_else(|_| String::new(), |v| scalar(&v));
    if let Some((_, label)) = labels.iter().find(|(value, _)| *value == text) {
        return (*label).to_owned();
    }
    let mut chars = text.chars();
    match (capitalize, chars.next()) {
        (true, Some(first)) => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}
