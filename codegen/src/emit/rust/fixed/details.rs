/// A details struct (or an object nested in one): a row per field, after its wire name, and
/// `optional` before the name of a field that may be absent (read as `None`, and left out
/// when `None`; a field that is only nullable is sent as `null`). serde reads and writes the
/// wire names and ignores unknown fields. For a code's details, `message()`: the catalog's
/// template rendered from the fields. Each part of the template is a string, a `{field}`, or a
/// field with a filter (`capitalize`, or `label` with the labels of the field's values).
macro_rules! details {
    (@part $out:ident, $self:tt, $text:literal) => {
        $out.push_str($text);
    };
    (@part $out:ident, $self:tt, {$field:ident}) => {
        $out.push_str(&crate::details::text(&$self.$field, false, &[]));
    };
    (@part $out:ident, $self:tt, {$field:ident | capitalize}) => {
        $out.push_str(&crate::details::text(&$self.$field, true, &[]));
    };
    (@part $out:ident, $self:tt, {$field:ident | label $($value:literal => $label:literal),*}) => {
        $out.push_str(&crate::details::text(&$self.$field, false, &[$(($value, $label)),*]));
    };
    (@put $object:ident, optional $wire:literal, $value:expr) => {
        $object.optional($wire, $value)
    };
    (@put $object:ident, $wire:literal, $value:expr) => {
        $object.field($wire, $value)
    };
    // An object without fields reads any object and writes `{}`.
    (@serde $name:ident {}) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                crate::details::Object::new(stringify!($name)).serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::details::Fields::read(d, |_| Ok($name {}))
            }
        }
    };
    (@serde $name:ident { $($($optional:ident)? $wire:literal => $field:ident,)+ }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut object = crate::details::Object::new(stringify!($name));
                $(details!(@put object, $($optional)? $wire, &self.$field);)+
                object.serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::details::Fields::read(d, |fields| {
                    Ok($name {
                        $($field: fields.take($wire)?,)+
                    })
                })
            }
        }
    };
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $($(#[$field_attr:meta])* $($optional:ident)? $wire:literal => pub $field:ident: $type:ty,)*
        }
        $(message: [$($part:tt),* $(,)?];)?
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $type,)*
        }

        details!(@serde $name { $($($optional)? $wire => $field,)* });

        $(
            impl $name {
                /// The error message for these details: the catalog's template (see
                /// [`ErrorCode::message_template`](crate::ErrorCode::message_template)) with
                /// their values.
                pub fn message(&self) -> String {
                    let mut out = String::new();
                    $(details!(@part out, self, $part);)*
                    out
                }
            }
        )?
    };
}

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
        let (fields, error) = (Vec::new(), None);
        Object {
            name,
            fields,
            error,
        }
    }

    fn field<T: serde::Serialize>(&mut self, name: &'static str, value: &T) {
        match serde_json::to_value(value) {
            Ok(value) => self.fields.push((name, value)),
            Err(e) => self.error = Some(e),
        }
    }

    /// A field that may be absent: left out when `None`.
    fn optional<T: serde::Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(name, value);
        }
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
