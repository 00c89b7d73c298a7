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
