/// A string enum that keeps values this version does not know: one variant per value, plus
/// one (named by `unknown`) that keeps any other value as sent, with `as_str`, `From<&str>`,
/// `Display` and serde through the wire string.
macro_rules! string_enum {
    (
        $(#[$attr:meta])*
        pub enum $name:ident {
            $($(#[$value_attr:meta])* $variant:ident = $value:literal,)*
        }
        unknown: $unknown:ident;
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$value_attr])* $variant,)*
            /// A value this version does not know (sent by a newer server), kept as sent.
            /// Build known values with the other variants, not this one.
            $unknown(String),
        }

        impl $name {
            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $value,)*
                    $name::$unknown(s) => s,
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($value => $name::$variant,)*
                    other => $name::$unknown(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::details::enum_value(d, |s| Self::from(s))
            }
        }
    };
}

/// A string enum's value read with `from` (through a shared function, not in each impl).
fn enum_value<'de, D: serde::Deserializer<'de>, T>(
    d: D,
    from: fn(&str) -> T,
) -> Result<T, D::Error> {
    let s: std::borrow::Cow<'de, str> = serde::Deserialize::deserialize(d)?;
    Ok(from(&s))
}
