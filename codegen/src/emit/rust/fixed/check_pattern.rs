/// A string's `pattern`, spelled for `regex`; like JSON Schema's, it may match anywhere in the
/// string unless it is anchored.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pattern(pub &'static str);

/// Every pattern compiled so far, by its source.
static COMPILED: Mutex<BTreeMap<&str, Regex>> = Mutex::new(BTreeMap::new());

impl Pattern {
    /// Whether `s` matches. Each pattern is compiled once, on first use.
    fn matches(self, s: &str) -> bool {
        let regex = {
            let mut compiled = COMPILED.lock().unwrap_or_else(PoisonError::into_inner);
            let regex = compiled.entry(self.0).or_insert_with(|| {
                Regex::new(self.0).expect("the generator compiled every pattern with regex")
            });
            regex.clone()
        };
        regex.is_match(s)
    }
}
