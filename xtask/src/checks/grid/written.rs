//! How a random catalog is written (`files(seed, json)`): the drawer's JSON as it is, or the same
//! data in the forms people write YAML in, in one file or spread over a folder. The form is drawn
//! from the seed too, so a seed still names one set of files everywhere.
//!
//! The YAML forms use what the loader reads (catalog/README.md, "Safety"): block and flow
//! collections (a flow collection on one line or over several), implicit and explicit keys
//! (`? key` and `: value`, the key plain, quoted or a block scalar), plain scalars where YAML
//! 1.2's core schema reads them as the same text, single-quoted strings, double-quoted strings
//! with JSON's escapes or YAML's (`\N`, `\L`, `\P`, `\_`, `\e`, `\x1B`, `\U0001F600`, ...), plain
//! and quoted scalars of a block's value folded over several lines (at single spaces, a line
//! break as an empty line, an escaped line break `\` in double quotes), literal and folded block
//! scalars (`|`, `|-`, `|+`, `>`, `>-`, `>+`, with an indentation indicator where the text
//! starts with a blank), integers spelled `+5`, `0x1F` or `0o17`, `~` and empty nulls, anchors
//! (`&nel\u{85}3` and `&ls\u{2028}4` too: NEL and U+2028 are not line breaks in YAML 1.2) and
//! aliases of repeated values, merge keys (`<<:`) of one mapping or a list of them
//! (`<<: [*a, {...}]`, or a block list) between a mapping's own entries, holding decoys of keys
//! the mapping writes itself or an earlier merged mapping holds (which win), tabs separating
//! values and comments,
//! comments (with NEL and U+2028 in them too), directives and document markers, a BOM and CRLF
//! line ends. DEL and C1 controls (but NEL) are escaped, even in JSON files: the loader reads
//! them only so. A folder puts the shared sections in files of their own (or beside codes),
//! spreads the lists (`categories`, `guidance`, `retired`, `errors`) over several files in path
//! order, the codes by category or in runs, under file names that are odd but valid, whose byte
//! order (the loader's) is not the order people sort by, down to ten folders deep; now and then
//! beside files without data (empty, only comments, empty documents, `{}`, `null`).
//!
//! Every form means the JSON form: [`same_outputs`] holds the generated files of both to be
//! byte-identical, so a loader that reads a form another way fails the grid at once.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::checks::fuzz::Rng;

/// A catalog's files: path (relative to the catalog folder) and text. One file is the catalog
/// itself.
pub type Files = Vec<(String, String)>;

/// File names a folder's files take: odd but valid (`*.yaml` or `*.yml` in any case, not
/// hidden, below folders or not).
const NAMES: &[&str] = &[
    "errors/ünïcödé codes.yaml",
    "-dash first.yml",
    "a b/c,d.Yaml",
    "00.yaml",
    "[brackets] {braces}.YAML",
    "x.yaml.yml",
    "#hash.yaml",
    "errors (1).yaml",
    "名前.yml",
    "UPPER.YML",
    "deep/er/still/x.yaml",
    "x..yaml",
    "~tilde.yaml",
    "semi;colon&amp.yaml",
    "quote'and\"double.yaml",
    "a=b+c.yaml",
    "errors/z.yaml",
    "errors/A.yaml",
    "shared/api.yaml",
    "%percent%20.yaml",
    "tab\there.yaml",
    "new\nline.yaml",
    "emoji 😀.yaml",
    "zzz.yaml",
    // Byte order, which the loader sorts by, is not the order people sort by: capitals before
    // lower case, `a b` and `a-b` before `a.yaml` before `a/b.yaml`, a decomposed `é` (`e` and
    // U+0301) long before a composed one.
    "Zeta.yaml",
    "a.yaml",
    "a b.yaml",
    "a-b.yaml",
    "a/b.yaml",
    "e\u{301}.yaml",
    "é.yaml",
    "deeper/1/2/3/4/5/6/7/8/9/x.yml",
];

/// Files with no catalog data: empty, only comments, empty documents, an empty mapping, null.
const EMPTY_FILES: &[&str] = &[
    "",
    "\n\n",
    "# nothing here yet\n",
    "---\n",
    "---\n...\n",
    "%YAML 1.2\n---\n# a comment\n",
    "# a comment\n---\n# in an empty document\n",
    "{}\n",
    "~\n",
    "null\n",
    "\u{feff}",
    "\u{feff}# BOM and comment\r\n",
];

/// The most anchors, and aliases, one file defines and writes (the loader reads 1,000).
const MAX_ALIASES: usize = 900;

/// Comment text: what might end a comment early or read as YAML.
const COMMENTS: &[&str] = &[
    "a comment",
    "key: value",
    "&anchor *alias !!tag",
    "--- not a document",
    "'quoted' \"twice\" # again",
    "ünïcödé ✓ 😀",
    "|- > {} [] ,",
    "next\u{85}line: a NEL, a line break in YAML 1.1 only",
    "line\u{2028}separator: x\u{2029}- paragraph",
    "",
];

/// The files of the catalog whose JSON form is `json`, written as `seed` says: in turn the JSON
/// itself, one YAML file, a folder of YAML files, and a folder of files each JSON or YAML.
pub fn files(seed: u64, json: &str) -> Files {
    let form = seed % 4;
    if form == 0 {
        return vec![("random.yaml".to_owned(), json.to_owned())];
    }
    let doc: Value = serde_json::from_str(json).expect("the drawer writes JSON");
    let mut rng = Rng(seed ^ 0x5EED_F11E_5EED_F11E);
    if form == 1 {
        let text = write_file(&mut rng, &doc, true);
        return vec![("random.yaml".to_owned(), text)];
    }
    let mut files: Files = split(&mut rng, &doc)
        .into_iter()
        .map(|(name, doc)| {
            let yaml = form == 2 || rng.chance(50);
            let text = write_file(&mut rng, &doc, yaml);
            (name, text)
        })
        .collect();
    // Now and then a file or two without data, anywhere in path order.
    for _ in 0..rng.below(3) {
        let name = (*rng.pick(NAMES)).to_owned();
        if !files.iter().any(|(n, _)| *n == name) {
            files.push((name, (*rng.pick(EMPTY_FILES)).to_owned()));
        }
    }
    files.sort();
    files
}

/// A catalog of the grid's own (`yaml`, one file) written as `seed` says, as a random one
/// is: its data as JSON, one YAML file in YAML forms, or a folder. Panics if the written form
/// does not generate what `yaml` generates.
pub fn fixed(name: &str, seed: u64, yaml: &str) -> Files {
    let root = codegen::yaml::parse(0, yaml).unwrap_or_else(|d| panic!("{name}: {}", d.message));
    let json = serde_json::to_string_pretty(&root.to_json()).expect("JSON serializes");
    let files = files(seed, &escape_unprintable(&json));
    if let Err(e) = same_outputs(yaml, &files) {
        panic!("{name}, written as {} file(s): {e}", files.len());
    }
    files
}

/// Whether the catalog `files` generates exactly what its JSON form `json` generates; else
/// the first file that differs.
pub fn same_outputs(json: &str, files: &Files) -> Result<(), String> {
    let generate = |sources: &[codegen::Source]| {
        codegen::generate(sources, &codegen::Options::default()).map_err(|f| f.to_string())
    };
    let expected = generate(&[codegen::Source::new("random.yaml", json)])?;
    let sources: Vec<codegen::Source> = files
        .iter()
        .map(|(name, text)| codegen::Source::new(format!("random/{name}"), text.as_str()))
        .collect();
    let got = generate(&sources).map_err(|e| format!("the written form fails: {e}"))?;
    if got.len() != expected.len() {
        return Err(format!(
            "the written form generates {} files, the JSON form {}",
            got.len(),
            expected.len()
        ));
    }
    for (a, b) in expected.iter().zip(&got) {
        if a.path != b.path || a.contents != b.contents {
            let lines = a.contents.lines().zip(b.contents.lines());
            let shown = |l: &str| {
                l.chars()
                    .take(300)
                    .collect::<String>()
                    .escape_debug()
                    .to_string()
            };
            let at = lines.enumerate().find(|(_, (x, y))| x != y).map_or(
                String::new(),
                |(i, (x, y))| {
                    format!(
                        " from line {}:\n  JSON:    {}\n  written: {}",
                        i + 1,
                        shown(x),
                        shown(y)
                    )
                },
            );
            return Err(format!(
                "{} differs between the JSON form and the written form{at}",
                a.path
            ));
        }
    }
    Ok(())
}

/// The top-level sections whose lists may be spread over several files.
const LISTS: &[&str] = &["categories", "guidance", "retired", "errors"];

/// The catalog spread over files: each shared section whole, each list in runs (the codes by
/// category or in runs) over files in path order. Names sorted as the loader sorts them.
fn split(rng: &mut Rng, doc: &Value) -> Vec<(String, Value)> {
    let count = 3 + rng.below(6);
    let mut names: Vec<String> = Vec::new();
    while names.len() < count {
        let name = (*rng.pick(NAMES)).to_owned();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.sort();
    let mut files: Vec<Map<String, Value>> = vec![Map::new(); count];
    let sections = doc.as_object().expect("a catalog is a mapping");
    for (key, value) in sections {
        let items = match value.as_array() {
            Some(items) if LISTS.contains(&key.as_str()) && items.len() > 1 => items,
            _ => {
                files[rng.below(count)].insert(key.clone(), value.clone());
                continue;
            }
        };
        let mut runs: Vec<Vec<Value>> = if key == "errors" && rng.chance(50) {
            // By category, each category's codes in the order written, the files in any order.
            let mut by: Vec<(String, Vec<Value>)> = Vec::new();
            for item in items {
                let category = item["category"].to_string();
                match by.iter_mut().find(|(c, _)| *c == category) {
                    Some((_, run)) => run.push(item.clone()),
                    None => by.push((category, vec![item.clone()])),
                }
            }
            let mut runs: Vec<Vec<Value>> = by.into_iter().map(|(_, run)| run).collect();
            for i in (1..runs.len()).rev() {
                runs.swap(i, rng.below(i + 1));
            }
            runs
        } else {
            let pieces = 1 + rng.below(items.len().min(count));
            let mut cuts: Vec<usize> = (1..items.len()).collect();
            for i in (1..cuts.len()).rev() {
                cuts.swap(i, rng.below(i + 1));
            }
            let mut cuts: Vec<usize> = cuts.into_iter().take(pieces - 1).collect();
            cuts.sort();
            cuts.push(items.len());
            let mut start = 0;
            cuts.into_iter()
                .map(|end| {
                    let run = items[start..end].to_vec();
                    start = end;
                    run
                })
                .collect()
        };
        // More runs (categories) than files: the last ones share a file.
        while runs.len() > count {
            let last = runs.pop().expect("more runs than files");
            runs.last_mut().expect("a run").extend(last);
        }
        // Distinct files in path order, one per run.
        let mut slots: Vec<usize> = (0..count).collect();
        for i in (1..slots.len()).rev() {
            slots.swap(i, rng.below(i + 1));
        }
        let mut slots: Vec<usize> = slots.into_iter().take(runs.len()).collect();
        slots.sort();
        for (slot, run) in slots.into_iter().zip(runs) {
            files[slot].insert(key.clone(), Value::Array(run));
        }
    }
    names
        .into_iter()
        .zip(files)
        .filter(|(_, m)| !m.is_empty())
        .map(|(name, m)| (name, Value::Object(m)))
        .collect()
}

/// One file's text: JSON, or YAML in drawn forms; either with a BOM, CRLF line ends or both
/// now and then.
fn write_file(rng: &mut Rng, doc: &Value, yaml: bool) -> String {
    let mut text = if yaml {
        let mut w = Writer::new(rng, doc);
        w.file(doc);
        w.out
    } else {
        let s = serde_json::to_string_pretty(doc).expect("a JSON value serializes");
        format!("{}\n", escape_unprintable(&s))
    };
    if rng.chance(25) {
        text = text.replace('\n', "\r\n");
    }
    if rng.chance(25) {
        text.insert(0, '\u{feff}');
    }
    text
}

/// Where a scalar is written: a block's value or entry, a flow collection's, or a key.
#[derive(Clone, Copy, PartialEq)]
enum Place {
    Block,
    Flow,
    Key,
}

struct Writer<'a> {
    rng: &'a mut Rng,
    out: String,
    /// Values (as JSON) written more than once in this file: anchor and alias candidates.
    repeated: HashSet<String>,
    /// Anchors defined so far, by the value they name (as JSON).
    anchors: HashMap<String, String>,
    /// How many anchors were defined (each name is new) and aliases written: the loader reads
    /// 1,000 of each in a file.
    defined: usize,
    aliases: usize,
    /// Where a flow collection or a quoted or plain scalar being written may continue on
    /// further lines: their indentation (none in keys and in flow collections on one line).
    flow_pad: Option<usize>,
}

impl<'a> Writer<'a> {
    fn new(rng: &'a mut Rng, doc: &Value) -> Self {
        let mut seen = HashMap::new();
        count(doc, &mut seen);
        let repeated = seen
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(k, _)| k)
            .collect();
        Self {
            rng,
            out: String::new(),
            repeated,
            anchors: HashMap::new(),
            defined: 0,
            aliases: 0,
            flow_pad: None,
        }
    }

    fn file(&mut self, doc: &Value) {
        if self.rng.chance(20) {
            self.out.push_str("%YAML 1.2\n---\n");
        } else if self.rng.chance(15) {
            self.out.push_str("--- # the catalog\n");
        }
        if self.rng.chance(40) {
            self.comment(0);
        }
        match doc {
            Value::Object(m) if !m.is_empty() => self.block_map(m, 0),
            other => {
                let s = self.flow(other);
                self.out.push_str(&s);
                self.out.push('\n');
            }
        }
        if self.rng.chance(15) {
            self.out.push_str("...\n");
        }
    }

    fn comment(&mut self, indent: usize) {
        let text = *self.rng.pick(COMMENTS);
        self.out.push_str(&" ".repeat(indent));
        self.out.push('#');
        if !text.is_empty() {
            self.out.push(' ');
            self.out.push_str(text);
        }
        self.out.push('\n');
    }

    /// `&name ` for a repeated value written the first time (now and then), or the alias to
    /// write instead of a value written before.
    fn anchor(&mut self, v: &Value) -> Anchor {
        let empty = match v {
            Value::Object(m) => m.is_empty(),
            Value::Array(a) => a.is_empty(),
            Value::String(s) => s.is_empty(),
            _ => true,
        };
        if empty {
            return Anchor::None;
        }
        let key = v.to_string();
        if !self.repeated.contains(&key) {
            return Anchor::None;
        }
        if let Some(name) = self.anchors.get(&key) {
            return if self.aliases < MAX_ALIASES && self.rng.chance(70) {
                self.aliases += 1;
                Anchor::Alias(format!("*{name}"))
            } else {
                Anchor::None
            };
        }
        if self.defined >= MAX_ALIASES || !self.rng.chance(50) {
            return Anchor::None;
        }
        let name = format!(
            "{}{}",
            self.rng
                .pick(&["a", "v", "x_", "ref-", "é", "nel\u{85}", "ls\u{2028}"]),
            self.defined
        );
        self.defined += 1;
        self.anchors.insert(key, name.clone());
        Anchor::Define(format!("&{name}"))
    }

    /// A block mapping at `indent`, each entry on lines of its own.
    fn block_map(&mut self, m: &Map<String, Value>, indent: usize) {
        let entries: Vec<(&String, &Value)> = m.iter().collect();
        if entries.len() > 1 && self.rng.chance(12) {
            self.merged_map(&entries, indent);
            return;
        }
        for (key, value) in &entries {
            self.entry(key, value, indent);
        }
    }

    /// One `key: value` entry of a block mapping at `indent`: an implicit key, or now and then
    /// an explicit one (`? key` and `: value` on lines of their own).
    fn entry(&mut self, key: &str, value: &Value, indent: usize) {
        let pad = " ".repeat(indent);
        if self.rng.chance(5) {
            self.comment(indent);
        }
        if self.rng.chance(6) {
            self.out.push_str(&format!("{pad}?"));
            if !(self.rng.chance(30) && self.block_scalar(key, indent)) {
                let key = self.scalar(key, Place::Block);
                self.out.push_str(&format!(" {key}\n"));
            }
            self.out.push_str(&format!("{pad}:"));
            // In the `:` column a list would be the explicit value's, but write it deeper.
            self.value(value, indent, true);
            return;
        }
        let key = self.scalar(key, Place::Key);
        self.out.push_str(&format!("{pad}{key}:"));
        self.value(value, indent, false);
    }

    /// A block mapping whose entries come in part through merge keys (`<<`): the entries
    /// `own_before` written first, then `<<:` with one mapping or a list of them (each inline
    /// or an alias of a mapping written before), then the rest. The merged mappings hold the
    /// entries in between, and decoys of keys the mapping writes itself (which win), so the
    /// entries come out in their order.
    fn merged_map(&mut self, entries: &[(&String, &Value)], indent: usize) {
        let pad = " ".repeat(indent);
        let n = entries.len();
        // own[..a], merged[a..b], own[b..]; at least one merged entry.
        let a = if self.rng.chance(30) {
            self.rng.below(n - 1)
        } else {
            0
        };
        let b = a + 1 + self.rng.below(n - a);
        for (key, value) in &entries[..a] {
            self.entry(key, value, indent);
        }
        // The merged entries in 1 to 3 mappings, in order.
        let parts = 1 + self.rng.below((b - a).min(3));
        let mut cuts: Vec<usize> = (a + 1..b).collect();
        for i in (1..cuts.len()).rev() {
            cuts.swap(i, self.rng.below(i + 1));
        }
        let mut cuts: Vec<usize> = cuts.into_iter().take(parts - 1).collect();
        cuts.sort();
        cuts.push(b);
        let mut start = a;
        let mut maps: Vec<Map<String, Value>> = Vec::new();
        for end in cuts {
            let mut base: Map<String, Value> = Map::new();
            for (k, v) in &entries[start..end] {
                base.insert((*k).clone(), (*v).clone());
            }
            start = end;
            maps.push(base);
        }
        // Decoys: keys written outside the merge (their own entries win), and keys of an
        // earlier merged mapping in a later one (the earlier wins).
        for i in 0..maps.len() {
            if self.rng.chance(40) {
                let own: Vec<usize> = (0..a).chain(b..n).collect();
                if !own.is_empty() {
                    let (k, _) = entries[*self.rng.pick(&own)];
                    let decoy = self.decoy();
                    maps[i].insert(k.clone(), decoy);
                }
            }
            if i > 0 && self.rng.chance(40) {
                let earlier: Vec<String> =
                    maps[..i].iter().flat_map(|m| m.keys().cloned()).collect();
                let k = self.rng.pick(&earlier).clone();
                let decoy = self.decoy();
                maps[i].insert(k, decoy);
            }
        }
        // The mapping itself may be anchored, and is not written yet: no alias of it inside.
        let whole: Map<String, Value> = entries
            .iter()
            .map(|(k, v)| ((*k).clone(), (*v).clone()))
            .collect();
        let whole = Value::Object(whole).to_string();
        let written: Vec<String> = maps
            .into_iter()
            .map(|base| {
                let base = Value::Object(base);
                let key = base.to_string();
                let alias = self.anchors.get(&key).filter(|_| key != whole);
                match alias {
                    Some(name) if self.aliases < MAX_ALIASES => {
                        self.aliases += 1;
                        format!("*{name}")
                    }
                    _ if self.defined < MAX_ALIASES && self.rng.chance(70) => {
                        let name = format!("m{}", self.defined);
                        self.defined += 1;
                        self.anchors.insert(base.to_string(), name.clone());
                        self.flow_pad = Some(indent + 4);
                        let flow = self.flow_inner(&base);
                        self.flow_pad = None;
                        format!("&{name} {flow}")
                    }
                    _ => {
                        self.flow_pad = Some(indent + 4);
                        let flow = self.flow_inner(&base);
                        self.flow_pad = None;
                        flow
                    }
                }
            })
            .collect();
        match written.as_slice() {
            [one] if self.rng.chance(70) => self.out.push_str(&format!("{pad}<<: {one}\n")),
            _ if self.rng.chance(50) => {
                self.out
                    .push_str(&format!("{pad}<<: [{}]\n", written.join(", ")));
            }
            _ => {
                self.out.push_str(&format!("{pad}<<:\n"));
                for w in &written {
                    self.out.push_str(&format!("{pad}  - {w}\n"));
                }
            }
        }
        for (key, value) in &entries[b..] {
            self.entry(key, value, indent);
        }
    }

    /// A value a merged mapping holds for a key that another entry decides.
    fn decoy(&mut self) -> Value {
        match self.rng.below(4) {
            0 => Value::Null,
            1 => Value::String("decoy".to_owned()),
            2 => serde_json::json!({ "decoy": [1, 2] }),
            _ => serde_json::json!(7),
        }
    }

    /// A block sequence at `indent`.
    fn block_seq(&mut self, items: &[Value], indent: usize) {
        let pad = " ".repeat(indent);
        for item in items {
            if self.rng.chance(4) {
                self.comment(indent);
            }
            match item {
                Value::Object(m) if !m.is_empty() && self.rng.chance(80) => {
                    match self.anchor(item) {
                        Anchor::Alias(alias) => {
                            self.out.push_str(&format!("{pad}- {alias}\n"));
                            continue;
                        }
                        Anchor::Define(name) => {
                            self.out.push_str(&format!("{pad}- {name}\n"));
                            self.block_map(m, indent + 2);
                            continue;
                        }
                        Anchor::None => {}
                    }
                    // `- key: value` with the other keys below the first.
                    let at = self.out.len();
                    self.block_map(m, indent + 2);
                    let first = &self.out[at..];
                    if first.starts_with(&" ".repeat(indent + 2))
                        && !first[indent + 2..].starts_with('#')
                    {
                        self.out
                            .replace_range(at..at + indent + 2, &format!("{pad}- "));
                    } else {
                        self.out.insert_str(at, &format!("{pad}-\n"));
                    }
                }
                _ => {
                    self.out.push_str(&format!("{pad}-"));
                    self.value(item, indent, true);
                }
            }
        }
    }

    /// A value after `key:` or (`in_seq`) `-` at `indent`, to the end of its lines.
    fn value(&mut self, v: &Value, indent: usize, in_seq: bool) {
        let anchor = self.anchor(v);
        let prefix = match anchor {
            Anchor::Alias(alias) => {
                self.out.push_str(&format!(" {alias}\n"));
                return;
            }
            Anchor::Define(name) => format!(" {name}"),
            Anchor::None => String::new(),
        };
        self.out.push_str(&prefix);
        match v {
            Value::Object(m) if !m.is_empty() && self.rng.chance(75) => {
                self.out.push('\n');
                self.block_map(m, indent + 2);
            }
            Value::Array(items) if !items.is_empty() && self.rng.chance(70) => {
                self.out.push('\n');
                // Entries of a mapping's list may sit in the key's column.
                let at = if !in_seq && prefix.is_empty() && self.rng.chance(30) {
                    indent
                } else {
                    indent + 2
                };
                self.block_seq(items, at);
            }
            Value::String(s) if self.rng.chance(35) && self.block_scalar(s, indent) => {}
            Value::Null if prefix.is_empty() && self.rng.chance(30) => self.out.push('\n'),
            other => {
                self.flow_pad = Some(indent + 2);
                let s = self.flow_inner(other);
                self.flow_pad = None;
                // A tab separates as well as a space.
                self.out.push(if self.rng.chance(8) { '\t' } else { ' ' });
                self.out.push_str(&s);
                if self.rng.chance(5) {
                    let c = *self.rng.pick(COMMENTS);
                    let blank = if self.rng.chance(30) { "\t" } else { " " };
                    self.out.push_str(&format!("{blank}# {c}"));
                }
                self.out.push('\n');
            }
        }
    }

    /// `s` as a literal or folded block scalar after ` `, its lines indented past `indent`;
    /// false (nothing written) when neither can hold it.
    fn block_scalar(&mut self, s: &str, indent: usize) -> bool {
        if !s.chars().all(|c| c == '\n' || c == '\t' || nb_char(c)) {
            return false;
        }
        let body = s.trim_end_matches('\n');
        if body.trim().is_empty() {
            return false;
        }
        let chomp = match s.len() - body.len() {
            0 => "-",
            1 => "",
            _ => "+",
        };
        let lines: Vec<&str> = body.split('\n').collect();
        let pad = " ".repeat(indent + 2);
        let folded = self.rng.chance(50)
            && !lines[0].is_empty()
            && lines.iter().all(|l| !l.starts_with([' ', '\t']));
        let mut text = String::new();
        if folded {
            let mut empty = 0;
            for (i, line) in lines.iter().enumerate() {
                if line.is_empty() {
                    empty += 1;
                    continue;
                }
                if i > 0 {
                    // Between two lines of text, n line breaks are n empty lines.
                    text.push_str(&"\n".repeat(empty + 2));
                }
                empty = 0;
                text.push_str(&pad);
                // Long lines fold at single spaces between words.
                let chars: Vec<char> = line.chars().collect();
                let mut width = 0;
                for (j, &c) in chars.iter().enumerate() {
                    let single = c == ' '
                        && j > 0
                        && j + 1 < chars.len()
                        && !matches!(chars[j - 1], ' ' | '\t')
                        && !matches!(chars[j + 1], ' ' | '\t');
                    if single && width > 40 && self.rng.chance(60) {
                        text.push('\n');
                        text.push_str(&pad);
                        width = 0;
                    } else {
                        text.push(c);
                        width += 1;
                    }
                }
            }
            // Trailing line breaks that lines of text end in are kept by `+`.
            text.push('\n');
            if chomp == "+" {
                text.push_str(&"\n".repeat(s.len() - body.len() - 1));
            }
        } else {
            for line in &lines {
                if !line.is_empty() {
                    text.push_str(&pad);
                    text.push_str(line);
                }
                text.push('\n');
            }
            if chomp == "+" {
                text.push_str(&"\n".repeat(s.len() - body.len() - 1));
            }
        }
        let indicator =
            if lines[0].starts_with([' ', '\t']) || lines[0].is_empty() || self.rng.chance(10) {
                "2"
            } else {
                ""
            };
        let style = if folded { ">" } else { "|" };
        // Either order of indicators is YAML.
        let header = if self.rng.chance(50) {
            format!("{style}{indicator}{chomp}")
        } else {
            format!("{style}{chomp}{indicator}")
        };
        let comment = if self.rng.chance(10) {
            " # a block"
        } else {
            ""
        };
        self.out.push_str(&format!(" {header}{comment}\n{text}"));
        true
    }

    /// A value in flow style (with an anchor or as an alias now and then).
    fn flow(&mut self, v: &Value) -> String {
        match self.anchor(v) {
            Anchor::Alias(alias) => alias,
            Anchor::Define(name) => format!("{name} {}", self.flow_inner(v)),
            Anchor::None => self.flow_inner(v),
        }
    }

    fn flow_inner(&mut self, v: &Value) -> String {
        let tight = self.rng.chance(30);
        // A flow collection may span lines, indented past its parent.
        let lines = match self.flow_pad {
            Some(pad) if self.rng.chance(15) => Some(" ".repeat(pad)),
            _ => None,
        };
        let (open, close, sep) = match &lines {
            Some(pad) => (format!("\n{pad}"), format!("\n{pad}"), format!(",\n{pad}")),
            None if tight => (String::new(), String::new(), ",".to_owned()),
            None if self.rng.chance(10) => ("\t".to_owned(), " ".to_owned(), ",\t".to_owned()),
            None => (" ".to_owned(), " ".to_owned(), ", ".to_owned()),
        };
        match v {
            Value::Object(m) => {
                let entries: Vec<String> = m
                    .iter()
                    .map(|(k, v)| {
                        let key = self.scalar(k, Place::Key);
                        format!("{key}: {}", self.flow_value(v))
                    })
                    .collect();
                if entries.is_empty() {
                    "{}".to_owned()
                } else {
                    format!("{{{open}{}{close}}}", entries.join(&sep))
                }
            }
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(|i| self.flow_value(i)).collect();
                if items.is_empty() {
                    "[]".to_owned()
                } else {
                    format!("[{open}{}{close}]", items.join(&sep))
                }
            }
            Value::String(s) => self.scalar(s, Place::Block),
            other => self.other_scalar(other),
        }
    }

    /// A value inside a flow collection.
    fn flow_value(&mut self, v: &Value) -> String {
        match v {
            Value::String(s) => match self.anchor(v) {
                Anchor::Alias(alias) => alias,
                Anchor::Define(name) => format!("{name} {}", self.scalar(s, Place::Flow)),
                Anchor::None => self.scalar(s, Place::Flow),
            },
            Value::Object(_) | Value::Array(_) => self.flow(v),
            other => self.other_scalar(other),
        }
    }

    /// A number, boolean or null, in one of the spellings YAML 1.2's core schema reads the same.
    fn other_scalar(&mut self, v: &Value) -> String {
        match v {
            Value::Null => (*self.rng.pick(&["null", "~", "null", "Null", "NULL"])).to_owned(),
            Value::Bool(b) if self.rng.chance(20) => if *b { "True" } else { "FALSE" }.to_owned(),
            Value::Number(n) => match n.as_i64() {
                Some(i) if i >= 0 && self.rng.chance(20) => match self.rng.below(3) {
                    0 => format!("+{i}"),
                    1 => format!("0x{i:X}"),
                    _ => format!("0o{i:o}"),
                },
                _ => n.to_string(),
            },
            other => other.to_string(),
        }
    }

    /// Text as a key or value: plain where it reads back as the same text, else single- or
    /// double-quoted (JSON's escapes or YAML's); a value of a block collection now and then on
    /// several lines.
    fn scalar(&mut self, s: &str, place: Place) -> String {
        let pad = match (place, self.flow_pad) {
            (Place::Block, Some(pad)) if self.rng.chance(25) => Some(" ".repeat(pad)),
            _ => None,
        };
        if plain(s, place) && self.rng.chance(70) {
            return match pad {
                Some(pad) => {
                    self.folded(s.chars().map(String::from).collect(), s, &pad, Quote::Plain)
                }
                None => s.to_owned(),
            };
        }
        if place == Place::Key && decimal_key(s) && self.rng.chance(70) {
            return s.to_owned();
        }
        let single_line = s.chars().all(nb_char);
        let single_lines = s.chars().all(|c| c == '\n' || nb_char(c)) && breaks_fold(s);
        if (single_line || (pad.is_some() && single_lines)) && self.rng.chance(50) {
            let tokens = s
                .chars()
                .map(|c| {
                    if c == '\'' {
                        "''".to_owned()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            return match pad {
                Some(pad) => format!("'{}'", self.folded(tokens, s, &pad, Quote::Single)),
                None => format!("'{}'", s.replace('\'', "''")),
            };
        }
        if self.rng.chance(50) {
            return json_string(s);
        }
        let tokens = s.chars().map(|c| self.escaped(c)).collect();
        match pad {
            Some(pad) => format!("\"{}\"", self.folded(tokens, s, &pad, Quote::Double)),
            None => format!("\"{}\"", tokens.concat()),
        }
    }

    /// `c` in a double-quoted scalar: as itself where YAML reads it raw, else (or now and
    /// then) one of YAML's escapes for it (`\N`, `\L`, `\_`, `\e`, `\x1B`, `\u00E9`,
    /// `\U0001F600`, ...).
    fn escaped(&mut self, c: char) -> String {
        let named = match c {
            '\0' => Some("\\0"),
            '\u{7}' => Some("\\a"),
            '\u{8}' => Some("\\b"),
            '\t' => Some("\\t"),
            '\n' => Some("\\n"),
            '\u{b}' => Some("\\v"),
            '\u{c}' => Some("\\f"),
            '\r' => Some("\\r"),
            '\u{1b}' => Some("\\e"),
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '/' => Some("\\/"),
            ' ' => Some("\\ "),
            '\u{85}' => Some("\\N"),
            '\u{a0}' => Some("\\_"),
            '\u{2028}' => Some("\\L"),
            '\u{2029}' => Some("\\P"),
            _ => None,
        };
        // Raw: printable characters but the two the quotes escape, and the tab.
        let raw = (nb_char(c) && c != '"' && c != '\\') || c == '\u{feff}';
        if raw && self.rng.chance(80) {
            return c.to_string();
        }
        if let Some(named) = named
            && (self.rng.chance(70) || !raw)
        {
            return named.to_owned();
        }
        let n = c as u32;
        match self.rng.below(3) {
            0 if n <= 0xff => format!("\\x{n:02X}"),
            1 if n <= 0xffff => format!("\\u{n:04x}"),
            _ => format!("\\U{n:08X}"),
        }
    }

    /// A quoted or plain scalar's `tokens` (one per character of `s`, as written) on several
    /// lines indented by `pad`: a single space between two other characters folds into a line
    /// break, a line break of `s` between two such characters is an empty line, and (in a
    /// double-quoted scalar) an escaped line break (`\` at a line's end) may come between
    /// any two tokens but before a blank.
    fn folded(&mut self, tokens: Vec<String>, s: &str, pad: &str, quote: Quote) -> String {
        let chars: Vec<char> = s.chars().collect();
        let white = |c: Option<&char>| c.is_none_or(|c| matches!(c, ' ' | '\t' | '\n' | '\r'));
        let mut out = String::new();
        let mut i = 0;
        while i < tokens.len() {
            let token = &tokens[i];
            // A run of line breaks, each an empty line (a lone line break folds into a space).
            // Single quotes cannot write them otherwise; double quotes can (`\n`).
            if chars[i] == '\n' && (quote == Quote::Single || breaks_fold(s) && self.rng.chance(50))
            {
                let run = chars[i..].iter().take_while(|&&c| c == '\n').count();
                out.push_str(&"\n".repeat(run + 1));
                out.push_str(pad);
                i += run;
                continue;
            }
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let around = !white(before) && !white(chars.get(i + 1));
            // A plain scalar's line cannot start a comment (or look like a key).
            let next_ok = quote != Quote::Plain || !matches!(chars.get(i + 1), Some('#' | ':'));
            if around && next_ok && token == " " && self.rng.chance(30) {
                out.push('\n');
                out.push_str(pad);
                i += 1;
                continue;
            }
            let blank = token.starts_with([' ', '\t']);
            if quote == Quote::Double && i > 0 && !blank && self.rng.chance(3) {
                out.push_str("\\\n");
                out.push_str(pad);
            }
            out.push_str(token);
            i += 1;
        }
        out
    }
}

/// Whether every run of line breaks in `s` can be written as empty lines of a quoted scalar:
/// no blank right before or after it (folding drops blanks at a line's ends).
fn breaks_fold(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    chars.iter().enumerate().all(|(i, &c)| {
        let blank = |d: Option<&char>| matches!(d, Some(' ' | '\t'));
        c != '\n'
            || !(blank(i.checked_sub(1).and_then(|j| chars.get(j))) || blank(chars.get(i + 1)))
    })
}

/// How a scalar written on several lines is quoted.
#[derive(Clone, Copy, PartialEq)]
enum Quote {
    Plain,
    Single,
    Double,
}

enum Anchor {
    None,
    Define(String),
    Alias(String),
}

/// How often each value (as JSON) occurs in `v`.
fn count(v: &Value, seen: &mut HashMap<String, usize>) {
    *seen.entry(v.to_string()).or_default() += 1;
    match v {
        Value::Object(m) => m.values().for_each(|v| count(v, seen)),
        Value::Array(items) => items.iter().for_each(|v| count(v, seen)),
        _ => {}
    }
}

fn json_string(s: &str) -> String {
    escape_unprintable(&serde_json::to_string(s).expect("a string serializes"))
}

/// JSON text with the characters YAML reads only escaped (DEL and C1 controls, which JSON
/// writes raw) escaped.
fn escape_unprintable(json: &str) -> String {
    json.chars()
        .map(|c| match c {
            '\u{7f}'..='\u{9f}' if c != '\u{85}' => format!("\\u{:04x}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// A character YAML 1.2 reads raw on one line (`nb-char`): printable, no line break, no BOM.
fn nb_char(c: char) -> bool {
    let printable = matches!(c, '\t' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}');
    (printable || matches!(c, '\u{e000}'..='\u{fffd}' | '\u{10000}'..)) && c != '\u{feff}'
}

/// A key that is a decimal integer as written (`400`): read as a number, whose text it is.
fn decimal_key(s: &str) -> bool {
    s.parse::<u32>().is_ok_and(|n| n.to_string() == s)
}

/// Whether `s` may be written plain at `place` and read back as the same text: YAML 1.2's
/// syntax for plain scalars, and its core schema's tags (a plain `true`, `0x1F` or `.inf` is
/// not text).
fn plain(s: &str, place: Place) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    let flow = place != Place::Block;
    let syntax = s
        .chars()
        .all(|c| nb_char(c) && !(flow && ",[]{}".contains(c)))
        && !"-?:,[]{}#&*!|>'\"%@`".contains(first)
        && !first.is_whitespace()
        && !s.ends_with([' ', '\t', ':'])
        && !s.contains(": ")
        && !s.contains(":\t")
        && !s.contains(" #")
        && !s.contains("\t#")
        && !(flow && s.contains(':'))
        && !s.starts_with("---")
        && !s.starts_with("...");
    // A plain `<<` key (explicit ones too) is a merge key; quoted everywhere.
    syntax && !core_typed(s) && s != "<<"
}

/// Whether YAML 1.2's core schema reads a plain `s` as a null, boolean, integer or float.
fn core_typed(s: &str) -> bool {
    let digits = |t: &str, radix: u32| !t.is_empty() && t.chars().all(|c| c.is_digit(radix));
    if matches!(
        s,
        "" | "~"
            | "null"
            | "Null"
            | "NULL"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
    ) {
        return true;
    }
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits(unsigned, 10)
        || s.strip_prefix("0o").is_some_and(|t| digits(t, 8))
        || s.strip_prefix("0x").is_some_and(|t| digits(t, 16))
    {
        return true;
    }
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(s, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(i) => (&unsigned[..i], Some(&unsigned[i + 1..])),
        None => (unsigned, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => digits(frac, 10),
        Some((whole, frac)) => digits(whole, 10) && (frac.is_empty() || digits(frac, 10)),
        None => digits(mantissa, 10),
    };
    let exponent_ok = exponent.is_none_or(|e| digits(e.strip_prefix(['-', '+']).unwrap_or(e), 10));
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every written form of the first seeds generates what the JSON form generates.
    #[test]
    fn written_forms_mean_the_json_form() {
        for seed in 0..12 {
            let (json, _) = super::super::random::catalog(seed, 8);
            let files = files(seed, &json);
            if let Err(e) = same_outputs(&json, &files) {
                panic!("seed {seed}: {e}");
            }
        }
    }

    /// Every written form of many seeds (`XTASK_WRITTEN_SEEDS`, `0-31` unless set, of
    /// `XTASK_WRITTEN_CODES` codes, 8 unless set; on every core) generates what the JSON form
    /// generates.
    #[test]
    fn written_forms_of_many_seeds_mean_the_json_form() {
        let text = std::env::var("XTASK_WRITTEN_SEEDS").unwrap_or_else(|_| "0-31".to_owned());
        let seeds = super::super::seeds(&text).expect("XTASK_WRITTEN_SEEDS as `0-199`");
        let codes: usize = std::env::var("XTASK_WRITTEN_CODES").map_or(8, |n| n.parse().unwrap());
        let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
        let failures: Vec<String> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads)
                .map(|t| {
                    let seeds = &seeds;
                    scope.spawn(move || {
                        let mut failures = Vec::new();
                        for &seed in seeds.iter().skip(t).step_by(threads) {
                            let (json, _) = super::super::random::catalog(seed, codes);
                            let files = files(seed, &json);
                            if let Err(e) = same_outputs(&json, &files) {
                                failures.push(format!("seed {seed}: {e}"));
                            }
                        }
                        failures
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap())
                .collect()
        });
        assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    }

    /// A real error in a written catalog (a code of an unknown category, in whichever file and
    /// form it is written) is reported at the file, line and column where its value is.
    #[test]
    fn an_error_is_reported_where_it_is_written() {
        const WRONG: &str = "zz_no_such_category";
        /// Whether a node at `line` and `column` of `node` is the text `WRONG`.
        fn holds(node: &codegen::yaml::Node, line: u32, column: u32) -> bool {
            use codegen::yaml::Value as V;
            let here = node.span.line == line && node.span.column == column;
            match &node.value {
                V::Str(s) => here && s == WRONG,
                V::Seq(items) => items.iter().any(|n| holds(n, line, column)),
                V::Map(entries) => entries.iter().any(|(_, n)| holds(n, line, column)),
                _ => false,
            }
        }
        for seed in (0..48).filter(|s| s % 4 != 0) {
            let (json, _) = super::super::random::catalog(seed, 6);
            let mut doc: Value = serde_json::from_str(&json).unwrap();
            let errors = doc["errors"].as_array_mut().unwrap();
            let at = seed as usize % errors.len();
            errors[at]["category"] = Value::String(WRONG.to_owned());
            let json = serde_json::to_string_pretty(&doc).unwrap();
            let sources: Vec<codegen::Source> = files(seed, &escape_unprintable(&json))
                .into_iter()
                .map(|(name, text)| codegen::Source::new(name, text))
                .collect();
            let failure = codegen::load(&sources).expect_err("an unknown category");
            let d = failure
                .diagnostics
                .items
                .iter()
                .find(|d| d.message.contains(WRONG))
                .unwrap_or_else(|| panic!("seed {seed}: {failure}"));
            let span = d.span.unwrap();
            let file = &failure.sources[span.file as usize];
            let root = codegen::yaml::parse(0, &file.text).unwrap();
            assert!(
                holds(&root, span.line, span.column),
                "seed {seed}: {}:{}:{} is not the category written\n{failure}",
                file.name,
                span.line,
                span.column
            );
        }
    }

    /// The forms the module doc names are drawn, over a few seeds.
    #[test]
    fn the_yaml_forms_are_drawn() {
        let mut all = String::new();
        let mut folders = 0;
        for seed in 0..16 {
            let (json, _) = super::super::random::catalog(seed, 6);
            let files = files(seed, &json);
            folders += usize::from(files.len() > 1);
            for (_, text) in files {
                all.push_str(&text);
            }
        }
        assert!(folders >= 6, "{folders} folders");
        if let Ok(path) = std::env::var("XTASK_WRITTEN_DUMP") {
            std::fs::write(path, &all).unwrap();
        }
        for form in [
            "<<: ",
            ": *",
            ": &",
            " |",
            " >",
            "|-",
            ">-",
            "|2",
            "\r\n",
            "\u{feff}",
            "\n#",
            "%YAML",
            "- ",
            ": '",
            "0x",
            "? ",
            "<<: [",
            "<<:\n",
            "\\N",
            "\\e",
            "\\x",
            "\\u",
            "\\U",
            "\\\n",
            ",\n",
            ":\t",
            "\t#",
            "# next\u{85}",
            "&nel\u{85}",
        ] {
            assert!(all.contains(form), "no {form:?} drawn");
        }
    }

    #[test]
    fn core_schema_types_plain_scalars() {
        for typed in [
            "1", "-2", "+3", "0x1F", "0o17", "1.5", ".5", "1e5", "1.", "-.inf", ".NaN", "~", "True",
        ] {
            assert!(core_typed(typed), "{typed}");
        }
        assert!(!plain("<<", Place::Key) && !plain("<<", Place::Block) && plain("<", Place::Key));
        for text in [
            "1.0.0",
            "1x",
            "inf",
            "nan",
            "0b1",
            "yes",
            "1_000",
            "2024-02-29",
            "e5",
            ".",
        ] {
            assert!(!core_typed(text), "{text}");
        }
    }
}
