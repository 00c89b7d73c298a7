/// A code's response headers: a field per header (`Option` when the header may be absent)
/// and `to_pairs`, the headers as a server sends them.
macro_rules! headers {
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $($(#[$field_attr:meta])* $header:literal => pub $field:ident: $type:ty,)*
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $type,)*
        }

        impl $name {
            /// The headers as (name, value) pairs, in catalog order; absent ones are left out.
            pub fn to_pairs(&self) -> Vec<(String, String)> {
                let mut out = Vec::new();
                $(
                    if let Some(value) = crate::details::HeaderValue::value(&self.$field) {
                        out.push((String::from($header), value));
                    }
                )*
                out
            }
        }
    };
}

/// A header field's value as sent: nothing for an absent optional header.
trait HeaderValue {
    fn value(&self) -> Option<String>;
}

impl HeaderValue for u64 {
    fn value(&self) -> Option<String> {
        Some(self.to_string())
    }
}

impl HeaderValue for String {
    fn value(&self) -> Option<String> {
        Some(self.clone())
    }
}

impl<T: HeaderValue> HeaderValue for Option<T> {
    fn value(&self) -> Option<String> {
        self.as_ref().and_then(T::value)
    }
}
