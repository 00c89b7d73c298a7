//! `WireEnvelope`, `WireBody` and `WireBodyOf`: the raw JSON a server sends, typed from the
//! catalog's wire format (`wire_data`), whatever its preset: every member's body places become
//! one nested object type, so no preset is special-cased here.

use super::syntax::{CodeWriter, property_key, string_literal};
use crate::emit::wire_data::{FieldType, Member, Place, Step, WireData};
use crate::wire::is_index;

/// An object in the wire body: its members in the order a body is written, and whether the
/// code's details are merged into it (RFC 9457 and AWS put them beside the envelope's members).
#[derive(Debug, Default)]
struct Object {
    fields: Vec<Field>,
    with_details: bool,
}

#[derive(Debug)]
struct Field {
    name: String,
    node: Node,
    required: bool,
}

#[derive(Debug)]
enum Node {
    Object(Object),
    /// A list whose entries are told apart by a member (`@type`), each an object, and whose
    /// indexed elements (`/links/0/url`) share one object type.
    List {
        entries: Vec<(String, String, Object)>,
        items: Option<Object>,
    },
    /// A TypeScript type.
    Leaf(String),
}

impl Object {
    fn field(&mut self, name: &str, make: impl FnOnce() -> Node) -> &mut Field {
        let i = match self.fields.iter().position(|f| f.name == name) {
            Some(i) => i,
            None => {
                self.fields.push(Field {
                    name: name.to_string(),
                    node: make(),
                    required: false,
                });
                self.fields.len() - 1
            }
        };
        &mut self.fields[i]
    }

    /// Puts `leaf` at `steps` below this object, creating objects and lists on the way (a place
    /// that a conflicting member already took is left as it is: validation rejects two members
    /// at one place). `None` marks the object at `steps` as holding the details.
    fn put(&mut self, steps: &[Step], leaf: Option<String>, required: bool) {
        let Some((first, rest)) = steps.split_first() else {
            if leaf.is_none() {
                self.with_details = true;
            }
            return;
        };
        let Step::Key(name) = first else {
            // An entry step right below an object: not a path `wire_data` produces.
            return;
        };
        let make = || match rest.first() {
            None => Node::Leaf(leaf.clone().unwrap_or_else(|| "D".into())),
            Some(Step::Entry { .. }) => Node::List {
                entries: Vec::new(),
                items: None,
            },
            Some(Step::Key(k)) if is_index(k) => Node::List {
                entries: Vec::new(),
                items: None,
            },
            Some(Step::Key(_)) => Node::Object(Object::default()),
        };
        let field = self.field(name, make);
        field.required |= required;
        match (&mut field.node, rest) {
            (Node::Leaf(_), []) => {}
            (Node::Object(o), rest) => o.put(rest, leaf, required),
            (Node::List { entries, items }, [step, rest @ ..]) => {
                let object = match step {
                    Step::Entry { key, equals } => {
                        let i = match entries.iter().position(|(k, e, _)| k == key && e == equals) {
                            Some(i) => i,
                            None => {
                                let mut o = Object::default();
                                o.field(key, || Node::Leaf(string_literal(equals))).required = true;
                                entries.push((key.clone(), equals.clone(), o));
                                entries.len() - 1
                            }
                        };
                        &mut entries[i].2
                    }
                    Step::Key(_) => items.get_or_insert_with(Object::default),
                };
                object.put(rest, leaf, required);
            }
            _ => {}
        }
    }

    fn write(&self, w: &mut CodeWriter, open: &str, close: &str) {
        let close = if self.with_details {
            text!("}} & D{close}")
        } else {
            text!("}}{close}")
        };
        w.block(text!("{open}{{"), &close, |w| {
            for f in &self.fields {
                let prefix = text!(
                    "readonly {}{}: ",
                    property_key(&f.name),
                    if f.required { "" } else { "?" }
                );
                f.node.write(w, &prefix, ";");
            }
        });
    }
}

impl Node {
    fn write(&self, w: &mut CodeWriter, prefix: &str, suffix: &str) {
        match self {
            Node::Leaf(t) => {
                w.line(text!("{prefix}{t}{suffix}"));
            }
            Node::Object(o) => o.write(w, prefix, suffix),
            Node::List { entries, items } => {
                let objects: Vec<&Object> = entries
                    .iter()
                    .map(|(_, _, o)| o)
                    .chain(items.as_ref())
                    .collect();
                match objects.as_slice() {
                    [] => {
                        w.line(text!("{prefix}readonly unknown[]{suffix}"));
                    }
                    // `{ ... } & D` is parenthesized: `[]` binds tighter than `&`.
                    [one] if one.with_details => {
                        one.write(w, &text!("{prefix}readonly ("), &text!(")[]{suffix}"));
                    }
                    [one] => one.write(w, &text!("{prefix}readonly "), &text!("[]{suffix}")),
                    many => {
                        w.block(text!("{prefix}readonly ("), &text!(")[]{suffix}"), |w| {
                            for o in many {
                                o.write(w, "| ", "");
                            }
                        });
                    }
                }
            }
        }
    }
}

/// The TypeScript type of a member's value: `C`, `S` and `D` are `WireEnvelope`'s parameters.
fn leaf(member: &Member, code_is_uri: bool) -> Option<String> {
    Some(match member {
        Member::Code { integer: true, .. } => "number".into(),
        Member::Code { aws: false, .. } if !code_is_uri => "C".into(),
        Member::Code { .. } | Member::Message { .. } => "string".into(),
        Member::Status { .. } => "S".into(),
        Member::Field { ty, .. } => match ty {
            FieldType::String => "string".into(),
            FieldType::Integer => "number".into(),
            FieldType::Object => "{ readonly [key: string]: unknown }".into(),
            FieldType::Json => "unknown".into(),
        },
        Member::Constant { value: Some(v), .. } => string_literal(v),
        Member::Constant { value: None, .. } => "string".into(),
        Member::Details { .. } => return None,
    })
}

/// A type parameter of `WireEnvelope`: its declaration, the argument `WireBody` gives and the
/// one `WireBodyOf<C>` gives.
struct Param {
    name: &'static str,
    declared: &'static str,
    any: &'static str,
    of_code: &'static str,
    meaning: &'static str,
}

/// `WireEnvelope`'s type parameters, each declared only where the body has a place for it (an
/// RFC 9457 body names its code in `type`, an AWS body has no status).
const PARAMS: [Param; 3] = [
    Param {
        name: "C",
        declared: "C extends string",
        any: "string",
        of_code: "C",
        meaning: "the code `C`",
    },
    Param {
        name: "S",
        declared: "S extends number",
        any: "number",
        of_code: "ErrorBodies[C][\"code\"]",
        meaning: "the HTTP status `S`",
    },
    Param {
        name: "D",
        declared: "D",
        any: "UnknownDetails",
        of_code: "WireDetails<C>",
        meaning: "the details `D`",
    },
];

/// The wire body as one object type, and the parameters (`PARAMS`) it uses.
fn body_object(data: &WireData, code_is_uri: bool) -> (Object, Vec<&'static str>) {
    let mut used = Vec::new();
    let mut root = Object::default();
    for m in &data.members {
        let (places, required): (Vec<&[Step]>, bool) = match m {
            Member::Code { at, required, .. }
            | Member::Message { at, required }
            | Member::Status { at, required }
            | Member::Field { at, required, .. } => {
                let body: Vec<&[Step]> = at
                    .iter()
                    .filter_map(|p| match p {
                        Place::Body(steps) => Some(steps.as_slice()),
                        Place::Header(_) => None,
                    })
                    .collect();
                // Alternatives: a body may carry any one of them, so none is required alone.
                let required = *required && at.len() == 1;
                (body, required)
            }
            Member::Constant { at, required, .. } => (vec![at.as_slice()], *required),
            Member::Details { at, except } => {
                // Details that share their object (or a list's element) are merged into it;
                // else the member holds them.
                let steps = at.as_slice();
                let element = matches!(steps.last(), Some(Step::Key(k)) if is_index(k));
                used.push("D");
                if except.is_some() || steps.is_empty() || element {
                    root.put(steps, None, false);
                } else {
                    root.put(steps, Some("D".into()), false);
                }
                continue;
            }
        };
        let leaf = leaf(m, code_is_uri);
        if let Some(param) = PARAMS.iter().find(|p| leaf.as_deref() == Some(p.name))
            && !places.is_empty()
        {
            used.push(param.name);
        }
        for steps in places {
            root.put(steps, leaf.clone(), required);
        }
    }
    (root, used)
}

/// `WireEnvelope`, `WireBody`, `WireDetails` and `WireBodyOf` for a wire other than `flat`.
pub fn write(w: &mut CodeWriter, data: &WireData, code_is_uri: bool) {
    let (object, used) = body_object(data, code_is_uri);
    let params: Vec<&Param> = PARAMS.iter().filter(|p| used.contains(&p.name)).collect();
    let list = |pick: fn(&Param) -> &'static str| {
        let list: Vec<&str> = params.iter().map(|p| pick(p)).collect();
        if list.is_empty() {
            String::new()
        } else {
            text!("<{}>", list.join(", "))
        }
    };
    let meaning: Vec<&str> = params.iter().map(|p| p.meaning).collect();
    let meaning = match meaning.as_slice() {
        [] => String::new(),
        [one] => text!(", with {one}"),
        [init @ .., last] => text!(", with {} and {last}", init.join(", ")),
    };
    w.doc(
        &[text!("A body as the API sends it{meaning} (`WIRE` says where each member is; `parseErrorBody` reads it into an `ErrorBody`).")],
        &[],
    );
    object.write(
        w,
        &text!("export type WireEnvelope{} = ", list(|p| p.declared)),
        ";",
    );
    w.blank();
    w.doc(
        &["Any body as the API sends it, known code or not.".into()],
        &[],
    );
    w.line(text!(
        "export type WireBody = WireEnvelope{};",
        list(|p| p.any)
    ));
    w.blank();
    w.doc(
        &["The `details` of a known code as its wire body carries them.".into()],
        &[],
    );
    w.line("export type WireDetails<C extends ErrorCode> = Exclude<DetailsOf<C>, undefined>;");
    w.blank();
    if params.is_empty() {
        // `_C`: tsc's `noUnusedParameters` lets a parameter named so go unused.
        w.doc(
            &[
                "The body of a known code as the API sends it: nothing in it depends on the code."
                    .into(),
            ],
            &[],
        );
        w.line("export type WireBodyOf<_C extends ErrorCode> = WireEnvelope;");
    } else {
        w.doc(
            &["The body of the known code `C` as the API sends it.".into()],
            &[],
        );
        w.line(text!(
            "export type WireBodyOf<C extends ErrorCode> = WireEnvelope{};",
            list(|p| p.of_code)
        ));
    }
}
