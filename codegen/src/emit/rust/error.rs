//! `src/error.rs` (the envelope, the typed error, constructors, retry decision) and `src/server.rs`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::doc::Doc;
use proc_macro2::Ident;

use super::{Code, Cx, Items, ident};
use crate::model::{EnvelopeFieldName as F, SchemaKind};

fn field_doc(cx: &Cx, name: F) -> TokenStream {
    Doc::new()
        .text(&cx.catalog.envelope.field(name).description)
        .tokens()
}

/// `Some(x.into())` or `x.into()`, by the envelope field's `required`.
fn wrap(required: bool, value: TokenStream) -> TokenStream {
    if required {
        quote!(#value.into())
    } else {
        quote!(Some(#value.into()))
    }
}

fn optional_attr(required: bool) -> TokenStream {
    if required {
        quote!()
    } else {
        quote!(#[serde(default, skip_serializing_if = "Option::is_none")])
    }
}

/// The `ErrorKind` path for a match arm at 12 columns whose other text is `rest` wide:
/// lengthened where prettyplease and rustfmt would break the arm apart differently.
fn kind_path(variant: &Ident, rest: usize) -> TokenStream {
    let width = 12 + "ErrorKind::".len() + variant.to_string().len() + rest;
    if super::arm_breaks_differ(width) {
        quote!(crate::error::ErrorKind)
    } else {
        quote!(ErrorKind)
    }
}

/// The `ErrorKind` variants, one per code.
fn kind_variants(cx: &Cx) -> impl Iterator<Item = TokenStream> {
    cx.errors.iter().map(|e| {
        let variant = &e.variant;
        let doc = Doc::new()
            .raw(format!(
                "[`ErrorCode::{variant}`] (`{}`): {}",
                e.def.code,
                super::doc::inline(&e.def.description)
            ))
            .tokens();
        match &e.details {
            Some(d) => quote!(#doc #variant(crate::#d),),
            None => quote!(#doc #variant,),
        }
    })
}

/// The arms of `ErrorKind`'s methods, one per code each: `parse`, `as_str`, `code` and
/// `details_json`.
/// The methods of `ErrorKind` with an arm per code.
#[derive(Clone, Copy)]
enum KindMethod {
    Parse,
    AsStr,
    Code,
    DetailsJson,
}

/// One method's arm per code, each spelled so that prettyplease and rustfmt break it alike.
fn kind_arms(cx: &Cx, method: KindMethod) -> Vec<TokenStream> {
    cx.errors
        .iter()
        .map(|e| {
            let (variant, wire) = (&e.variant, e.def.code.as_str());
            let (v, wire_w) = (variant.to_string().len(), super::lit_width(wire));
            let kind = |rest: usize| kind_path(variant, rest);
            match (method, e.details.is_some()) {
                (KindMethod::Parse, true) => {
                    let k = kind(wire_w + " => (typed(&code, details)?),".len());
                    quote!(#wire => #k::#variant(typed(&code, details)?),)
                }
                (KindMethod::AsStr, true) => {
                    let k = kind("(_) => ,".len() + wire_w);
                    quote!(#k::#variant(_) => #wire,)
                }
                (KindMethod::Code, true) => {
                    let k = kind("(_) => Some(ErrorCode::),".len() + v);
                    quote!(#k::#variant(_) => Some(ErrorCode::#variant),)
                }
                (KindMethod::DetailsJson, true) => {
                    let k = kind("(d) => object(d),".len());
                    quote!(#k::#variant(d) => object(d),)
                }
                (KindMethod::Parse, false) => {
                    let k = kind(wire_w + " => ,".len());
                    quote!(#wire => #k::#variant,)
                }
                (KindMethod::AsStr, false) => {
                    let k = kind(" => ,".len() + wire_w);
                    quote!(#k::#variant => #wire,)
                }
                (KindMethod::Code, false) => {
                    let k = kind(" => Some(ErrorCode::),".len() + v);
                    quote!(#k::#variant => Some(ErrorCode::#variant),)
                }
                (KindMethod::DetailsJson, false) => {
                    let k = kind(" => None,".len());
                    quote!(#k::#variant => None,)
                }
            }
        })
        .collect()
}

/// The arms that read a code's delay from its details (`delay_field`), for the codes that have
/// one.
fn delay_arms(cx: &Cx) -> Vec<TokenStream> {
    let mut arms = Vec::new();
    for e in &cx.errors {
        let (def, variant) = (e.def, &e.variant);
        if let (Some(f), Some(schema)) = (def.retry.delay_field(), &def.details) {
            let p = schema
                .property(f)
                .expect("validate: delay_field is a details property");
            let field = ident(&crate::naming::rust_snake(f));
            let unsigned =
                matches!(p.schema.kind, SchemaKind::Integer { minimum: Some(m), .. } if m >= 0);
            let fw = field.to_string().len();
            let (value, width) = match (p.required, unsigned) {
                (true, true) => (quote!(Some(d.#field)), fw + "Some(d.)".len()),
                (true, false) => (
                    quote!(u64::try_from(d.#field).ok()),
                    fw + "u64::try_from(d.).ok()".len(),
                ),
                (false, true) => (quote!(d.#field), fw + 2),
                (false, false) => (
                    quote!(d.#field.and_then(|v| u64::try_from(v).ok())),
                    fw + 40,
                ),
            };
            let k = kind_path(variant, "(d) => ,".len() + width);
            arms.push(quote!(#k::#variant(d) => #value,));
        }
    }
    arms
}

/// Constructors go in one `impl` block per category, in blocks of at most this many codes, so
/// that no chunk of a large catalog is too large to hold as tokens.
const CONSTRUCTORS_PER_BLOCK: usize = 500;

pub fn error(cx: &Cx, items: &mut Items) {
    let ty = &cx.error_type;
    let unknown = &cx.unknown;
    let (rid_req, ts_req) = (cx.request_id_required, cx.timestamp_required);
    let rid_ty = Cx::envelope_string(rid_req);
    let ts_ty = Cx::envelope_string(ts_req);
    let [d_error, d_message, d_code, d_details, d_rid, d_ts] = F::ALL.map(|f| field_doc(cx, f));
    let (rid_attr, ts_attr) = (optional_attr(rid_req), optional_attr(ts_req));

    let any_details = cx.errors.iter().any(|e| e.details.is_some());
    let typed_fn = any_details.then(|| {
        quote! {
            /// Details as the code's typed struct (absent details read as `{}`).
            fn typed<T: serde::de::DeserializeOwned>(code: &str, details: Option<Value>) -> Result<T, ParseError> {
                let value = details.unwrap_or_else(|| Value::Object(serde_json::Map::new()));
                let invalid = |e: serde_json::Error| ParseError {
                    message: format!("the details of `{code}` do not match its schema: {e}"),
                };
                serde_json::from_value(value).map_err(invalid)
            }

            /// A details struct as JSON; `None` when it has no fields to send.
            fn object<T: serde::Serialize>(details: &T) -> Option<Value> {
                match serde_json::to_value(details) {
                    Ok(Value::Object(map)) if map.is_empty() => None,
                    Ok(value) => Some(value),
                    Err(_) => None,
                }
            }
        }
    });
    let delay = || {
        let delay_arms = delay_arms(cx);
        if delay_arms.is_empty() {
            quote!(let delay: Option<u64> = None;)
        } else {
            quote! {
                let delay: Option<u64> = match &self.kind {
                    #( #delay_arms )*
                    _ => None,
                };
            }
        }
    };
    let display = if rid_req {
        quote! {
            let (code, message) = (self.kind.as_str(), &self.message);
            write!(f, "{code}: {message} (request_id: {})", self.request_id)
        }
    } else {
        quote! {
            write!(f, "{}: {}", self.kind.as_str(), self.message)?;
            if let Some(id) = &self.request_id {
                write!(f, " (request_id: {id})")?;
            }
            Ok(())
        }
    };
    let set_rid = wrap(rid_req, quote!(request_id));
    let set_ts = wrap(ts_req, quote!(timestamp));
    let ty_doc = Doc::new()
        .raw(format!(
            "An error of the {} API: the code with its typed details ([`ErrorKind`]) and the rest of the envelope.",
            super::doc::inline(&cx.catalog.api.name)
        ))
        .para()
        .raw(
            "Parse a response body with [`Self::from_json`] (or serde); build one on a server with the \
             constructor named after the code. `Display` shows the code, the message and the \
             `request_id`: log it, support needs it.",
        )
        .tokens();

    // `use` items in rustfmt's order (`crate` first, then by path).
    items.push_large(|| {
        let kind_variants = kind_variants(cx);
        quote! {
        use crate::{ErrorCode, RetryPolicy};
        use serde::{Deserialize, Serialize};
        use serde_json::Value;
        use std::fmt;

        /// The error envelope as sent on the wire, in wire order. Parses any error body,
        /// whatever its code.
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        pub struct ErrorBody {
            #d_error
            pub error: String,
            #d_message
            pub message: String,
            #d_code
            pub code: u16,
            #d_details
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub details: Option<Value>,
            #d_rid
            #rid_attr
            pub request_id: #rid_ty,
            #d_ts
            #ts_attr
            pub timestamp: #ts_ty,
        }

        /// The code of an error with its typed details: one `match` gives both.
        ///
        /// Later versions may add codes, so matches need a wildcard arm.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ErrorKind {
            #( #kind_variants )*
            /// A code this version does not know (sent by a newer server), kept as sent. Its
            /// retry policy follows its status: 429 waits, 5xx backs off, others never retry.
            #unknown {
                /// The `error` string as sent.
                code: String,
                /// The `details` object as sent.
                details: Option<Value>,
            },
        }
        }
    });
    // One `impl` block per method, each a chunk of its own: one block with every method's
    // arms would be the largest item in the crate, and syn parses a huge item more slowly per
    // byte than several smaller ones.
    items.push_large(|| {
        let arms = kind_arms(cx, KindMethod::Parse);
        quote! {
        impl ErrorKind {
            /// Reads a code and its details; unknown codes are kept, known ones must have
            /// details that match their schema (unknown fields are ignored).
            pub fn parse(code: String, details: Option<Value>) -> Result<Self, ParseError> {
                let kind = match code.as_str() {
                    #( #arms )*
                    _ => {
                        // Fields wider than rustfmt's `struct_lit_width`: one per line in both.
                        let details_as_sent = details;
                        ErrorKind::#unknown {
                            code,
                            details: details_as_sent,
                        }
                    }
                };
                Ok(kind)
            }
        }
        }
    });
    items.push_large(|| {
        let arms = kind_arms(cx, KindMethod::Code);
        quote! {
        impl ErrorKind {
            /// The code, when this version knows it.
            pub fn code(&self) -> Option<ErrorCode> {
                match self {
                    #( #arms )*
                    ErrorKind::#unknown { .. } => None,
                }
            }
        }
        }
    });
    items.push_large(|| {
        let arms = kind_arms(cx, KindMethod::AsStr);
        quote! {
        impl ErrorKind {
            /// The wire string of the code, known or not.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #arms )*
                    ErrorKind::#unknown { code, .. } => code,
                }
            }
        }
        }
    });
    items.push_large(|| {
        let arms = kind_arms(cx, KindMethod::DetailsJson);
        quote! {
        impl ErrorKind {
            /// The details as JSON, as they are sent.
            pub fn details_json(&self) -> Option<Value> {
                match self {
                    #( #arms )*
                    ErrorKind::#unknown { details, .. } => details.clone(),
                }
            }
        }

        #typed_fn
        }
    });
    items.push_large(|| {
        let delay = delay();
        quote! {
        #ty_doc
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(try_from = "ErrorBody", into = "ErrorBody")]
        pub struct #ty {
            /// The code and its typed details.
            pub kind: ErrorKind,
            #d_message
            pub message: String,
            /// The HTTP status (the envelope's `code`).
            pub status: u16,
            #d_rid
            pub request_id: #rid_ty,
            #d_ts
            pub timestamp: #ts_ty,
            /// Response headers a server sends with the error (name, value), such as
            /// `Retry-After`; set by the constructors, empty when parsed from a body.
            pub headers: Vec<(String, String)>,
        }

        impl #ty {
            /// Parses an error response body.
            pub fn from_json(body: &str) -> Result<Self, ParseError> {
                // The envelope first, then its details: through `Deserialize`, a `ParseError`
                // would come back wrapped in a serde error, its prefix repeated.
                let invalid = |e: serde_json::Error| ParseError {
                    message: e.to_string(),
                };
                let envelope: ErrorBody = serde_json::from_str(body).map_err(invalid)?;
                Self::try_from(envelope)
            }

            /// Types an envelope that was already parsed.
            pub fn from_body(body: ErrorBody) -> Result<Self, ParseError> {
                Self::try_from(body)
            }

            /// The code, when this version knows it.
            pub fn code(&self) -> Option<ErrorCode> {
                self.kind.code()
            }

            /// The wire string of the code, known or not.
            pub fn code_str(&self) -> &str {
                self.kind.as_str()
            }

            /// The details as JSON, as they are sent.
            pub fn details_json(&self) -> Option<Value> {
                self.kind.details_json()
            }

            /// The code's retry policy; for unknown codes, the one its status implies.
            pub fn retry_policy(&self) -> RetryPolicy {
                match self.kind.code() {
                    Some(code) => code.retry_policy(),
                    None => RetryPolicy::for_status(self.status),
                }
            }

            /// Whether a client may retry this error at all.
            pub fn is_retryable(&self) -> bool {
                self.retry_policy().is_retryable()
            }

            /// Whether to retry after attempt `attempt` (0-based) failed with this error, and
            /// how long to wait. `retry_after` is the response's `Retry-After` header, if any
            /// (whole seconds; other forms count as absent).
            // The full path makes the signature too long for one line in rustfmt too.
            pub fn retry_decision(&self, attempt: u32, retry_after: Option<&str>) -> crate::retry::RetryDecision {
                #delay
                self.retry_policy().decide(attempt, delay, retry_after)
            }

            /// Sets the `request_id`.
            pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
                self.request_id = #set_rid;
                self
            }

            /// Sets the `timestamp` (RFC 3339).
            pub fn with_timestamp(mut self, timestamp: impl Into<String>) -> Self {
                self.timestamp = #set_ts;
                self
            }

            /// Adds a response header.
            // The full path makes the signature too long for one line in rustfmt too.
            pub fn with_header(mut self, name: impl Into<String>, value: impl std::convert::Into<String>) -> Self {
                self.headers.push((name.into(), value.into()));
                self
            }

            /// The HTTP status as an `http::StatusCode`.
            #[cfg(feature = "http")]
            pub fn status_code(&self) -> http::StatusCode {
                let status = http::StatusCode::from_u16(self.status);
                status.unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
            }
        }
        }
    });
    for category in &cx.catalog.categories {
        let codes: Vec<&Code> = cx
            .errors
            .iter()
            .filter(|e| e.def.category == category.id)
            .collect();
        for block in codes.chunks(CONSTRUCTORS_PER_BLOCK) {
            items.push(|| {
                let doc = Doc::new()
                    .raw(format!(
                        "Constructors of the codes in the category `{}` ({}).",
                        category.id,
                        super::doc::inline(&category.title)
                    ))
                    .tokens();
                let ctors = block.iter().map(|e| constructor(cx, e));
                quote! {
                    #doc
                    impl #ty {
                        #( #ctors )*
                    }
                }
            });
        }
    }
    items.push(|| {
        quote! {

        impl fmt::Display for #ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                #display
            }
        }

        impl std::error::Error for #ty {}

        impl TryFrom<ErrorBody> for #ty {
            type Error = ParseError;

            fn try_from(body: ErrorBody) -> Result<Self, ParseError> {
                Ok(Self {
                    kind: ErrorKind::parse(body.error, body.details)?,
                    message: body.message,
                    status: body.code,
                    request_id: body.request_id,
                    timestamp: body.timestamp,
                    headers: Vec::new(),
                })
            }
        }

        impl From<#ty> for ErrorBody {
            fn from(error: #ty) -> Self {
                ErrorBody {
                    error: error.kind.as_str().to_owned(),
                    details: error.kind.details_json(),
                    message: error.message,
                    code: error.status,
                    request_id: error.request_id,
                    timestamp: error.timestamp,
                }
            }
        }

        /// A body that is not a valid error body: not JSON, not an envelope, or details that do
        /// not match their code.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct ParseError {
            message: String,
        }

        impl fmt::Display for ParseError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "invalid error body: {}", self.message)
            }
        }

        impl std::error::Error for ParseError {}
        }
    });
}

fn constructor(cx: &Cx, e: &Code) -> TokenStream {
    let def = e.def;
    let (ctor, variant) = (&e.ctor, &e.variant);
    let status = Literal::u16_unsuffixed(def.status);
    // The signature on one line, or one parameter per line, in both prettyplease and rustfmt:
    // in between, the return type is spelled as a path (`crate::error::Ty`, not `Self`).
    let names: Vec<String> = [&e.details, &e.headers]
        .into_iter()
        .flatten()
        .map(|n| n.to_string())
        .collect();
    let mut width = "    pub fn () -> Self {".len() + ctor.to_string().len();
    width += names
        .iter()
        .map(|n| "details: crate::".len() + n.len())
        .sum::<usize>();
    width += [cx.request_id_required, cx.timestamp_required]
        .iter()
        .filter(|r| **r)
        .count()
        * "request_id: impl Into<String>".len();
    let n_params =
        names.len() + usize::from(cx.request_id_required) + usize::from(cx.timestamp_required);
    width += 2 * n_params.saturating_sub(1);
    let ty = &cx.error_type;
    let ret = if super::arm_breaks_differ(width) {
        quote!(crate::error::#ty)
    } else {
        quote!(Self)
    };
    let mut params = Vec::new();
    let (message, kind) = match &e.details {
        Some(d) => {
            params.push(quote!(details: crate::#d));
            (
                quote!(details.message()),
                quote!(ErrorKind::#variant(details)),
            )
        }
        None => {
            let text = crate::template::render(&def.message, None, None);
            (quote!(String::from(#text)), quote!(ErrorKind::#variant))
        }
    };
    let headers = match &e.headers {
        Some(h) => {
            params.push(quote!(headers: crate::#h));
            quote!(headers.to_pairs())
        }
        None => quote!(Vec::new()),
    };
    let request_id = if cx.request_id_required {
        params.push(quote!(request_id: impl Into<String>));
        quote!(request_id.into())
    } else {
        quote!(None)
    };
    let timestamp = if cx.timestamp_required {
        params.push(quote!(timestamp: impl Into<String>));
        quote!(timestamp.into())
    } else {
        quote!(None)
    };
    let doc = Doc::new()
        .raw(format!(
            "A [`ErrorCode::{variant}`] error (`{}`, status {}): the message from the catalog's template, the status from the catalog.",
            def.code, def.status
        ))
        .tokens();
    // Servers should stop sending a deprecated code; clients may still match it, so only the
    // constructor carries the attribute (the crate's own tests allow it).
    let deprecated = def.deprecated.as_ref().map(|d| {
        let note = d.text();
        quote!(#[deprecated = #note])
    });
    quote! {
        #doc
        #deprecated
        pub fn #ctor(#( #params ),*) -> #ret {
            Self {
                message: #message,
                kind: #kind,
                status: #status,
                request_id: #request_id,
                timestamp: #timestamp,
                headers: #headers,
            }
        }
    }
}

pub fn server(cx: &Cx, items: &mut Items) {
    items.push(|| server_tokens(cx));
}

fn server_tokens(cx: &Cx) -> TokenStream {
    let ty = &cx.error_type;
    quote! {
        //! `IntoResponse` for the error type (feature `axum`).

        use crate::#ty;
        use axum::body::Body;
        use axum::http::{HeaderName, HeaderValue, StatusCode, header};
        use axum::response::{IntoResponse, Response};

        /// The status, the JSON body and the error's headers (such as `Retry-After`).
        impl IntoResponse for #ty {
            fn into_response(self) -> Response {
                let status = StatusCode::from_u16(self.status);
                let status = status.unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let body = serde_json::to_vec(&self).unwrap_or_default();
                let mut response = Response::new(Body::from(body));
                *response.status_mut() = status;
                let headers = response.headers_mut();
                let json = HeaderValue::from_static("application/json");
                headers.insert(header::CONTENT_TYPE, json);
                for (name, value) in &self.headers {
                    if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_str(value)) {
                        headers.append(name, value);
                    }
                }
                response
            }
        }
    }
}
