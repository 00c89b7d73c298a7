//! `src/details.rs`: a struct per code's details (nested enums and objects in a module per code),
//! its message rendering, and a struct per code's response headers.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::doc::{self, Doc};
use super::{Code, Cx, Items, Namer, ident};
use crate::model::{Filter, HeaderType, ObjectSchema, Schema, SchemaKind, TemplatePart};
use crate::naming;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// `String`.
    Str,
    /// A generated string enum (has `as_str`).
    Enum,
    /// Anything else: rendered through its JSON form.
    Other,
}

/// Types generated for one code's details, in its module.
struct Nested {
    names: Namer,
    items: Vec<TokenStream>,
}

/// The Rust type of a schema; nested types are added to `nested` and referred to via `prefix`.
fn rust_type(
    schema: &Schema,
    hint: &str,
    nested: &mut Nested,
    prefix: &TokenStream,
) -> (TokenStream, FieldKind) {
    match &schema.kind {
        SchemaKind::String {
            enum_values: Some(values),
            labels,
            ..
        } => {
            let name = ident(&nested.names.take(&naming::pascal(hint)));
            let item = string_enum(&name, values, labels, schema.description.as_deref());
            nested.items.push(item);
            (quote!(#prefix #name), FieldKind::Enum)
        }
        SchemaKind::String { .. } => (quote!(String), FieldKind::Str),
        SchemaKind::Integer {
            minimum: Some(m), ..
        } if *m >= 0 => (quote!(u64), FieldKind::Other),
        SchemaKind::Integer { .. } => (quote!(i64), FieldKind::Other),
        SchemaKind::Number => (quote!(f64), FieldKind::Other),
        SchemaKind::Boolean => (quote!(bool), FieldKind::Other),
        SchemaKind::Array { items } => {
            let (inner, _) = rust_type(items, &format!("{hint}_item"), nested, prefix);
            (quote!(Vec<#inner>), FieldKind::Other)
        }
        SchemaKind::Object(obj) => {
            let name = ident(&nested.names.take(&naming::pascal(hint)));
            let doc = Doc::new()
                .text(schema.description.as_deref().unwrap_or("A nested object."))
                .tokens();
            let fields = struct_fields(obj, nested, &quote!());
            nested.items.push(quote! {
                #doc
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                pub struct #name { #fields }
            });
            (quote!(#prefix #name), FieldKind::Other)
        }
    }
}

/// The fields of a struct for `obj`, as tokens; nested types go to `nested`.
fn struct_fields(obj: &ObjectSchema, nested: &mut Nested, prefix: &TokenStream) -> TokenStream {
    let fields = plan_fields(obj, nested, prefix);
    quote!( #( #fields )* )
}

fn plan_fields(obj: &ObjectSchema, nested: &mut Nested, prefix: &TokenStream) -> Vec<TokenStream> {
    obj.properties
        .iter()
        .map(|p| {
            let field = ident(&naming::rust_snake(&p.name));
            let (ty, _) = rust_type(&p.schema, &p.name, nested, prefix);
            let doc = match &p.schema.description {
                Some(d) => Doc::new().text(d),
                None => Doc::new().raw(format!("The `{}` field.", p.name)),
            }
            .tokens();
            let rename = rename(&field, &p.name);
            if p.required {
                quote! { #doc #rename pub #field: #ty, }
            } else {
                quote! {
                    #doc
                    #rename
                    #[serde(default, skip_serializing_if = "Option::is_none")]
                    pub #field: Option<#ty>,
                }
            }
        })
        .collect()
}

/// `#[serde(rename = "...")]` when the field's identifier differs from the JSON name.
fn rename(field: &Ident, json: &str) -> TokenStream {
    let plain = field.to_string();
    if plain.trim_start_matches("r#") == json {
        quote!()
    } else {
        quote!(#[serde(rename = #json)])
    }
}

/// A string enum that keeps values this version does not know (`Unknown`-like variant).
fn string_enum(
    name: &Ident,
    values: &[String],
    labels: &[(String, String)],
    description: Option<&str>,
) -> TokenStream {
    let mut names = Namer::new(&[]);
    let variants: Vec<Ident> = values
        .iter()
        .map(|v| ident(&names.take(&naming::pascal(v))))
        .collect();
    let other = ident(&names.take("Unknown"));
    let docs: Vec<TokenStream> = values
        .iter()
        .map(|v| {
            let mut d = Doc::new().raw(format!("The value {}.", doc::code(v)));
            if let Some((_, label)) = labels.iter().find(|(k, _)| k == v) {
                d = d.para().raw("Reads in messages as:").text(label);
            }
            d.tokens()
        })
        .collect();
    let doc = Doc::new()
        .text(description.unwrap_or("A closed set of string values."))
        .tokens();
    let first = values.first().map(String::as_str).unwrap_or_default();
    let other_doc = Doc::new()
        .raw(format!(
            "A value this version does not know (sent by a newer server); kept as sent. Build known values with the other variants ({}), not this one.",
            doc::code(first)
        ))
        .tokens();
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum #name {
            #( #docs #variants, )*
            #other_doc
            #other(String),
        }

        impl #name {
            /// The wire string.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #name::#variants => #values, )*
                    #name::#other(s) => s,
                }
            }
        }

        impl ::core::convert::From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #( #values => #name::#variants, )*
                    other => #name::#other(other.to_owned()),
                }
            }
        }

        string_enum!(#name);
    }
}

/// Whether the schema is, or holds, a string enum (which `string_enum!` completes).
fn has_string_enum(schema: &Schema) -> bool {
    match &schema.kind {
        SchemaKind::String { enum_values, .. } => enum_values.is_some(),
        SchemaKind::Array { items } => has_string_enum(items),
        SchemaKind::Object(obj) => obj.properties.iter().any(|p| has_string_enum(&p.schema)),
        _ => false,
    }
}

/// Which template helpers the generated code calls.
#[derive(Default)]
struct Helpers {
    text: bool,
    capitalize: bool,
}

impl Helpers {
    /// Notes the helpers `code`'s `message()` calls (see `message_body`).
    fn scan(&mut self, code: &Code) {
        let (Some(schema), false) = (&code.def.details, code.def.message.is_constant()) else {
            return;
        };
        for part in &code.def.message.parts {
            if let TemplatePart::Field { name, filter } = part {
                let kind = schema.property(name).map(|p| &p.schema.kind);
                self.text |= !matches!(kind, Some(SchemaKind::String { .. }));
                self.capitalize |= matches!(filter, Some(Filter::Capitalize));
            }
        }
    }
}

pub fn details(cx: &Cx, items: &mut Items) {
    items.push(|| {
        quote! {
            //! Typed details (the `details` object of an error body) and response headers of each
            //! code. Unknown fields in a body's details are ignored when parsing.
        }
    });
    let enums = cx.errors.iter().any(|e| {
        e.def
            .details
            .as_ref()
            .is_some_and(|d| d.properties.iter().any(|p| has_string_enum(&p.schema)))
    });
    if enums {
        items.push_fixed(include_str!("fixed/string_enum.rs"));
    }
    let mut helpers = Helpers::default();
    for code in &cx.errors {
        helpers.scan(code);
        items.push(|| {
            let mut item = TokenStream::new();
            if let (Some(name), Some(schema)) = (&code.details, &code.def.details) {
                item.extend(details_struct(code, name, schema));
            }
            if let Some(name) = &code.headers {
                item.extend(headers_struct(code, name));
            }
            item
        });
    }
    if helpers.text {
        items.push(|| {
            quote! {
                /// A placeholder's text: strings as-is, numbers and booleans in JSON form, arrays
                /// joined with ", " (the catalog's template rules).
                fn text<T: serde::Serialize>(value: &T) -> String {
                    fn scalar(value: &serde_json::Value) -> String {
                        match value {
                            serde_json::Value::String(s) => s.clone(),
                            serde_json::Value::Array(items) => {
                                let items: Vec<String> = items.iter().map(scalar).collect();
                                items.join(", ")
                            }
                            other => other.to_string(),
                        }
                    }
                    let value = serde_json::to_value(value);
                    value.map(|v| scalar(&v)).unwrap_or_default()
                }
            }
        });
    }
    if helpers.capitalize {
        items.push(|| {
            quote! {
                /// The `capitalize` filter: the first character upper-cased.
                fn capitalize(s: &str) -> String {
                    let mut chars = s.chars();
                    match chars.next() {
                        Some(first) => first.to_uppercase().chain(chars).collect(),
                        None => String::new(),
                    }
                }
            }
        });
    }
}

fn details_struct(code: &Code, name: &Ident, schema: &ObjectSchema) -> TokenStream {
    let def = code.def;
    let module = &code.module;
    let mut nested = Nested {
        names: Namer::new(&[]),
        items: Vec::new(),
    };
    let prefix = quote!(self::#module::);
    let fields = struct_fields(schema, &mut nested, &prefix);
    let variant = &code.variant;
    let doc = Doc::new()
        .raw(format!(
            "The details of [`ErrorCode::{variant}`](crate::ErrorCode::{variant}) (`{}`): {}",
            def.code,
            doc::inline(&def.description)
        ))
        .tokens();
    let message = message_body(code, schema);
    let message_doc = Doc::new()
        .raw("The error message for these details, from the catalog's template:")
        .para()
        .text(&def.message.source)
        .tokens();
    let mod_items = &nested.items;
    let module_item = (!mod_items.is_empty()).then(|| {
        let mdoc = Doc::new()
            .raw(format!("Types nested in [`{name}`]."))
            .tokens();
        quote! {
            #mdoc
            pub mod #module {
                #( #mod_items )*
            }
        }
    });
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name { #fields }

        impl #name {
            #message_doc
            pub fn message(&self) -> String {
                #message
            }
        }

        #module_item
    }
}

/// The statements of `message()`: the template rendered from `self`.
fn message_body(code: &Code, schema: &ObjectSchema) -> TokenStream {
    let t = &code.def.message;
    if t.is_constant() {
        let text = crate::template::render(t, Some(schema), None);
        return quote!(String::from(#text));
    }
    let mut stmts = Vec::new();
    for part in &t.parts {
        match part {
            TemplatePart::Text(s) => match single_char(s) {
                Some(c) => stmts.push(quote!(out.push(#c);)),
                None => stmts.push(quote!(out.push_str(#s);)),
            },
            TemplatePart::Field { name, filter } => {
                let p = schema
                    .property(name)
                    .expect("validate: placeholders name properties");
                let field = ident(&naming::rust_snake(name));
                let kind = match &p.schema.kind {
                    SchemaKind::String {
                        enum_values: Some(_),
                        ..
                    } => FieldKind::Enum,
                    SchemaKind::String { .. } => FieldKind::Str,
                    _ => FieldKind::Other,
                };
                let labels: Vec<(&str, &str)> = match &p.schema.kind {
                    SchemaKind::String { labels, .. } => labels
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect(),
                    _ => Vec::new(),
                };
                let value = quote!(value);
                let text = match kind {
                    FieldKind::Str => quote!(#value.as_str()),
                    FieldKind::Enum => quote!(#value.as_str()),
                    FieldKind::Other => quote!(text(#value).as_str()),
                };
                let rendered = match filter {
                    None => quote!(out.push_str(#text);),
                    Some(Filter::Capitalize) => quote!(out.push_str(&capitalize(#text));),
                    Some(Filter::Label) => {
                        // A `match` (one arm per line in both prettyplease and rustfmt), where a
                        // call with an array of pairs would lay out differently.
                        let (keys, vals): (Vec<&str>, Vec<&str>) = labels.into_iter().unzip();
                        quote! {
                            let text = match #text {
                                #( #keys => #vals, )*
                                other => other,
                            };
                            out.push_str(text);
                        }
                    }
                };
                if p.required {
                    stmts.push(quote!({ let value = &self.#field; #rendered }));
                } else {
                    let missing = format!("{{{name}}}");
                    stmts.push(quote! {
                        match &self.#field {
                            Some(value) => { #rendered }
                            None => out.push_str(#missing),
                        }
                    });
                }
            }
        }
    }
    quote! {
        let mut out = String::new();
        #( #stmts )*
        out
    }
}

fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

fn headers_struct(code: &Code, name: &Ident) -> TokenStream {
    let def = code.def;
    let variant = &code.variant;
    let mut names = std::collections::HashSet::new();
    let mut fields = Vec::new();
    let mut required = Vec::new();
    let mut optional = Vec::new();
    for h in &def.headers {
        let mut base = naming::rust_snake(&h.name);
        let plain = naming::rust_snake_plain(&h.name);
        let mut n = 2;
        while !names.insert(base.clone()) {
            base = format!("{plain}_{n}");
            n += 1;
        }
        let field = ident(&base);
        let doc = Doc::new()
            .raw(format!("`{}`:", h.name))
            .text(&h.description)
            .tokens();
        let ty = match h.schema {
            HeaderType::Integer => quote!(u64),
            HeaderType::String => quote!(String),
        };
        let header_name = &h.name;
        if h.required {
            fields.push(quote! { #doc pub #field: #ty, });
            required.push(quote! {
                let value = self.#field.to_string();
                out.push((String::from(#header_name), value));
            });
        } else {
            fields.push(quote! { #doc pub #field: Option<#ty>, });
            optional.push(quote! {
                if let Some(value) = &self.#field {
                    let value = value.to_string();
                    out.push((String::from(#header_name), value));
                }
            });
        }
    }
    let doc = Doc::new()
        .raw(format!(
            "The response headers of [`ErrorCode::{variant}`](crate::ErrorCode::{variant}) (`{}`).",
            def.code
        ))
        .tokens();
    // Statements, not a `vec![...]`: prettyplease prints macro arguments as tokens.
    let body = quote! {
        let mut out = Vec::new();
        #( #required )*
        #( #optional )*
        out
    };
    quote! {
        #doc
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct #name { #( #fields )* }

        impl #name {
            /// The headers as (name, value) pairs, in catalog order; absent ones are left out.
            pub fn to_pairs(&self) -> Vec<(String, String)> {
                #body
            }
        }
    }
}
