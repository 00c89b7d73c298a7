//! The fast path for one large file on every core. The items of its `errors:` list are cut into
//! runs at the lines where an item starts, and the file into pieces parsed on their own as YAML
//! documents (`fast::document`, their spans moved to the pieces' places in the file): the head
//! (up to the `errors:` list, and its first run, so that the list starts as in the whole file),
//! each other run, and the tail (from the root's next key after the list). The runs' items are
//! appended to the head's list, and the tail's keys to its root.
//!
//! It is sound because it checks, not because it knows YAML: any piece that does not parse as
//! what it should be (the head a mapping ending with `errors`, a run a sequence, the tail a
//! mapping without the head's keys), or anything unusual in the file (a carriage return, a
//! root that is not a block mapping whose first line is a plain key, a tail that does not start
//! with one) returns `None`, and the file is parsed whole. A line that looks like an item at the
//! list's indentation but belongs to a quoted scalar or a flow collection leaves the piece
//! before it unterminated, so that piece does not parse; inside a block scalar such a line
//! cannot be, as it is not indented more than the item. The tests hold it to the whole parse
//! (spans included) on every catalog in the repository, on generated catalogs, on files written
//! to trip it and on thousands of randomly edited catalogs.

use super::fast::{self, Base};
use super::{Node, Value};

/// Files smaller than this are parsed whole: threads would not pay.
const MIN_BYTES: usize = 1 << 20;
/// Runs per core, so that runs of uneven cost still keep every core busy.
const RUNS_PER_CORE: usize = 4;

/// The `errors:` list of a file: where its key is, the bytes its items take, and where each
/// item starts (its offset, and the lines before it).
#[derive(Debug)]
struct List {
    key: usize,
    start: usize,
    end: usize,
    /// The lines before `end`.
    end_line: u32,
    items: Vec<(usize, u32)>,
}

/// The root of `text` (file number `file`), or `None` when it is small or not laid out as the
/// module doc says.
pub(super) fn parse(file: u32, text: &str) -> Option<Node> {
    if text.len() < MIN_BYTES {
        return None;
    }
    pieces(file, text)
}

/// [`parse`] whatever the file's size.
fn pieces(file: u32, text: &str) -> Option<Node> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores < 2 || text.contains('\r') || !block_root(text) {
        return None;
    }
    let list = errors_list(text)?;
    let runs = runs(&list, (list.end - list.start) / (cores * RUNS_PER_CORE));
    if runs.len() < 2 {
        return None;
    }
    // The first run is parsed with the head, so that the list starts (and its span is) as in
    // the whole file.
    let mut jobs = vec![Piece::new(text, 0, runs[0].1, 0, 1)?];
    for &(start, end, line) in &runs[1..] {
        // Its items nest at depth 2: the list is the value of a key of the root.
        jobs.push(Piece::new(text, start, end, line, 2)?);
    }
    let tail = list.end < text.len();
    if tail {
        jobs.push(Piece::new(text, list.end, text.len(), list.end_line, 1)?);
    }
    let parsed = crate::parallel::map(
        &jobs,
        |piece| piece.text.len(),
        None,
        |_, piece| fast::document(file, &piece.text, piece.base, piece.depth),
    );
    let mut parsed = parsed.into_iter();
    let (mut root, mut nodes) = parsed.next()??;
    let Value::Map(entries) = &mut root.value else {
        return None;
    };
    // The head ends with the list: `errors` is its last key.
    let (key, list_node) = entries.last_mut()?;
    if key.name != "errors" || key.span.offset as usize != list.key {
        return None;
    }
    let Value::Seq(items) = &mut list_node.value else {
        return None;
    };
    for _ in 1..runs.len() {
        let (run, count) = parsed.next()??;
        let Value::Seq(run_items) = run.value else {
            return None;
        };
        items.extend(run_items);
        nodes += count;
    }
    if items.len() != list.items.len() {
        return None;
    }
    if tail {
        // The keys after the list, from the next plain key: the rest of the root mapping, with
        // no key the head has (the whole parse declines a duplicate key too).
        let (rest, count) = parsed.next()??;
        let Value::Map(more) = rest.value else {
            return None;
        };
        let names: std::collections::HashSet<&str> =
            entries.iter().map(|(k, _)| k.name.as_str()).collect();
        if more.iter().any(|(k, _)| names.contains(k.name.as_str())) {
            return None;
        }
        entries.extend(more);
        nodes += count;
    }
    (nodes <= fast::MAX_NODES).then_some(root)
}

/// A piece of the file to parse on its own: its text, followed by what a scanner at its end
/// would see of the line after it (its indentation, then a `#`: a block scalar's span ends
/// where that line's text starts), and where it is in the file.
struct Piece {
    text: String,
    base: Base,
    depth: usize,
}

impl Piece {
    fn new(text: &str, start: usize, end: usize, line: u32, depth: usize) -> Option<Piece> {
        let mut piece = String::with_capacity(end - start + 64);
        piece.push_str(&text[start..end]);
        if end < text.len() {
            let next = &text[end..];
            let spaces = next.len() - next.trim_start_matches(' ').len();
            // Where a tab follows, the scanner might see further.
            if next[spaces..].starts_with('\t') {
                return None;
            }
            piece.push_str(&next[..spaces]);
            piece.push_str("#\n");
        }
        Some(Piece {
            text: piece,
            base: Base {
                offset: u32::try_from(start).ok()?,
                line,
            },
            depth,
        })
    }
}

/// Whether the first line that is not blank or a comment starts with a plain key at column 0
/// (`api:`), so the root is a block mapping and `errors:` at column 0 can be one of its keys.
fn block_root(text: &str) -> bool {
    text.lines()
        .find(|l| !blank_or_comment(l))
        .is_some_and(plain_key)
}

/// Whether a line starts with a plain key at column 0 (`api:`, then a space or nothing).
fn plain_key(line: &str) -> bool {
    let key_len = line
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
        .count();
    line.as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
        && line[key_len..].starts_with(':')
        && line[key_len + 1..]
            .chars()
            .next()
            .is_none_or(|c| c == ' ' || c == '\t')
}

fn blank_or_comment(line: &str) -> bool {
    let trimmed = line.trim_start_matches([' ', '\t']);
    trimmed.is_empty() || trimmed.starts_with('#')
}

/// Whether a line, after its indentation, starts a block sequence's item (`- `).
fn starts_item(rest: &str) -> bool {
    rest == "-" || rest.starts_with("- ") || rest.starts_with("-\t")
}

/// The list under the first `errors:` at column 0 (nothing after the colon but a comment),
/// when it is a block sequence: its items are the lines at the first item's indentation that
/// start with `- `, and it ends at the first line less indented, or as indented but not an
/// item, that is not blank or a comment.
fn errors_list(text: &str) -> Option<List> {
    let key = if text.starts_with("errors:") {
        0
    } else {
        text.find("\nerrors:")? + 1
    };
    let mut lines = Lines {
        text,
        at: key,
        line: u32::try_from(text[..key].bytes().filter(|&b| b == b'\n').count()).ok()?,
    };
    let (_, _, key_line) = lines.next()?;
    let after = &key_line["errors:".len()..];
    if !(after.is_empty() || after.starts_with([' ', '\t']) && blank_or_comment(after)) {
        return None;
    }
    let (start, first_line, first) = lines.find(|(_, _, l)| !blank_or_comment(l))?;
    let indent = first.len() - first.trim_start_matches(' ').len();
    if !starts_item(&first[indent..]) {
        return None;
    }
    let mut items = vec![(start, first_line)];
    let mut end = (text.len(), 0);
    for (at, line_no, line) in lines {
        if blank_or_comment(line) {
            continue;
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if spaces > indent {
            continue;
        }
        if spaces == indent && starts_item(&line[spaces..]) {
            items.push((at, line_no));
            continue;
        }
        // The rest of the root mapping, from its next key (not a document marker), or not
        // ours to read.
        if !plain_key(line) {
            return None;
        }
        end = (at, line_no);
        break;
    }
    Some(List {
        key,
        start,
        end: end.0,
        end_line: end.1,
        items,
    })
}

/// The lines of `text` from byte `at`: each line's offset, the lines before it, and its text
/// (without the line break).
struct Lines<'a> {
    text: &'a str,
    at: usize,
    line: u32,
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, u32, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.at >= self.text.len() {
            return None;
        }
        let rest = &self.text[self.at..];
        let len = rest.find('\n').unwrap_or(rest.len());
        let item = (self.at, self.line, &rest[..len]);
        self.at += len + 1;
        self.line += 1;
        Some(item)
    }
}

/// The list's items cut into runs of at least `bytes` each (the last may be shorter): each
/// run's start and end offsets and the lines before it.
fn runs(list: &List, bytes: usize) -> Vec<(usize, usize, u32)> {
    let mut runs: Vec<(usize, usize, u32)> = Vec::new();
    for (i, &(at, line)) in list.items.iter().enumerate() {
        let next = list.items.get(i + 1).map_or(list.end, |&(next, _)| next);
        match runs.last_mut() {
            Some(run) if run.1 - run.0 < bytes.max(1) => run.1 = next,
            _ => runs.push((at, next, line)),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::super::{fast, fast_path_tests::repository_yaml_files, parse_slow};
    use super::pieces;
    use crate::yaml::{Node, Value};

    /// The whole file's tree (the fast path, else serde-saphyr's), or `None` when it is not YAML.
    fn whole(text: &str) -> Option<Node> {
        fast::parse(0, text).or_else(|| parse_slow(0, text).ok())
    }

    /// Whether the split parse took `text`; it must never build another tree than the whole
    /// parse, nor accept what the whole parse rejects.
    fn same_as_whole(name: &str, text: &str) -> bool {
        let Some(split) = pieces(0, text) else {
            return false;
        };
        let whole = whole(text)
            .unwrap_or_else(|| panic!("{name}: split accepted what YAML rejects:\n{text}"));
        assert!(
            split == whole,
            "{name}: the split parse built another tree:\n{text}"
        );
        true
    }

    /// A catalog of `n` codes in every layout an item can take: comments and blank lines
    /// between items, block scalars with lines that start with `- `, nested lists and
    /// mappings, flow collections, quoted text across lines, non-ASCII text.
    fn varied(n: usize, indent: &str) -> String {
        let mut text = String::from("# A catalog\napi:\n  name: x\n\nerrors:  # every code\n");
        for i in 0..n {
            let item = match i % 6 {
                0 => format!("- code: c{i}\n  status: 400\n"),
                1 => format!(
                    "# comment before {i}\n\n- code: c{i}\n  description: |\n    - not an item\n    text é ✓\n"
                ),
                2 => format!(
                    "-   code: c{i}\n    examples:\n    - name: a\n      body: {{a: [1, 2]}}\n"
                ),
                3 => format!(
                    "- code: \"c{i}\"\n  message: \"two\n    lines\"\n  list: [a,\n    b]\n"
                ),
                4 => format!("- {{code: c{i}, status: 404}}\n"),
                _ => format!("- code: c{i}\n  details:\n    - - nested\n      - list\n  n: 1.5\n"),
            };
            for line in item.lines() {
                if line.is_empty() {
                    text.push('\n');
                } else {
                    text.push_str(&format!("{indent}{line}\n"));
                }
            }
        }
        text.push_str("# after the list\nretired:\n  - code: old\n");
        text
    }

    #[test]
    fn split_parse_builds_what_the_whole_parse_builds() {
        for (n, indent) in [(1, "  "), (7, ""), (60, "  "), (61, "    "), (300, "")] {
            let text = varied(n, indent);
            let name = format!("{n} codes at {indent:?}");
            // One code is one run: nothing to split.
            assert_eq!(same_as_whole(&name, &text), n > 1, "{name}");
            if n == 1 {
                continue;
            }
            let Some(root) = pieces(0, &text) else {
                unreachable!()
            };
            let Value::Map(entries) = &root.value else {
                panic!("the root is a mapping")
            };
            let errors = entries.iter().find(|(k, _)| k.name == "errors").unwrap();
            assert!(matches!(&errors.1.value, Value::Seq(items) if items.len() == n));
        }
        let files = repository_yaml_files();
        let mut split = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            if same_as_whole(&path.display().to_string(), &text) {
                split += 1;
            }
        }
        // Most catalogs with codes are laid out so that the split takes them.
        assert!(split * 2 > files.len(), "{split} of {} files", files.len());
    }

    /// Random edits of a catalog (quotes, brackets, dashes, block scalar headers, tabs, document
    /// markers, anchors at random places; deleted and doubled lines): whatever the edit, the
    /// split parse builds the whole parse's tree or declines.
    #[test]
    fn edited_catalogs_parse_as_the_whole_parse_does_or_not_at_all() {
        let bases = [varied(24, "  "), varied(24, "")];
        // xorshift64*: the same edits on every run.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = move |n: usize| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as usize % n
        };
        let inserts = [
            "  - ",
            "- ",
            "    - ",
            "\"",
            "'",
            "[",
            "]",
            "{",
            "}",
            "#",
            " # c",
            "|\n",
            ">-\n",
            "|+\n",
            ": ",
            "  ",
            "\t",
            "&a ",
            "*a ",
            "---\n",
            "...\n",
            "errors:\n",
            "\n",
            "x: 1\n",
            "  x\n",
            "\"\n",
            "é",
        ];
        let (mut taken, mut runs) = (0, 0);
        for edit in 0..4_000 {
            let base = &bases[edit % 2];
            let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
            for _ in 0..1 + next(3) {
                let at = next(lines.len());
                match next(4) {
                    0 => {
                        lines.remove(at);
                    }
                    1 => {
                        let line = lines[at].clone();
                        lines.insert(at, line);
                    }
                    _ => {
                        let line = &mut lines[at];
                        let mut col = next(line.len() + 1);
                        while !line.is_char_boundary(col) {
                            col -= 1;
                        }
                        line.insert_str(col, inserts[next(inserts.len())]);
                    }
                }
            }
            let text = lines.join("\n") + "\n";
            runs += 1;
            if same_as_whole("an edited catalog", &text) {
                taken += 1;
            }
        }
        // Most edits leave a file the split still takes (and checks).
        assert!(taken * 5 > runs, "{taken} of {runs}");
    }

    #[test]
    fn a_large_file_is_split_and_builds_the_whole_parse_s_tree() {
        let text = varied(20_000, "  ");
        assert!(text.len() > super::MIN_BYTES, "{} bytes", text.len());
        let split = super::parse(0, &text).expect("a large plain catalog is split");
        assert!(split == whole(&text).unwrap());
    }

    #[test]
    fn files_made_to_trip_the_split_parse_it_as_the_whole_parse_does_or_not_at_all() {
        // (name, text, whether the split takes it)
        let cases: &[(&str, &str, bool)] = &[
            // A quoted scalar whose next line looks like an item: the run before it is not
            // closed, even where the rest of the file would close it.
            (
                "quoted",
                "api: 1\nerrors:\n  - code: \"a\n  - code: b\"\n  - code: c\n",
                false,
            ),
            (
                "quoted, closed by the rest",
                "api: 1\nerrors:\n  - code: \"a\n  - code: b\"\n  - code: c\nx: \"\n",
                false,
            ),
            (
                "single quoted",
                "api: 1\nerrors:\n  - code: 'a\n  - b'\n",
                false,
            ),
            (
                "flow across items",
                "api: 1\nerrors:\n  - [a,\n  - b]\n  - c\n",
                false,
            ),
            ("flow root", "{api: 1,\nerrors:\n  - a\n}\n", false),
            (
                "errors in a quoted scalar",
                "api: \"x\nerrors:\n  - a\ny\"\nb: 1\n",
                false,
            ),
            (
                "anchor and alias",
                "api: 1\nerrors:\n  - &a x\n  - *a\n",
                false,
            ),
            (
                "merge key",
                "api: 1\nerrors:\n  - &a {k: 1}\n  - <<: *a\n",
                false,
            ),
            (
                "two lists",
                "api: 1\nerrors:\n  - a\nerrors:\n  - b\n",
                false,
            ),
            (
                "a second document",
                "api: 1\nerrors:\n- a\n---\n- b\n",
                false,
            ),
            ("document end", "api: 1\nerrors:\n- a\n- b\n...\n", false),
            (
                "a key again after the list",
                "api: 1\nerrors:\n- a\n- b\napi: 2\n",
                false,
            ),
            (
                "keys after the list",
                "api: 1\nerrors:\n- a\n- b\nx: 2\ny:\n  - 3\n",
                true,
            ),
            (
                "less indented key",
                "api: 1\nerrors:\n    - a\n  b: 1\n",
                false,
            ),
            ("item then key", "api: 1\nerrors:\n  - a\n  b: 1\n", false),
            ("tab", "api: 1\nerrors:\n\t- a\n\t- b\n", false),
            (
                "tab after the dash",
                "api: 1\nerrors:\n  -\ta\n  -\tb\n",
                true,
            ),
            ("empty item", "api: 1\nerrors:\n  -\n  - b\n", true),
            ("crlf", "api: 1\r\nerrors:\r\n  - a\r\n  - b\r\n", false),
            (
                "comments between items",
                "api: 1\nerrors:\n  - a\n# c\n    # d\n  # e\n  - b\nretired: []\n",
                true,
            ),
            (
                "block scalars",
                "api: 1\nerrors:\n  - |\n    x\n  - >\n    y\n\n  - |+\n    z\n\n\n  - |-\n    w\n  # c\n  - |\n    v\nretired: []\n",
                true,
            ),
            (
                "block scalar at the end",
                "api: 1\nerrors:\n  - a\n  - |\n    x\n\n",
                true,
            ),
            (
                "plain scalar on two lines",
                "api: 1\nerrors:\n  - a\n    b\n  - c\n   d\nz: 1\n",
                true,
            ),
            ("errors with a value", "api: 1\nerrors: [a]\n", false),
            (
                "errors with an anchor",
                "api: 1\nerrors: &e\n  - a\n  - b\n",
                false,
            ),
            (
                "errors, no space before #",
                "api: 1\nerrors:#x\n  - a\n  - b\n",
                false,
            ),
            (
                "errors, a comment",
                "api: 1\nerrors: # x\n  # y\n\n  - a\n  - b\n",
                true,
            ),
            ("mapping, not a list", "api: 1\nerrors:\n  a: 1\n", false),
            (
                "multi-byte",
                "api: 1\nerrors:\n  - é\n  - \"✓\n    ✓\"\nz: ü\n",
                true,
            ),
            (
                "byte order mark",
                "\u{feff}api: 1\nerrors:\n  - a\n  - b\n",
                false,
            ),
            (
                "directive",
                "%YAML 1.2\n---\napi: 1\nerrors:\n  - a\n  - b\n",
                false,
            ),
            (
                "deep",
                &format!(
                    "api: 1\nerrors:\n  - a\n  - {}1{}\n",
                    "[".repeat(60),
                    "]".repeat(60)
                ),
                false,
            ),
        ];
        for (name, text, taken) in cases {
            assert_eq!(same_as_whole(name, text), *taken, "{name}");
        }
    }
}
