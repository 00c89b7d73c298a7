//! `src/code.rs` (`ErrorCode`, `Category`) and `src/retry.rs`.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::doc::{self, Doc};
use super::{Cx, Items, ident};
use crate::model::{Delivery, ErrorDef, RetryPolicy};
use crate::naming;

/// How a policy reads in docs.
pub fn policy_text(policy: &RetryPolicy) -> String {
    match policy {
        RetryPolicy::Never => "never (fix the request instead)".into(),
        RetryPolicy::AfterDelay {
            delay_field: Some(f),
        } => {
            format!(
                "after the delay in `details.{f}`, else the `Retry-After` header, else the default delay"
            )
        }
        RetryPolicy::AfterDelay { delay_field: None } => {
            "after the `Retry-After` header's delay, else the default delay".into()
        }
        RetryPolicy::Backoff {
            delay_field: Some(f),
        } => format!(
            "after the delay in `details.{f}`, else the `Retry-After` header, else with exponential backoff"
        ),
        RetryPolicy::Backoff { delay_field: None } => {
            "after the `Retry-After` header's delay, else with exponential backoff".into()
        }
    }
}

/// Tokens of a `RetryPolicy` value of the generated crate (in `src/code.rs`, where the
/// `after_delay` and `backoff` helpers of `src/retry.rs` are imported: a call lays out the same in prettyplease
/// and rustfmt, a struct literal does not).
pub fn policy_tokens(policy: &RetryPolicy) -> TokenStream {
    match policy {
        RetryPolicy::Never => quote!(crate::RetryPolicy::Never),
        RetryPolicy::AfterDelay {
            delay_field: Some(f),
        } => quote!(after_delay(Some(#f))),
        RetryPolicy::AfterDelay { delay_field: None } => quote!(after_delay(None)),
        RetryPolicy::Backoff {
            delay_field: Some(f),
        } => quote!(backoff(Some(#f))),
        RetryPolicy::Backoff { delay_field: None } => quote!(backoff(None)),
    }
}

/// The documentation of a code, shared by `ErrorCode` and `ErrorKind` variants.
pub fn code_doc(cx: &Cx, def: &ErrorDef) -> Doc {
    let c = cx.catalog;
    let status = c.status(def.status);
    let category = c.category(&def.category);
    let mut d = Doc::new()
        .raw(format!("`{}`: {}", def.code, doc::inline(&def.description)))
        .para()
        .raw(format!(
            "- Status: {} ({})\n- Category: {}\n- Retry: {}",
            def.status,
            doc::inline(&status.description),
            doc::inline(&category.title),
            policy_text(&def.retry)
        ))
        .raw(format!("- Message: {}", doc::inline(&def.message.source)));
    if let Some(since) = &def.since {
        d = d.raw(format!("- Since: {}", doc::inline(since)));
    }
    d = d.para();
    if def.delivery == Delivery::Webhook {
        d = d
            .raw(format!(
                "Delivered as a webhook event payload, not as an HTTP response: {} is only the envelope's `code` value.",
                def.status
            ))
            .para();
    }
    if let Some(dep) = &def.deprecated {
        let mut line = String::from("**Deprecated**");
        if let Some(since) = &dep.since {
            line.push_str(&format!(" since {}", doc::inline(since)));
        }
        let reason = crate::model::Deprecation {
            replaced_by: None,
            ..dep.clone()
        }
        .text();
        line.push_str(&format!(": {}", doc::inline(&reason)));
        if let Some(to) = &dep.replaced_by {
            line.push_str(&format!(
                " Use [`ErrorCode::{}`] (`{to}`) instead.",
                naming::pascal(to)
            ));
        }
        d = d.raw(line).para();
    }
    let r = &def.remediation;
    if !r.common_causes.is_empty() {
        d = d.raw("Common causes:").para();
        for cause in &r.common_causes {
            d = d.raw(format!("- {}", doc::inline(cause)));
        }
        d = d.para();
    }
    if !r.solutions.is_empty() {
        d = d.raw("Solutions:").para();
        for s in &r.solutions {
            d = d.raw(format!("- {}", doc::inline(s)));
        }
        d = d.para();
    }
    if let Some(action) = &r.action {
        d = d.raw(format!("Action: {}", doc::inline(action))).para();
    }
    d.raw(format!("Docs: <{}>", c.docs_url(def)))
}

pub fn code(cx: &Cx, items: &mut Items) {
    let c = cx.catalog;
    let variants: Vec<_> = cx.errors.iter().map(|e| &e.variant).collect();
    let wires: Vec<&str> = cx.errors.iter().map(|e| e.def.code.as_str()).collect();
    let n = Literal::usize_unsuffixed(cx.errors.len());
    // One code: a single-element array lays out differently in rustfmt (`[Info {`), so a const.
    let info_body = match &variants[..] {
        [variant] => quote!(match self { ErrorCode::#variant => &INFO }),
        _ => quote!(&INFOS[self as usize]),
    };
    let infos = |range: std::ops::Range<usize>| {
        let mut entries = cx.errors[range].iter().map(|e| {
            let def = e.def;
            let (wire, status) = (&def.code, Literal::u16_unsuffixed(def.status));
            let category = ident(&naming::pascal(&def.category));
            let retry = policy_tokens(&def.retry);
            let (url, description) = (c.docs_url(def), &def.description);
            let template = &def.message.source;
            let webhook = def.delivery == Delivery::Webhook;
            quote! {
                Info {
                    wire: #wire,
                    status: #status,
                    category: Category::#category,
                    retry: #retry,
                    docs_url: #url,
                    description: #description,
                    message_template: #template,
                    webhook: #webhook,
                }
            }
        });
        if cx.errors.len() == 1 {
            let entry = entries.next();
            quote!(const INFO: Info = #entry;)
        } else {
            quote!(const INFOS: [Info; #n] = [ #( #entries ),* ];)
        }
    };
    let uses = |f: fn(&RetryPolicy) -> bool| cx.errors.iter().any(|e| f(&e.def.retry));
    let helpers: Vec<Ident> = [
        (
            "after_delay",
            uses(|p| matches!(p, RetryPolicy::AfterDelay { .. })),
        ),
        (
            "backoff",
            uses(|p| matches!(p, RetryPolicy::Backoff { .. })),
        ),
    ]
    .into_iter()
    .filter(|(_, used)| *used)
    .map(|(name, _)| ident(name))
    .collect();
    let after_delay = match helpers.as_slice() {
        [] => None,
        [one] => Some(quote!(use crate::retry::#one;)),
        many => Some(quote!(use crate::retry::{ #( #many ),* };)),
    };

    let cat_variants: Vec<_> = c
        .categories
        .iter()
        .map(|k| ident(&naming::pascal(&k.id)))
        .collect();
    let cat_ids: Vec<&str> = c.categories.iter().map(|k| k.id.as_str()).collect();
    let cat_titles: Vec<&str> = c.categories.iter().map(|k| k.title.as_str()).collect();
    let cat_docs: Vec<_> = c
        .categories
        .iter()
        .map(|k| {
            let mut d = Doc::new().raw(format!("`{}`: {}", k.id, doc::inline(&k.title)));
            if let Some(desc) = &k.description {
                d = d.para().text(desc);
            }
            d.tokens()
        })
        .collect();
    let ncat = Literal::usize_unsuffixed(c.categories.len());
    // `ALL` on one line, or one element per line in both prettyplease and rustfmt.
    let all_path = |ty: &str, names: Vec<String>| {
        let line = format!("    pub const ALL: [{ty}; {}] = [];", names.len()).len();
        let short: Vec<String> = names.iter().map(|v| format!("{ty}::{v}")).collect();
        let ty_ident = format_ident!("{ty}");
        if super::array_layouts_differ(line, super::joined_width(short.iter().map(String::as_str)))
        {
            quote!(crate::#ty_ident)
        } else {
            quote!(#ty_ident)
        }
    };
    let all_path_ = all_path(
        "ErrorCode",
        variants.iter().map(|v| v.to_string()).collect(),
    );
    let cat_all_path = all_path(
        "Category",
        cat_variants.iter().map(|v| v.to_string()).collect(),
    );
    let all_path = all_path_;

    // `use` items in rustfmt's order (`crate` first, then by path).
    items.push(|| {
        quote! {
            #after_delay
            use std::fmt;
            use std::str::FromStr;
        }
    });
    items.push_list(cx.errors.len(), "pub enum ErrorCode {", "}", |range| {
        let codes = &cx.errors[range];
        let docs = codes.iter().map(|e| code_doc(cx, e.def).tokens());
        let variants = codes.iter().map(|e| &e.variant);
        quote! {
            /// An error code of the catalog: the `error` field of an error body.
            ///
            /// Its wire string is [`ErrorCode::as_str`] (also `Display`, `FromStr` and serde).
            /// New codes may appear in later versions, so matches need a wildcard arm.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
            #[non_exhaustive]
            pub enum ErrorCode {
                #( #docs #variants, )*
            }
        }
    });
    items.push_large(|| {
        quote! {
            impl ErrorCode {
                /// Every code, in catalog order.
                pub const ALL: [ErrorCode; #n] = [ #( #all_path::#variants ),* ];

                /// The wire string (`error` in a body).
                pub const fn as_str(self) -> &'static str {
                    self.info().wire
                }

                /// The HTTP status, which is also the envelope's `code` value.
                pub const fn status(self) -> u16 {
                    self.info().status
                }

                /// The category the docs list the code under.
                pub const fn category(self) -> Category {
                    self.info().category
                }

                /// Whether and how a client retries this code.
                pub const fn retry_policy(self) -> crate::RetryPolicy {
                    self.info().retry
                }

                /// Whether a client may retry this code at all.
                pub const fn is_retryable(self) -> bool {
                    self.retry_policy().is_retryable()
                }

                /// The code's section in the published docs.
                pub const fn docs_url(self) -> &'static str {
                    self.info().docs_url
                }

                /// One line on what the code means.
                pub const fn description(self) -> &'static str {
                    self.info().description
                }

                /// The message template as the catalog writes it (`{field}` placeholders).
                pub const fn message_template(self) -> &'static str {
                    self.info().message_template
                }

                /// True for codes delivered as webhook event payloads rather than HTTP responses.
                pub const fn is_webhook(self) -> bool {
                    self.info().webhook
                }

                /// The catalog's entry for this code.
                const fn info(self) -> &'static Info {
                    #info_body
                }

                /// The HTTP status as an `http::StatusCode`.
                #[cfg(feature = "http")]
                pub fn status_code(self) -> http::StatusCode {
                    let status = http::StatusCode::from_u16(self.status());
                    status.unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
                }
            }

        }
    });
    items.push(|| {
        quote! {
        /// What the catalog says about one code; `ErrorCode`'s methods read it.
        struct Info {
            wire: &'static str,
            status: u16,
            category: Category,
            retry: crate::RetryPolicy,
            docs_url: &'static str,
            description: &'static str,
            message_template: &'static str,
            webhook: bool,
        }
        }
    });
    if cx.errors.len() == 1 {
        items.push(|| infos(0..1));
    } else {
        let open = format!("const INFOS: [Info; {}] = [", cx.errors.len());
        items.push_list(cx.errors.len(), &open, "];", infos);
    }
    items.push_large(|| quote! {
        impl fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// A string that is not a code of this version of the catalog.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct UnknownCode(pub String);

        impl fmt::Display for UnknownCode {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "unknown error code `{}`", self.0)
            }
        }

        impl std::error::Error for UnknownCode {}

        impl FromStr for ErrorCode {
            type Err = UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    #( #wires => Ok(ErrorCode::#variants), )*
                    other => Err(UnknownCode(other.to_owned())),
                }
            }
        }

        impl serde::Serialize for ErrorCode {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for ErrorCode {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }

        /// A group of codes; one page of the docs each.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Category {
            #( #cat_docs #cat_variants, )*
        }

        impl Category {
            /// Every category, in the order the docs present them.
            pub const ALL: [Category; #ncat] = [ #( #cat_all_path::#cat_variants ),* ];

            /// The stable id (`rate_limit`).
            pub const fn as_str(self) -> &'static str {
                match self { #( Category::#cat_variants => #cat_ids, )* }
            }

            /// The heading the docs show.
            pub const fn title(self) -> &'static str {
                match self { #( Category::#cat_variants => #cat_titles, )* }
            }

            /// The codes of this category, in catalog order.
            pub fn codes(self) -> impl Iterator<Item = ErrorCode> {
                let all = ErrorCode::ALL.into_iter();
                all.filter(move |c| c.category() == self)
            }
        }

        impl fmt::Display for Category {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    });
    retired(cx, items);
}

/// `RetiredCode` and `RETIRED_CODES`: codes the catalog retired, which clients recognise as
/// known-but-retired rather than unknown (an older server may still send them).
fn retired(cx: &Cx, items: &mut Items) {
    let c = cx.catalog;
    let entry = |r: &crate::model::Retired| {
        let (code, version, reason) = (&r.code, &r.version, &r.reason);
        let replaced_by = match &r.replaced_by {
            Some(to) => {
                let v = ident(&naming::pascal(to));
                quote!(Some(ErrorCode::#v))
            }
            None => quote!(None),
        };
        let docs_url = match &r.category {
            Some(cat) => {
                let url = format!(
                    "{}/{}.html#{}",
                    c.api.docs_url,
                    naming::docs_page(cat),
                    naming::docs_anchor(code)
                );
                quote!(Some(#url))
            }
            None => quote!(None),
        };
        quote! {
            RetiredCode {
                code: #code,
                version: #version,
                reason: #reason,
                replaced_by: #replaced_by,
                docs_url: #docs_url,
            }
        }
    };
    let n = Literal::usize_unsuffixed(c.retired.len());
    // One entry: a single-element array of a struct lays out differently in rustfmt, so a const.
    let list = match &c.retired[..] {
        [one] => {
            let one = entry(one);
            quote! {
                const RETIRED: RetiredCode = #one;
                /// Every code the catalog retired, in catalog order.
                pub static RETIRED_CODES: [RetiredCode; 1] = [RETIRED];
            }
        }
        all => {
            let entries = all.iter().map(entry);
            quote! {
                /// Every code the catalog retired, in catalog order.
                pub static RETIRED_CODES: [RetiredCode; #n] = [ #( #entries ),* ];
            }
        }
    };
    items.push(move || {
        quote! {
            /// A code the catalog retired: servers no longer send it, and its name is never reused.
            /// An older server may still send it; [`RetiredCode::find`] tells it from an unknown code.
            #[derive(Debug, Clone, Copy, PartialEq, Eq)]
            pub struct RetiredCode {
                /// The wire string it had.
                pub code: &'static str,
                /// The catalog version that retired it.
                pub version: &'static str,
                /// Why it was retired.
                pub reason: &'static str,
                /// The code to use instead, if any.
                pub replaced_by: Option<ErrorCode>,
                /// Its docs section, kept so that old links resolve.
                pub docs_url: Option<&'static str>,
            }

            impl RetiredCode {
                /// The retirement of `code`, or `None` when it is live or unknown.
                pub fn find(code: &str) -> Option<&'static RetiredCode> {
                    RETIRED_CODES.iter().find(|r| r.code == code)
                }
            }

            #list
        }
    });
}

pub fn retry(cx: &Cx, items: &mut Items) {
    items.push(|| retry_tokens(cx));
}

fn retry_tokens(cx: &Cx) -> TokenStream {
    let r = &cx.catalog.retry;
    let max = Literal::u32_unsuffixed(r.max_attempts);
    let initial = Literal::u64_unsuffixed(r.initial_delay_ms);
    let mult = Literal::u32_unsuffixed(r.multiplier);
    let cap = Literal::u64_unsuffixed(r.max_delay_ms);
    let default = Literal::u64_unsuffixed(r.default_delay_seconds);
    quote! {
        use std::time::Duration;

        /// Whether and how a client retries a code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RetryPolicy {
            /// Do not retry: fix the request instead.
            Never,
            /// Wait as long as the server says: the details field `delay_field` (seconds) when
            /// present, else the `Retry-After` header, else [`RetryConfig::default_delay_seconds`].
            AfterDelay {
                /// The details field holding the delay in seconds, if the code has one.
                delay_field: Option<&'static str>,
            },
            /// Exponential backoff per [`RetryConfig`], unless the server says how long to
            /// wait: the details field `delay_field` (seconds) when present, else the
            /// `Retry-After` header, replaces the backoff delay of that attempt.
            Backoff {
                /// The details field holding the delay in seconds, if the code has one.
                delay_field: Option<&'static str>,
            },
        }

        impl RetryPolicy {
            /// The policy a status implies, applied to codes this version does not know:
            /// 429 waits, 5xx backs off, anything else is never retried.
            pub const fn for_status(status: u16) -> Self {
                match status {
                    429 => after_delay(None),
                    500..=599 => backoff(None),
                    _ => RetryPolicy::Never,
                }
            }

            /// False only for [`RetryPolicy::Never`].
            pub const fn is_retryable(self) -> bool {
                !matches!(self, RetryPolicy::Never)
            }

            /// The decision after attempt `attempt` (0-based) failed with this policy.
            /// `delay_seconds` is the value of the code's delay field, if any;
            /// `retry_after` is the `Retry-After` header (whole seconds; other forms count as absent).
            pub fn decide(self, attempt: u32, delay_seconds: Option<u64>, retry_after: Option<&str>) -> RetryDecision {
                if attempt.saturating_add(1) >= RETRY.max_attempts {
                    return RetryDecision::DoNotRetry;
                }
                match self {
                    RetryPolicy::Never => RetryDecision::DoNotRetry,
                    RetryPolicy::AfterDelay { .. } => {
                        let seconds = delay_seconds
                            .or_else(|| retry_after.and_then(parse_retry_after))
                            .unwrap_or(RETRY.default_delay_seconds);
                        RetryDecision::RetryAfter(Duration::from_secs(seconds))
                    }
                    RetryPolicy::Backoff { .. } => {
                        let header = retry_after.and_then(parse_retry_after);
                        let delay = match delay_seconds.or(header) {
                            Some(seconds) => Duration::from_secs(seconds),
                            None => RETRY.backoff_delay(attempt),
                        };
                        RetryDecision::RetryAfter(delay)
                    }
                }
            }
        }

        /// [`RetryPolicy::AfterDelay`] with this delay field (a call, where a struct literal would
        /// lay out differently in prettyplease and rustfmt).
        pub(crate) const fn after_delay(seconds_field: Option<&'static str>) -> RetryPolicy {
            RetryPolicy::AfterDelay {
                delay_field: seconds_field,
            }
        }

        /// [`RetryPolicy::Backoff`] with this delay field.
        pub(crate) const fn backoff(seconds_field: Option<&'static str>) -> RetryPolicy {
            RetryPolicy::Backoff {
                delay_field: seconds_field,
            }
        }

        /// A `Retry-After` value in whole seconds; `None` for anything else (HTTP dates included).
        pub(crate) fn parse_retry_after(value: &str) -> Option<u64> {
            value.trim().parse().ok()
        }

        /// Catalog-wide retry parameters.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct RetryConfig {
            /// Attempts in total, the first included.
            pub max_attempts: u32,
            /// The backoff delay before the first retry, in milliseconds.
            pub initial_delay_ms: u64,
            /// The factor between consecutive backoff delays.
            pub multiplier: u32,
            /// The largest backoff delay, in milliseconds.
            pub max_delay_ms: u64,
            /// The wait for a rate-limited code when neither its details nor `Retry-After` say.
            pub default_delay_seconds: u64,
        }

        impl RetryConfig {
            /// The backoff delay before retry `attempt` (0-based):
            /// `initial_delay_ms * multiplier^attempt`, capped at `max_delay_ms`.
            pub const fn backoff_delay(&self, attempt: u32) -> Duration {
                let factor = (self.multiplier as u64).saturating_pow(attempt);
                let ms = self.initial_delay_ms.saturating_mul(factor);
                let cap = self.max_delay_ms;
                Duration::from_millis(if ms < cap { ms } else { cap })
            }
        }

        /// The catalog's retry parameters.
        pub const RETRY: RetryConfig = RetryConfig {
            max_attempts: #max,
            initial_delay_ms: #initial,
            multiplier: #mult,
            max_delay_ms: #cap,
            default_delay_seconds: #default,
        };

        /// What a client does after a failed attempt. The caller does the waiting.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum RetryDecision {
            /// Give up (or fix the request): the error is final.
            DoNotRetry,
            /// Retry after waiting this long.
            RetryAfter(Duration),
        }

        impl RetryDecision {
            /// True for [`RetryDecision::RetryAfter`].
            pub const fn should_retry(self) -> bool {
                matches!(self, RetryDecision::RetryAfter(_))
            }

            /// How long to wait before retrying, if retrying.
            pub const fn delay(self) -> Option<Duration> {
                match self {
                    RetryDecision::RetryAfter(d) => Some(d),
                    RetryDecision::DoNotRetry => None,
                }
            }
        }
    }
}
