/// A details struct (or an object nested in one) with the derives every details type has and,
/// for a code's details, `message()`: the catalog's template rendered from the fields. Each
/// part of the template is a string, a `{field}`, or a field with a filter (`capitalize`, or
/// `label` with the labels of the field's values).
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
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $($(#[$field_attr:meta])* pub $field:ident: $type:ty,)*
        }
        $(message: [$($part:tt),* $(,)?];)?
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $type,)*
        }

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
