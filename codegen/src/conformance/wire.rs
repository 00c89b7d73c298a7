//! The body-verdict table of a catalog whose wire is not the flat envelope: the same classes
//! of body as the flat table, each built in the neutral form and rendered through the wire
//! (`wire_data::wire_body`), then broken at the wire's own places (a member removed, given the
//! wrong type or `null`, a header-borne code without its header).

use serde_json::{Value, json};

use super::{
    BodyCase, Change, MAX_DEPTH, MAX_SAFE_INTEGER, SENTINEL, STATUS_RANGE, TABLE_CODES,
    broken_examples, changed, headers_json, hidden_by_duplicate_key, invalid, text, unknown_body,
    unknown_code, valid, with_token,
};
use crate::emit::wire_data;
use crate::model::{Catalog, SchemaKind};
use crate::wire::{CodeForm, FieldType, Member, Place, Role, tokens};

/// Where a member is, as the TypeScript and Python packages' problems say it:
/// `error.details[@type=...ErrorInfo].reason`, `header x-amzn-ErrorType`, `body` for the root.
pub fn shown(place: &Place) -> String {
    match place {
        Place::Header { header } => format!("header {header}"),
        Place::Body { pointer, entry } => {
            let mut out = tokens(pointer).join(".");
            if let Some(e) = entry {
                out.push_str(&format!("[{}={}]", e.key, e.value));
                for t in tokens(&e.pointer) {
                    out.push('.');
                    out.push_str(&t);
                }
            }
            if out.is_empty() { "body".into() } else { out }
        }
    }
}

/// The value at a body place, mutably (through a typed list entry too).
fn at_mut<'v>(body: &'v mut Value, place: &Place) -> Option<&'v mut Value> {
    let Place::Body { pointer, entry } = place else {
        return None;
    };
    let mut v = crate::wire::get_mut(body, pointer)?;
    if let Some(e) = entry {
        v = v
            .as_array_mut()?
            .iter_mut()
            .find(|i| i.get(&e.key).and_then(Value::as_str) == Some(e.value.as_str()))?;
        v = crate::wire::get_mut(v, &e.pointer)?;
    }
    Some(v)
}

/// Removes the member at a body place; whether it was there.
fn remove_at(body: &mut Value, place: &Place) -> bool {
    let Place::Body { pointer, entry } = place else {
        return false;
    };
    match entry {
        Some(e) => {
            let Some(list) = crate::wire::get_mut(body, pointer) else {
                return false;
            };
            let Some(item) = list.as_array_mut().and_then(|items| {
                items
                    .iter_mut()
                    .find(|i| i.get(&e.key).and_then(Value::as_str) == Some(e.value.as_str()))
            }) else {
                return false;
            };
            remove_pointer(item, &e.pointer)
        }
        None => remove_pointer(body, pointer),
    }
}

fn remove_pointer(v: &mut Value, pointer: &str) -> bool {
    let t = tokens(pointer);
    let Some((last, parents)) = t.split_last() else {
        return false;
    };
    let parent = parents.iter().try_fold(v, |v, t| match v {
        Value::Object(m) => m.get_mut(t),
        Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?),
        _ => None,
    });
    match parent {
        Some(Value::Object(m)) => m.remove(last).is_some(),
        _ => false,
    }
}

/// How deeply a value nests (a scalar is level 0, an empty object level 1).
fn depth(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(depth).max().unwrap_or(0),
        Value::Object(o) => 1 + o.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// A neutral body rendered through the wire, ready to be broken at its places.
struct Wired {
    body: Value,
    headers: Vec<(String, String)>,
    status: Option<u16>,
}

struct Table<'c> {
    catalog: &'c Catalog,
    cases: Vec<BodyCase>,
}

impl Table<'_> {
    fn render(&self, neutral: &Value) -> Wired {
        let (body, headers) = wire_data::wire_body(self.catalog, neutral);
        // A wire whose body carries no status reads the response's.
        let status = (!self.catalog.wire.has_status())
            .then(|| neutral.get("code").and_then(Value::as_u64))
            .flatten()
            .and_then(|s| u16::try_from(s).ok());
        Wired {
            body,
            headers,
            status,
        }
    }

    fn push(&mut self, mut case: BodyCase, w: &Wired) {
        if !w.headers.is_empty() {
            case.headers = Some(headers_json(&w.headers));
        }
        case.status = w.status;
        self.cases.push(case);
    }

    fn valid(&mut self, name: String, w: &Wired, token: Option<&str>, code: &str, known: bool) {
        let json = token.map_or_else(|| text(&w.body), |t| with_token(&w.body, t));
        self.push(valid(name, json, code, known), w);
    }

    fn invalid(&mut self, name: String, w: &Wired, token: Option<&str>, problem: &str) {
        let json = token.map_or_else(|| text(&w.body), |t| with_token(&w.body, t));
        self.push(invalid(name, json, problem), w);
    }
}

/// The first member of a role whose place is in the body.
fn body_member(catalog: &Catalog, pred: impl Fn(&Role) -> bool) -> Option<&Member> {
    catalog
        .wire
        .with_role(pred)
        .find(|m| matches!(m.at, Place::Body { .. }))
}

/// The wire table: see the module's doc.
pub fn cases(catalog: &Catalog) -> Vec<BodyCase> {
    let mut t = Table {
        catalog,
        cases: Vec::new(),
    };
    let wire = &catalog.wire;
    let codes = &catalog.errors[..catalog.errors.len().min(TABLE_CODES)];
    for e in codes {
        for ex in &e.examples {
            let w = t.render(&ex.body);
            t.valid(
                format!("example {}/{}", e.code, ex.name),
                &w,
                None,
                &e.code,
                true,
            );
        }
    }
    let unknown = unknown_body(catalog, 418);
    let unknown_code = unknown_code(catalog);
    let u = t.render(&unknown);
    t.valid("an unknown code".into(), &u, None, &unknown_code, false);
    let mut extra = t.render(&unknown);
    if let Some(o) = extra.body.as_object_mut() {
        o.insert("zz_extra".into(), json!({ "nested": [true, null] }));
    }
    t.valid(
        "an unknown code with an extra member".into(),
        &extra,
        None,
        &unknown_code,
        false,
    );

    // JSON itself: the same rules as the flat table.
    let unknown_text = text(&u.body);
    let bom = |name: &str, json: String, ok: bool, t: &mut Table| {
        let case = if ok {
            valid(name.into(), json, &unknown_code, false)
        } else {
            invalid(name.into(), json, "body: not JSON")
        };
        t.push(case, &u);
    };
    bom(
        "a byte-order mark before the body",
        format!("\u{feff}{unknown_text}"),
        true,
        &mut t,
    );
    bom(
        "two byte-order marks before the body",
        format!("\u{feff}\u{feff}{unknown_text}"),
        false,
        &mut t,
    );
    for (what, json) in [
        ("empty text", ""),
        ("HTML", "<html><body>Bad Gateway</body></html>"),
        ("a truncated object", "{\"error\":"),
    ] {
        t.push(invalid(what.into(), json.into(), "body: not JSON"), &u);
    }
    for (what, json, problem) in [
        ("null", "null", "body: expected an object, found null"),
        ("an array", "[]", "body: expected an object, found an array"),
        ("a number", "42", "body: expected an object"),
        ("a string", "\"x\"", "body: expected an object"),
    ] {
        t.push(
            invalid(format!("the JSON text {what}"), json.into(), problem),
            &u,
        );
    }
    t.push(
        invalid(
            "an array holding the body".into(),
            format!("[{unknown_text}]"),
            "body: expected an object, found an array",
        ),
        &u,
    );
    for case in hidden_by_duplicate_key(&unknown_text) {
        t.push(case, &u);
    }
    // Duplicate keys: the last one counts.
    if let Some((first, _)) = u.body.as_object().and_then(|o| o.iter().next()) {
        let key = text(&json!(first));
        let dup = unknown_text.replacen('{', &format!("{{{key}:42,"), 1);
        t.push(
            valid(
                "a duplicate key: the last one counts".into(),
                dup,
                &unknown_code,
                false,
            ),
            &u,
        );
    }

    // The message member: lone surrogates, a surrogate pair, a number, `null`.
    if let Some(m) = body_member(catalog, |r| matches!(r, Role::Message)) {
        let place = shown(&m.at);
        let set = |name: &str, token: &str, problem: Option<&str>, t: &mut Table| {
            let mut w = t.render(&unknown);
            if let Some(v) = at_mut(&mut w.body, &m.at) {
                *v = json!(SENTINEL);
            }
            match problem {
                None => t.valid(name.into(), &w, Some(token), &unknown_code, false),
                Some(p) => t.invalid(name.into(), &w, Some(token), p),
            }
        };
        set(
            "a lone surrogate in the message",
            r#""bad \ud800 text""#,
            Some("body: not JSON"),
            &mut t,
        );
        set(
            "a surrogate pair in the message",
            r#""\ud83d\ude00""#,
            None,
            &mut t,
        );
        let wrong = format!("{place}: expected a string, found the number 42");
        set("the message is a number", "42", Some(&wrong), &mut t);
        let null = format!("{place}: expected a string, found null");
        set("the message is null", "null", Some(&null), &mut t);
    }

    // The code's member: the wrong type, missing, and where a header may carry it.
    if let Some(m) = body_member(catalog, |r| matches!(r, Role::Code { .. })) {
        let place = shown(&m.at);
        let integer = matches!(
            m.role,
            Role::Code {
                form: CodeForm::Integer
            }
        );
        let mut w = t.render(&unknown);
        if let Some(v) = at_mut(&mut w.body, &m.at) {
            *v = if integer { json!("42") } else { json!(42) };
        }
        // A header that carries the code would be read first.
        w.headers.clear();
        if integer {
            t.invalid(
                "the code is a string".into(),
                &w,
                None,
                &format!("{place}: expected an integer, found the string \"42\""),
            );
        } else {
            t.invalid(
                "the code is a number".into(),
                &w,
                None,
                &format!("{place}: expected a string, found the number 42"),
            );
        }
        // Any spelling of a whole number is the code.
        if let (true, Some(e)) = (integer, codes.first())
            && let Some(n) = crate::wire::integer_code(&e.code)
        {
            let mut w = t.render(&e.primary_example().body);
            if let Some(v) = at_mut(&mut w.body, &m.at) {
                #[allow(clippy::cast_precision_loss)] // within 2^53
                let whole = n as f64;
                *v = json!(whole);
            }
            w.headers.clear();
            t.valid(format!("{} as {n}.0", e.code), &w, None, &e.code, true);
        }
        let mut w = t.render(&unknown);
        remove_at(&mut w.body, &m.at);
        w.headers.clear();
        // The code's places are one member to the TypeScript and Python readers: required when
        // any place is, and named by its first body place.
        let problem = if wire.code_members().any(|c| c.required) {
            format!("{place}: required field is missing")
        } else {
            let at: Vec<String> = wire.code_members().map(|m| shown(&m.at)).collect();
            format!("error: no code in {}", at.join(" or "))
        };
        t.invalid("no code anywhere".into(), &w, None, &problem);
        let aws = matches!(
            m.role,
            Role::Code {
                form: CodeForm::AwsShape
            }
        );
        if let (true, Some(e)) = (aws, codes.first()) {
            let mut w = t.render(&e.primary_example().body);
            if let Some(v) = at_mut(&mut w.body, &m.at) {
                *v = json!(format!("com.example#{}:http://internal.example/", e.code));
            }
            w.headers.clear();
            t.valid(
                format!("{} as namespace#code:url", e.code),
                &w,
                None,
                &e.code,
                true,
            );
        }
    }
    if let (Some(header), Some(e)) = (wire.code_header(), codes.first()) {
        let body_code = body_member(catalog, |r| matches!(r, Role::Code { .. }));
        // Clients read the code's places in the catalog's order, the first present one
        // winning: a body member listed before the header wins over it.
        let body_first = body_code.filter(|m| {
            let order: Vec<&Place> = wire.code_members().map(|c| &c.at).collect();
            order.iter().position(|p| **p == m.at)
                < order.iter().position(|p| matches!(p, Place::Header { .. }))
        });
        // The header alone carries the code.
        let mut w = t.render(&e.primary_example().body);
        if let Some(m) = body_code {
            remove_at(&mut w.body, &m.at);
        }
        w.headers = vec![(header.to_string(), e.code.clone())];
        let name = format!("{} in header {header} only", e.code);
        t.valid(name, &w, None, &e.code, true);
        // The header and an unknown code in the body: the place listed first wins.
        let mut w = t.render(&e.primary_example().body);
        if let Some(m) = body_code {
            // The unknown code as the body spells codes (an integer, say).
            let mut spelled = t.render(&unknown).body;
            let code =
                at_mut(&mut spelled, &m.at).map_or_else(|| json!(unknown_code), |v| v.take());
            if let Some(v) = at_mut(&mut w.body, &m.at) {
                *v = code;
            }
        }
        w.headers = vec![(header.to_string(), e.code.clone())];
        let name = format!(
            "{} in header {header} and an unknown code in the body",
            e.code
        );
        match body_first {
            Some(_) => t.valid(name, &w, None, &unknown_code, false),
            None => t.valid(name, &w, None, &e.code, true),
        }
        // A header-borne unknown code, its name in lower case (and namespaced, for AWS).
        let aws = wire.code_members().any(|m| {
            matches!(
                (&m.at, &m.role),
                (
                    Place::Header { .. },
                    Role::Code {
                        form: CodeForm::AwsShape
                    }
                )
            )
        });
        let mut w = t.render(&unknown);
        if let Some(m) = body_code {
            remove_at(&mut w.body, &m.at);
        }
        let value = if aws {
            format!("com.example#{unknown_code}:http://internal.example/")
        } else {
            unknown_code.clone()
        };
        w.headers = vec![(header.to_ascii_lowercase(), value)];
        let name = format!("an unknown code in header {header} (lower case)");
        t.valid(name, &w, None, &unknown_code, false);
    }

    // The status member: an HTTP status, however spelled.
    if let Some(m) = body_member(catalog, |r| matches!(r, Role::Status)) {
        let place = shown(&m.at);
        let (low, high) = STATUS_RANGE;
        let status_as = |token: &str, t: &Table| {
            let mut w = t.render(&unknown);
            if let Some(v) = at_mut(&mut w.body, &m.at) {
                *v = json!(SENTINEL);
            }
            (w, token.to_string())
        };
        for token in ["418.0", "4.18e2", "41800e-2"] {
            let (w, token) = status_as(token, &t);
            t.valid(
                format!("the status is {token}"),
                &w,
                Some(&token),
                &unknown_code,
                false,
            );
        }
        for (token, problem) in [
            (
                "\"418\"",
                format!("{place}: expected an integer, found the string"),
            ),
            ("418.5", format!("{place}: expected an integer")),
            (
                "true",
                format!("{place}: expected an integer, found the boolean true"),
            ),
            ("null", format!("{place}: expected an integer, found null")),
            (
                "70000",
                format!("{place}: 70000 is greater than the maximum {high}"),
            ),
            (
                "600",
                format!("{place}: 600 is greater than the maximum {high}"),
            ),
            ("99", format!("{place}: 99 is less than the minimum {low}")),
            (
                "18446744073709551616",
                format!("{place}: expected an integer"),
            ),
            ("NaN", "body: not JSON".to_string()),
            ("1e400", "body: not JSON".to_string()),
        ] {
            let (w, token) = status_as(token, &t);
            t.invalid(format!("the status is {token}"), &w, Some(&token), &problem);
        }
    }

    // An optional status left out of a known code's body, and the response's status is
    // another: the problem names the status member's place, as with one in the body.
    if let (Some(m), Some(e)) = (
        body_member(catalog, |r| matches!(r, Role::Status)).filter(|m| !m.required),
        codes.first(),
    ) {
        let mut w = t.render(&e.primary_example().body);
        if remove_at(&mut w.body, &m.at) {
            let other = if e.status == 418 { 419 } else { 418 };
            w.status = Some(other);
            t.invalid(
                format!("{} without its status, in a {other} response", e.code),
                &w,
                None,
                &format!(
                    "{}: expected {} for \"{}\", found the number {other}",
                    shown(&m.at),
                    e.status,
                    e.code
                ),
            );
        }
    }

    // Every required member of the body, removed; every free field, of the wrong type.
    for m in &wire.members {
        if !matches!(m.at, Place::Body { .. }) {
            continue;
        }
        let place = shown(&m.at);
        if m.required && !matches!(m.role, Role::Code { .. } | Role::Details) {
            let mut w = t.render(&unknown);
            if remove_at(&mut w.body, &m.at)
                && matches!(m.role, Role::Message | Role::Status | Role::Field { .. })
            {
                t.invalid(
                    format!("without {place}"),
                    &w,
                    None,
                    &format!("{place}: required field is missing"),
                );
            }
        }
        let wrong: &[(&str, &str, &str)] = match &m.role {
            Role::Field {
                kind: FieldType::Integer,
                ..
            } => &[
                ("null", "an integer", "null"),
                ("\"5\"", "an integer", "the string \"5\""),
                ("5.5", "an integer", "the number 5.5"),
            ],
            Role::Field { .. } | Role::RetryDelay => &[
                ("null", "a string", "null"),
                ("5", "a string", "the number 5"),
            ],
            _ => &[],
        };
        for (token, expected, found) in wrong {
            let mut neutral = unknown.clone();
            neutral[m.name.as_str()] = json!(SENTINEL);
            let w = t.render(&neutral);
            t.invalid(
                format!("{} is {token}", m.name),
                &w,
                Some(token),
                &format!("{place}: expected {expected}, found {found}"),
            );
        }
    }

    // An optional field in an object of its own (`/meta/trace`) whose object is a number: not
    // an error body, though the field may be absent (the body's shape is wrong).
    for m in &wire.members {
        let (
            Place::Body {
                pointer,
                entry: None,
            },
            false,
        ) = (&m.at, m.required)
        else {
            continue;
        };
        let Some((parent, _)) = pointer.rsplit_once('/') else {
            continue;
        };
        let shared = wire.members.iter().any(|o| {
            !std::ptr::eq(o, m)
                && matches!(&o.at, Place::Body { pointer: p, .. } if p.starts_with(&format!("{parent}/")) || p == parent)
        });
        if parent.is_empty() || shared || !matches!(m.role, Role::Field { .. }) {
            continue;
        }
        let mut w = t.render(&unknown);
        let container = Place::Body {
            pointer: parent.to_string(),
            entry: None,
        };
        if let Some(v) = crate::wire::get_mut(&mut w.body, parent) {
            *v = json!(0);
        } else {
            crate::wire::put(&mut w.body, parent, None, json!(0));
        }
        t.invalid(
            format!("{} is 0", shown(&container)),
            &w,
            None,
            &format!(
                "{}: expected an object, found the number 0",
                shown(&container)
            ),
        );
    }

    // Details: at their own place they must be an object; anywhere, numbers stay I-JSON and
    // nesting is bounded.
    if let Some(d) = wire.details_member() {
        let place = shown(&d.at);
        if !wire.details_inline() {
            for (what, token, found) in [
                ("an array", "[]", "an array"),
                ("a string", "\"x\"", "the string"),
                ("null", "null", "null"),
            ] {
                let mut w = t.render(&unknown);
                if let Some(v) = at_mut(&mut w.body, &d.at) {
                    *v = json!(SENTINEL);
                }
                t.invalid(
                    format!("the details are {what}"),
                    &w,
                    Some(token),
                    &format!("{place}: expected an object, found {found}"),
                );
            }
        }
        let mut big = unknown.clone();
        big["details"] = json!({ "n": SENTINEL });
        let w = t.render(&big);
        for (what, token) in [("1e400", "1e400"), ("400 digits", &"9".repeat(400) as &str)] {
            t.invalid(
                format!("{what} in unknown details"),
                &w,
                Some(token),
                "body: not JSON",
            );
        }
        t.valid(
            "an integer of 40 digits in unknown details".into(),
            &w,
            Some("1234567890123456789012345678901234567890"),
            &unknown_code,
            false,
        );
        let nested = |levels: usize| {
            let mut deep = json!("bottom");
            for _ in 0..levels {
                deep = json!([deep]);
            }
            let mut n = unknown.clone();
            n["details"] = json!({ "deep": deep });
            n
        };
        // Arrays added under `deep` make its branch the deepest one.
        let base = depth(&t.render(&nested(10)).body) - 10;
        if base < MAX_DEPTH {
            let w = t.render(&nested(MAX_DEPTH - base));
            t.valid(
                format!("nested {MAX_DEPTH} levels deep (the limit)"),
                &w,
                None,
                &unknown_code,
                false,
            );
            let w = t.render(&nested(MAX_DEPTH - base + 1));
            t.invalid(
                format!("nested {} levels deep", MAX_DEPTH + 1),
                &w,
                None,
                &format!("body: nested deeper than {MAX_DEPTH} levels"),
            );
        }
    }

    // Known codes: their status, their details.
    let status_member = body_member(catalog, |r| matches!(r, Role::Status));
    for e in codes {
        let body = &e.primary_example().body;
        let other = if e.status == 599 { 598 } else { e.status + 1 };
        let mut w = t.render(&changed(body, &["code".into()], &Change::Set(json!(other))));
        if status_member.is_none() {
            w.status = Some(other);
        }
        let at = status_member.map_or("code".to_string(), |m| shown(&m.at));
        t.invalid(
            format!("{} with status {other}", e.code),
            &w,
            None,
            &format!("{at}: expected {} for \"{}\"", e.status, e.code),
        );
        if let Some(m) = status_member {
            let mut w = t.render(body);
            if let Some(v) = at_mut(&mut w.body, &m.at) {
                *v = json!(SENTINEL);
            }
            t.valid(
                format!("{} with status {}.0", e.code, e.status),
                &w,
                Some(&format!("{}.0", e.status)),
                &e.code,
                true,
            );
        }
        let (Some(schema), Some(Value::Object(_))) = (&e.details, body.get("details")) else {
            continue;
        };
        let details_at = wire
            .details_member()
            .map_or("details".into(), |d| shown(&d.at));
        let field_at = |name: &str| format!("{details_at}.{name}");
        for broken in broken_examples(e) {
            let [first, rest @ ..] = broken.path.as_slice() else {
                continue;
            };
            if first != "details" {
                continue;
            }
            let neutral = changed(body, &broken.path, &broken.change);
            // The wire writes no details at all in place of an empty object.
            let empty = neutral["details"].as_object().is_none_or(|d| d.is_empty());
            let problem = match rest {
                [name, ..] if !empty => {
                    let shown_name = format!("details.{name}");
                    broken.problem.replacen(&shown_name, &field_at(name), 1)
                }
                _ => format!("{details_at}: required for \"{}\"", e.code),
            };
            let w = t.render(&neutral);
            let what = match &broken.change {
                Change::Set(v) => format!("with {} = {}", broken.path.join("."), text(v)),
                Change::Remove => format!("without {}", broken.path.join(".")),
            };
            t.invalid(format!("{} {what}", e.code), &w, None, &problem);
        }
        for p in &schema.properties {
            let path = ["details".to_string(), p.name.clone()];
            let set = |v: Value| changed(body, &path, &Change::Set(v));
            let shown_name = field_at(&p.name);
            match &p.schema.kind {
                SchemaKind::String {
                    enum_values: Some(_),
                    ..
                } => {
                    // Left out when no value meets the schema's other keywords.
                    if let Some(future) = super::future_enum_value(&p.schema.kind) {
                        let w = t.render(&set(json!(future)));
                        t.valid(
                            format!(
                                "{} with a value of {shown_name} from a newer server",
                                e.code
                            ),
                            &w,
                            None,
                            &e.code,
                            true,
                        );
                    }
                }
                SchemaKind::Integer { minimum, maximum } => {
                    let w = t.render(&set(json!(SENTINEL)));
                    let problem = format!("{shown_name}: expected an integer");
                    for token in ["true", "18446744073709551616", "1.5"] {
                        t.invalid(
                            format!("{} with {shown_name} = {token}", e.code),
                            &w,
                            Some(token),
                            &problem,
                        );
                    }
                    let safe = MAX_SAFE_INTEGER as i64;
                    let in_range =
                        |n: i64| minimum.is_none_or(|m| n >= m) && maximum.is_none_or(|m| n <= m);
                    t.invalid(
                        format!("{} with {shown_name} = 2^53", e.code),
                        &w,
                        Some(&(safe + 1).to_string()),
                        &problem,
                    );
                    if in_range(safe) {
                        t.valid(
                            format!("{} with {shown_name} = 2^53 - 1", e.code),
                            &w,
                            Some(&safe.to_string()),
                            &e.code,
                            true,
                        );
                    }
                    if let Some(n) = body["details"].get(&p.name).and_then(Value::as_i64) {
                        t.valid(
                            format!("{} with {shown_name} = {n}.0", e.code),
                            &w,
                            Some(&format!("{n}.0")),
                            &e.code,
                            true,
                        );
                    }
                }
                _ => {}
            }
            if !p.required && !p.schema.nullable {
                let w = t.render(&set(json!(SENTINEL)));
                t.invalid(
                    format!("{} with {shown_name} = null", e.code),
                    &w,
                    Some("null"),
                    &format!("{shown_name}: expected"),
                );
            }
        }
        let mut extra = body.clone();
        extra["details"]["zz_extra"] = json!("1");
        let w = t.render(&extra);
        t.valid(
            format!("{} with an extra details field", e.code),
            &w,
            None,
            &e.code,
            true,
        );
    }
    t.cases
}
