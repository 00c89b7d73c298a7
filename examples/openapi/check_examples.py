"""Validates every example of a generated OpenAPI error document against its schema.

    python check_examples.py DOC.json            # exit 0 when every example is valid, else 1
    python check_examples.py --break DOC.json    # exit 0 when every deliberately broken copy of
                                                 # the document is rejected, else 1

Run by `cargo xtask test openapi` with the pinned jsonschema (tools/requirements.txt). Schemas are
JSON Schema 2020-12 (the OpenAPI 3.1 dialect); `$ref`s resolve inside the document. Checked:
- each media-type example of each response and webhook against that media type's schema;
- each example's `x-headers` against the headers of the response that uses it (none undeclared);
- each component example against `ErrorEnvelope`, and, if its `error` is a known code, against
  `ErrorBody` and the schema the `ErrorBody` discriminator maps the code to; an example of a
  wire other than the flat envelope names its code's schema in `x-schema` instead;
- each header `example` against the header's schema, and each schema's `examples`.
"""

import copy
import json
import sys
from urllib.parse import quote

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

BASE = "urn:errcat:openapi"


def pointer(*parts):
    """A URI fragment JSON pointer to `parts` in the document."""
    return "#/" + "/".join(quote(str(p).replace("~", "~0").replace("/", "~1"), safe="") for p in parts)


def deref(doc, node):
    """Follows a local `$ref` (Reference Object), returning (node, path of the node)."""
    path = None
    while isinstance(node, dict) and "$ref" in node and node["$ref"].startswith("#/"):
        path = [p.replace("~1", "/").replace("~0", "~") for p in node["$ref"][2:].split("/")]
        node = doc
        for p in path:
            node = node[p]
    return node, path


# Keywords that do not constrain an instance (besides `x-` extensions).
ANNOTATIONS = {"description", "title", "discriminator", "examples", "$comment", "externalDocs"}


def at_path(doc, path):
    node = doc
    for p in path:
        node = node[p]
    return node


def branches_path(doc, path):
    """The path of the schema at `path`, after following its `$ref`s."""
    _, target = deref(doc, at_path(doc, path))
    return target or list(path)


def union_branches(doc, path):
    """The branches of the schema at `path` if it is a bare `oneOf` (annotations aside), else None."""
    node, _ = deref(doc, at_path(doc, path))
    if not isinstance(node, dict) or not isinstance(node.get("oneOf"), list):
        return None
    if any(k != "oneOf" and k not in ANNOTATIONS and not k.startswith("x-") for k in node):
        return None
    return node["oneOf"]


def contradicts(doc, schema, instance):
    """Whether `instance` surely fails `schema` by `properties`: a property it has is a `const`
    of another value (Python's `!=`, which never calls equal JSON values different), at any
    depth of `properties` and `prefixItems`."""
    schema, _ = deref(doc, schema)
    if isinstance(schema, dict) and isinstance(instance, list):
        items = zip(schema.get("prefixItems", []), instance)
        return any(contradicts(doc, sub, item) for sub, item in items)
    if not isinstance(schema, dict) or not isinstance(instance, dict):
        return False
    for name, sub in schema.get("properties", {}).items():
        if name not in instance:
            continue
        sub, _ = deref(doc, sub)
        if isinstance(sub, dict) and "const" in sub and instance[name] != sub["const"]:
            return True
        if contradicts(doc, sub, instance[name]):
            return True
    return False


def check(doc, only=None):
    """Every problem found, as text; empty when all examples are valid. With `only`, just the
    uses of that one example (a broken copy need not re-check every other example: the
    document's schemas are shared, so a full check per copy is quadratic in its codes)."""
    registry = Registry().with_resource(BASE, Resource.from_contents(doc, default_specification=DRAFT202012))
    problems = []
    checked = 0

    def errors_of(instance, path):
        validator = Draft202012Validator(
            {"$ref": BASE + pointer(*path)}, registry=registry, format_checker=FormatChecker()
        )
        return [
            ("/".join(str(p) for p in error.absolute_path) or "(root)", error.message)
            for error in validator.iter_errors(instance)
        ]

    def validate(where, instance, *path):
        nonlocal checked
        checked += 1
        branches = union_branches(doc, path)
        if branches is None:
            found = errors_of(instance, path)
        else:
            # `oneOf`: exactly one branch valid. A branch whose constant the instance contradicts
            # is invalid for sure; the others are validated whole. (Validating the whole union
            # for each example is quadratic in the codes: hours at 10,000.)
            union = branches_path(doc, path)
            candidates = [i for i, branch in enumerate(branches) if not contradicts(doc, branch, instance)]
            verdicts = {i: errors_of(instance, [*union, "oneOf", i]) for i in candidates}
            valid = [i for i in candidates if not verdicts[i]]
            found = []
            if len(candidates) == 1 and not valid:
                # The one branch that could take it says why it does not.
                found = verdicts[candidates[0]]
            elif not valid:
                found = [("(root)", f"{instance!r:.80} is not valid under any of the given schemas")]
            elif len(valid) > 1:
                found = [("(root)", f"{instance!r:.80} is valid under each of the branches {valid}")]
        for at, message in found:
            problems.append(f"{where}: at {at}: {message}")

    components = doc.get("components", {})
    schemas = components.get("schemas", {})

    def media(where, owner_path, owner, headers):
        for mt, content in owner.get("content", {}).items():
            schema_path = [*owner_path, "content", mt, "schema"]
            for name, ex in content.get("examples", {}).items():
                target = ex.get("$ref", "").rsplit("/", 1)[-1] if isinstance(ex, dict) else ""
                if only is not None and only not in (name, target):
                    continue
                ex, _ = deref(doc, ex)
                if "value" in ex:
                    validate(f"{where} example {name}", ex["value"], *schema_path)
                for h, value in ex.get("x-headers", {}).items():
                    match = [k for k in headers if k.lower() == h.lower()]
                    if not match:
                        problems.append(f"{where} example {name}: header {h} is not declared by the response")
                        continue
                    _, hpath = deref(doc, headers[match[0]])
                    hpath = hpath or [*owner_path, "headers", match[0]]
                    validate(f"{where} example {name} header {h}", value, *hpath, "schema")
            if "example" in content:
                validate(f"{where} example", content["example"], *schema_path)

    for name, response in components.get("responses", {}).items():
        response_path = ["components", "responses", name]
        media(f"response {name}", response_path, response, response.get("headers", {}))
        for h, header in response.get("headers", {}).items():
            header, hpath = deref(doc, header)
            if "example" in header and only is None:
                hpath = hpath or [*response_path, "headers", h]
                validate(f"response {name} header {h} example", header["example"], *hpath, "schema")

    for event, item in doc.get("webhooks", {}).items():
        for method, op in item.items():
            body = op.get("requestBody")
            if body:
                media(f"webhook {event} {method}", ["webhooks", event, method, "requestBody"], body, {})

    for name, header in components.get("headers", {}).items():
        if "example" in header and only is None:
            validate(f"header {name} example", header["example"], "components", "headers", name, "schema")

    mapping = schemas.get("ErrorBody", {}).get("discriminator", {}).get("mapping", {})
    for name, ex in components.get("examples", {}).items():
        if only is not None and name != only:
            continue
        value = ex.get("value")
        validate(f"example {name} as ErrorEnvelope", value, "components", "schemas", "ErrorEnvelope")
        if "x-schema" in ex:
            validate(f"example {name} as ErrorBody", value, "components", "schemas", "ErrorBody")
            target = ex["x-schema"]
            validate(f"example {name} as {target}", value, *target[2:].split("/"))
            continue
        code = value.get("error") if isinstance(value, dict) else None
        if code in mapping:
            validate(f"example {name} as ErrorBody", value, "components", "schemas", "ErrorBody")
            target = mapping[code]
            validate(f"example {name} as {target}", value, *target[2:].split("/"))

    for name, schema in schemas.items():
        for i, ex in enumerate(schema.get("examples", []) if only is None else []):
            validate(f"schema {name} examples[{i}]", ex, "components", "schemas", name)

    if checked == 0:
        problems.append("the document has no examples to check")
    return problems, checked


def breaks(doc):
    """Broken copies of the document, one deliberate mistake each: (what, document, example).
    Each mistake is one the schemas surely reject, whatever the catalog: a required member
    removed, a value of another JSON type, or another code's body where a `const` differs."""
    examples = doc["components"]["examples"]
    coded = [(n, e) for n, e in examples.items() if isinstance(e.get("value"), dict) and "code" in e["value"]]
    mapping = doc["components"].get("schemas", {}).get("ErrorBody", {}).get("discriminator", {}).get("mapping", {})
    out = []

    def broken(what, name, change):
        d = copy.deepcopy(doc)
        change(d["components"]["examples"][name]["value"])
        out.append((f"{what} in example {name}", d, name))

    wire = [(n, e) for n, e in examples.items() if "x-schema" in e and isinstance(e.get("value"), dict)]
    if wire:
        # A wire other than the flat envelope: its member names are the wire's.
        name, ex = wire[0]
        # A member the code's schema requires (the code may have other places, a header among
        # them, where a body without it is still valid).
        schema, _ = deref(doc, {"$ref": ex["x-schema"]})
        required = [k for k in ex["value"] if k in schema.get("required", [])]
        if required:
            first = required[0]
            broken(f"`{first}` removed", name, lambda v: v.pop(first))
        # Another code's body, where a constant of this code's schema tells them apart (a code
        # carried only in a header leaves bodies that may not differ).
        other = next(
            (
                (n, e)
                for n, e in wire
                if e["x-schema"] != ex["x-schema"] and contradicts(doc, {"$ref": ex["x-schema"]}, e["value"])
            ),
            None,
        )
        if other:
            body = other[1]["value"]
            broken(f"the body of {other[0]} given", name, lambda v: (v.clear(), v.update(copy.deepcopy(body))))
        coded = []
    if coded:
        name, _ = coded[0]
        broken("`code` changed", name, lambda v: v.update(code=v["code"] + 1))
        broken("`message` removed", name, lambda v: v.pop("message"))
    with_details = [
        (n, e, k)
        for n, e in coded
        if isinstance(e["value"].get("details"), dict)
        for k, value in e["value"]["details"].items()
        if value is not None
    ]
    if with_details:
        # A value of another JSON type than the example's (each property has one type).
        name, ex, key = with_details[0]
        wrong = "wrong" if isinstance(ex["value"]["details"][key], dict) else {"wrong": True}
        broken(f"`details.{key}` given {wrong!r}", name, lambda v: v["details"].update({key: wrong}))
    if coded:
        name, ex = coded[0]
        # Another code whose schema the body then contradicts (its status, say): two codes of
        # one status without details have bodies that differ only in `error`.
        others = (e["value"]["error"] for _, e in coded)
        other = next(
            (
                o
                for o in others
                if o != ex["value"]["error"]
                and o in mapping
                and contradicts(doc, {"$ref": mapping[o]}, {**ex["value"], "error": o})
            ),
            None,
        )
        if other is not None:
            broken(f"`error` set to another code ({other})", name, lambda v: v.update(error=other))
    with_headers = [(n, e) for n, e in examples.items() if e.get("x-headers")]
    if with_headers:
        name, _ = with_headers[0]
        d = copy.deepcopy(doc)
        d["components"]["examples"][name]["x-headers"]["X-Undeclared-Header"] = "1"
        out.append((f"an undeclared header in example {name}", d, name))
    return out


def main(argv):
    args = [a for a in argv if a != "--break"]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        doc = json.load(f)
    if "--break" in argv:
        missed = 0
        for what, d, name in breaks(doc):
            problems, _ = check(d, only=name)
            if problems:
                print(f"rejected, as expected: {what}\n    {problems[0]}")
            else:
                print(f"NOT REJECTED: {what}")
                missed += 1
        return 1 if missed else 0
    problems, checked = check(doc)
    for p in problems:
        print(p)
    if problems:
        print(f"{len(problems)} problem(s) in {args[0]}")
        return 1
    print(f"{args[0]}: {checked} example validations, all valid")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
