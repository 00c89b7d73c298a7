/// A details struct (or an object nested in one) with the derives every details type has and,
/// for a code's details, `message()`: the catalog's template rendered from the fields. Each
/// part of the template is a string, a `{field}`, or a field with a filter (`capitalize`, or
/// `label` with the labels of the field's values); a field that may be absent says what to
/// show instead (`else`).
macro_rules! details {
    (@part $out:ident, $self:tt, $text:literal) => {
        $out.push_str($text);
    };
    (@part $out:ident, $self:tt, {$field:ident $(else $missing:literal)?}) => {
        $out.push_str(&crate::details::text(&$self.$field, &[$($missing)?], false, &[]));
    };
    (@part $out:ident, $self:tt, {$field:ident $(else $missing:literal)? | capitalize}) => {
        $out.push_str(&crate::details::text(&$self.$field, &[$($missing)?], true, &[]));
    };
    (
        @part $out:ident, $self:tt,
        {$field:ident $(else $missing:literal)? | label $($value:literal => $label:literal),*}
    ) => {
        let labels = &[$(($value, $label)),*];
        $out.push_str(&crate::details::text(&$self.$field, &[$($missing)?], false, labels));
    };
    (
        $(#[$attr:meta])*
        pub struct $name:ident {
            $($(#[$field_attr:meta])* pub $field:ident: $type:ty,)*
        }
        $(
            $(#[$message_attr:meta])*
            message: [$($part:tt),* $(,)?];
        )?
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct $name {
            $($(#[$field_attr])* pub $field: $type,)*
        }

        $(
            impl $name {
                $(#[$message_attr])*
                pub fn message(&self) -> String {
                    let mut out = String::new();
                    $(details!(@part out, self, $part);)*
                    out
                }
            }
        )?
    };
}
