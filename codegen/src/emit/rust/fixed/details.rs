/// A details struct (or an object nested in one): a row per field, after its wire name, and
/// `optional` before the name of a field that may be absent (read as `None`, and left out
/// when `None`; a field that is only nullable is sent as `null`). serde reads and writes the
/// wire names and ignores unknown fields. For a code's details, `message()`: the catalog's
/// template rendered from the fields. Each part of the template is a string, a `{field}`, or a
/// field with a filter (`capitalize`, or `label` with the labels of the field's values). A
/// `constants` block lists the fields whose value the catalog fixes, as associated constants.
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
    (@optional optional) => {
        true
    };
    (@optional) => {
        false
    };
    // An object without fields reads any object and writes `{}`.
    (@serde $name:ident [] {}) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct as _;
                s.serialize_struct(stringify!($name), 0)?.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map(serde::de::IgnoredAny)?;
                Ok(Self {})
            }
        }
    };
    // An object of constants only reads any object and writes its constants.
    (@serde $name:ident [$($constant:literal = $value:literal,)+] {}) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                crate::details::Object::new(stringify!($name))
                    $(.put($constant, &$value, false))+
                    .serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_map(serde::de::IgnoredAny)?;
                Ok(Self {})
            }
        }
    };
    (
        @serde $name:ident [$($constant:literal = $value:literal,)*]
        { $($($optional:ident)? $wire:literal => $field:ident,)+ }
    ) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                crate::details::Object::new(stringify!($name))
                    $(.put($constant, &$value, false))*
                    $(.put($wire, &self.$field, details!(@optional $($optional)?)))+
                    .serialize(s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::details::Fields::read(d, |fields| {
                    Ok(Self {
                        $($field: fields.take($wire)?,)+
                    })
                })
            }
        }
    };
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_attr:meta])*
                $($optional:ident)? $wire:literal => pub $field:ident: $type:ty,
            )*
        }
        $(
            constants {
                $(
                    $(#[$constant_attr:meta])*
                    $constant:literal => pub const $constant_name:ident = $value:literal;
                )+
            }
        )?
        $(message: [$($part:tt),* $(,)?];)?
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq)]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $type,)*
        }

        // Fields whose value the catalog fixes are constants, written before the fields and
        // checked (like every field) when a body is read.
        $(
            impl $name {
                $(
                    $(#[$constant_attr])*
                    pub const $constant_name: &str = $value;
                )+
            }
        )?

        details!(@serde $name [$($($constant = $value,)+)?] { $($($optional)? $wire => $field,)* });

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
