impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
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

/// A string that is not a code of this version of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown error code `{}`", self.0)
    }
}

impl std::error::Error for UnknownCode {}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
