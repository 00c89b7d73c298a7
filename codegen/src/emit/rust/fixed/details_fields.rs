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

/// A details object as read, its fields taken out by wire name; what is left is ignored.
struct Fields(serde_json::Map<String, serde_json::Value>);

impl Fields {
    /// Reads an object and builds `T` from its fields with `build`.
    fn read<'de, D: serde::Deserializer<'de>, T>(
        d: D,
        build: fn(&mut Fields) -> Result<T, serde_json::Error>,
    ) -> Result<T, D::Error> {
        let map = serde::Deserialize::deserialize(d)?;
        build(&mut Fields(map)).map_err(serde::de::Error::custom)
    }

    /// The field named `name`; an absent one reads as `None` where the type allows it.
    fn take<T: serde::de::DeserializeOwned>(
        &mut self,
        name: &'static str,
    ) -> Result<T, serde_json::Error> {
        match self.0.remove(name) {
            Some(value) => serde_json::from_value(value),
            None => serde_json::from_value(serde_json::Value::Null)
                .map_err(|_| serde::de::Error::missing_field(name)),
        }
    }
}
