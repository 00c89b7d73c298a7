/// Everything with an entry per code, from one row per code (in `code.rs`): the `ErrorCode`
/// enum (each variant's docs end with the row's status, category, retry policy and docs link)
/// and the table its methods read, the `ErrorKind` enum with its methods, and one
/// constructor per code on the error type. Servers should stop sending a deprecated code, but
/// clients may still match it, so only its constructor is `#[deprecated]`.
macro_rules! error_codes {
    (@kind $code:ident, $details:ident) => {
        ErrorKind::$code
    };
    (@kind $code:ident, $details:ident: $type:ty) => {
        ErrorKind::$code(Box::new($details))
    };
    (@parse $code:ident, $wire:ident, $details:ident) => {
        Ok(ErrorKind::$code)
    };
    (@parse $code:ident, $wire:ident, $details:ident, $schema:expr) => {
        crate::error::typed(&$wire, $details, &$schema).map(ErrorKind::$code)
    };
    (@pattern $code:ident, $details:ident) => {
        ErrorKind::$code
    };
    (@pattern $code:ident, $details:ident: $type:ty) => {
        ErrorKind::$code($details)
    };
    (@json $details:ident) => {
        None
    };
    (@json $details:ident: $type:ty) => {
        crate::error::object::<$type>($details)
    };
    (@headers $headers:ident) => {
        Vec::new()
    };
    (@message $details:ident, literal $message:literal) => {
        String::from($message)
    };
    (@message $details:ident, runtime $message:ident $(, details $type:ty)?) => {
        $message.into()
    };
    (@message $details:ident, details $type:ty) => {
        <$type>::message(&$details)
    };
    (@headers $headers:ident: $type:ty) => {
        $headers.to_pairs()
    };
    (
        error: $error:ident;
        unknown: $unknown:ident;
        $(
            $(#[$attr:meta])*
            $code:ident = $wire:literal {
                status: $status:literal,
                category: $category:ident,
                retry: $retry:ident $({ $($policy:tt)* })?,
                docs_url: $docs_url:literal,
                description: $description:literal,
                template: $template:literal,
                webhook: $webhook:literal,
                constructor: $new:ident,
                $(message: $message:literal,)?
                $(runtime_message: $runtime:ident,)?
                $(details: $details:ty, schema: $schema:expr,)?
                $(headers: $headers:ty,)?
                $(delay($delay_details:ident): $delay:expr,)?
                $(deprecated: $deprecated:literal,)?
            }
        )*
    ) => {
        /// An error code of the catalog: the `error` field of an error body.
        ///
        /// Its wire string is [`ErrorCode::as_str`] (also `Display`, `FromStr` and serde).
        /// New codes may appear in later versions, so matches need a wildcard arm.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(
                $(#[$attr])*
                #[doc = ""]
                #[doc = concat!("- Status: ", $status)]
                #[doc = concat!("- Category: [`Category::", stringify!($category), "`]")]
                #[doc = concat!(
                    "- Retry: [`RetryPolicy::", stringify!($retry),
                    "`](crate::RetryPolicy::", stringify!($retry), ")",
                )]
                #[doc = ""]
                #[doc = concat!("Docs: <", $docs_url, ">")]
                $code,
            )*
        }

        /// What the catalog says about one code; `ErrorCode`'s methods read it.
        struct Info {
            wire: &'static str,
            status: u16,
            category: crate::Category,
            retry: crate::RetryPolicy,
            docs_url: &'static str,
            description: &'static str,
            message_template: &'static str,
            webhook: bool,
        }

        /// The catalog's entry for each code, in `ErrorCode` order.
        static INFOS: [Info; ErrorCode::ALL.len()] = [$(
            Info {
                wire: $wire,
                status: $status,
                category: crate::Category::$category,
                retry: crate::RetryPolicy::$retry $({ $($policy)* })?,
                docs_url: $docs_url,
                description: $description,
                message_template: $template,
                webhook: $webhook,
            },
        )*];

        /// Every code, sorted by wire string (for lookups by binary search), sorted on first use.
        static BY_WIRE: std::sync::OnceLock<Vec<ErrorCode>> = std::sync::OnceLock::new();

        impl ErrorCode {
            /// Every code, in catalog order.
            pub const ALL: [ErrorCode; [$($wire),*].len()] = [$(ErrorCode::$code,)*];

            /// The wire string (`error` in a body).
            pub fn as_str(self) -> &'static str {
                self.info().wire
            }

            /// The HTTP status, which is also the envelope's `code` value.
            pub fn status(self) -> u16 {
                self.info().status
            }

            /// The category the docs list the code under.
            pub fn category(self) -> crate::Category {
                self.info().category
            }

            /// Whether and how a client retries this code.
            pub fn retry_policy(self) -> crate::RetryPolicy {
                self.info().retry
            }

            /// Whether a client may retry this code at all.
            pub fn is_retryable(self) -> bool {
                self.retry_policy().is_retryable()
            }

            /// The code's section in the published docs.
            pub fn docs_url(self) -> &'static str {
                self.info().docs_url
            }

            /// One line on what the code means.
            pub fn description(self) -> &'static str {
                self.info().description
            }

            /// The message template as the catalog writes it (`{field}` placeholders).
            pub fn message_template(self) -> &'static str {
                self.info().message_template
            }

            /// True for codes delivered as webhook event payloads rather than HTTP responses.
            pub fn is_webhook(self) -> bool {
                self.info().webhook
            }

            /// The HTTP status as an `http::StatusCode`.
            #[cfg(feature = "http")]
            pub fn status_code(self) -> http::StatusCode {
                let status = http::StatusCode::from_u16(self.status());
                status.unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR)
            }

            fn info(self) -> &'static Info {
                &INFOS[self as usize]
            }
        }

        impl std::str::FromStr for ErrorCode {
            type Err = crate::UnknownCode;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let by_wire = BY_WIRE.get_or_init(|| {
                    let mut codes = ErrorCode::ALL.to_vec();
                    codes.sort_unstable_by_key(|code| code.as_str());
                    codes
                });
                match by_wire.binary_search_by(|code| code.as_str().cmp(s)) {
                    Ok(i) => Ok(by_wire[i]),
                    Err(_) => Err(crate::UnknownCode(s.to_owned())),
                }
            }
        }

        /// The code of an error with its typed details: one `match` gives both. Details are
        /// boxed, so that the enum stays small whatever the catalog puts in them.
        ///
        /// Later versions may add codes, so matches need a wildcard arm.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $(
                #[doc = concat!("[`ErrorCode::", stringify!($code), "`] (`", $wire, "`).")]
                $code $((Box<$details>))?,
            )*
            /// A code this version does not know (sent by a newer server), kept as sent. Its
            /// retry policy follows its status: 429 waits, 5xx backs off, others never retry.
            $unknown {
                /// The `error` string as sent.
                code: String,
                /// The `details` object as sent.
                details: Option<serde_json::Value>,
            },
        }

        impl ErrorKind {
            /// Reads a code and its details; unknown codes are kept, known ones must have
            /// details that match their schema (unknown fields are ignored).
            pub fn parse(
                code: String,
                details: Option<serde_json::Value>,
            ) -> Result<Self, crate::ParseError> {
                let Ok(known) = code.parse::<ErrorCode>() else {
                    return Ok(ErrorKind::$unknown { code, details });
                };
                match known {
                    $(
                        ErrorCode::$code => {
                            error_codes!(@parse $code, code, details $(, $schema)?)
                        }
                    )*
                }
            }

            /// The code, when this version knows it.
            pub fn code(&self) -> Option<ErrorCode> {
                match self {
                    $(ErrorKind::$code { .. } => Some(ErrorCode::$code),)*
                    ErrorKind::$unknown { .. } => None,
                }
            }

            /// The wire string of the code, known or not.
            pub fn as_str(&self) -> &str {
                match self {
                    $(ErrorKind::$code { .. } => $wire,)*
                    ErrorKind::$unknown { code, .. } => code,
                }
            }

            /// The details as JSON, as they are sent.
            pub fn details_json(&self) -> Option<serde_json::Value> {
                match self {
                    $(
                        error_codes!(@pattern $code, details $(: $details)?) => {
                            error_codes!(@json details $(: $details)?)
                        }
                    )*
                    ErrorKind::$unknown { details, .. } => details.clone(),
                }
            }

            /// The delay in seconds the details give, for codes whose retry policy reads one.
            pub(crate) fn delay_seconds(&self) -> Option<u64> {
                match self {
                    $($(ErrorKind::$code($delay_details) => $delay,)?)*
                    _ => None,
                }
            }
        }

        impl crate::$error {
            $(
                #[doc = concat!(
                    "A [`ErrorCode::", stringify!($code), "`] error (`", $wire, "`, status ",
                    stringify!($status), "): the message from the catalog's template (or as ",
                    "given, for a code whose server writes it), the status from the catalog.",
                )]
                $(#[deprecated = $deprecated])?
                pub fn $new(
                    $($runtime: impl Into<String>,)?
                    $(details: $details,)?
                    $(headers: $headers)?
                ) -> Self {
                    Self::new(
                        error_codes!(
                            @message details
                            $(, literal $message)?
                            $(, runtime $runtime)?
                            $(, details $details)?
                        ),
                        error_codes!(@kind $code, details $(: $details)?),
                        $status,
                        error_codes!(@headers headers $(: $headers)?),
                    )
                }
            )*
        }
    };
}

/// The `Category` enum from one row per category: its variant, id and title.
macro_rules! categories {
    ($($(#[$attr:meta])* $category:ident = $id:literal, $title:literal;)*) => {
        /// A group of codes; one page of the docs each.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Category {
            $($(#[$attr])* $category,)*
        }

        impl Category {
            /// Every category, in the order the docs present them.
            pub const ALL: [Category; [$($id),*].len()] = [$(Category::$category,)*];

            /// The stable id (`rate_limit`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Category::$category => $id,)*
                }
            }

            /// The heading the docs show.
            pub fn title(self) -> &'static str {
                match self {
                    $(Category::$category => $title,)*
                }
            }

            /// The codes of this category, in catalog order.
            pub fn codes(self) -> impl Iterator<Item = ErrorCode> {
                let all = ErrorCode::ALL.into_iter();
                all.filter(move |c| c.category() == self)
            }
        }
    };
}

/// `RETIRED_CODES` from one row per retired code: its wire string, the version that retired it,
/// why, the code to use instead and its docs section.
macro_rules! retired_codes {
    ($(
        $code:literal {
            version: $version:literal,
            reason: $reason:literal,
            replaced_by: $replaced_by:expr,
            docs_url: $docs_url:expr,
        }
    )*) => {
        /// Every code the catalog retired, in catalog order.
        pub static RETIRED_CODES: [RetiredCode; <[&str]>::len(&[$($code),*])] = [$(
            RetiredCode {
                code: $code,
                version: $version,
                reason: $reason,
                replaced_by: $replaced_by,
                docs_url: $docs_url,
            },
        )*];
    };
}
