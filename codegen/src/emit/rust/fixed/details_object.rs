/// A details object being written: its fields as JSON, in order. The impls that `details!`
/// writes call these few functions rather than serde's generic methods, which keeps the
/// crate quick to check however many codes it has.
struct Object {
    name: &'static str,
    fields: Vec<(&'static str, serde_json::Value)>,
    error: Option<serde_json::Error>,
}

impl Object {
    fn new(name: &'static str) -> Self {
        Object {
            name,
            fields: Vec::new(),
            error: None,
        }
    }

    /// Adds a field; an `optional` one is left out when it has no value (`None`).
    fn put<T: serde::Serialize>(mut self, name: &'static str, value: &T, optional: bool) -> Self {
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Null) if optional => {}
            Ok(value) => self.fields.push((name, value)),
            Err(e) => self.error = Some(e),
        }
        self
    }

    fn serialize<S: serde::Serializer>(self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        if let Some(e) = self.error {
            return Err(serde::ser::Error::custom(e));
        }
        let mut state = s.serialize_struct(self.name, self.fields.len())?;
        for (name, value) in &self.fields {
            state.serialize_field(name, value)?;
        }
        state.end()
    }
}
