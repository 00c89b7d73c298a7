/// The problems of a known code's details (`None`: absent) against its schema.
pub(crate) fn details(code: &str, details: Option<&Value>, schema: &Schema) -> Vec<String> {
    let mut problems = Vec::new();
    match (details, schema) {
        (Some(value), _) => check(value, schema, "details", &mut problems),
        (None, Schema::Object(fields)) => {
            let required: Vec<&str> = fields.iter().filter(|f| f.1).map(|f| f.0).collect();
            if !required.is_empty() {
                let code = Value::from(code);
                let with = required.join(", ");
                problems.push(format!(
                    "details: required for {code} (with {with}), but missing"
                ));
            }
        }
        (None, _) => {}
    }
    problems
}
