#!/usr/bin/env python3
"""Writes src/validate/provider_schemas/<provider>.txt from the prebuilt CDK provider packages.

Usage: scripts/provider-schemas.py DIR PROVIDER PACKAGE VERSION
  DIR      an unpacked package (the folder holding `.jsii`, `package.json` and `lib/`)
  PROVIDER aws, kubernetes, helm or random
  PACKAGE  where the package came from, e.g. "npm @cdktn/provider-aws", recorded in the file
Run through scripts/provider-schemas.sh, which downloads and unpacks the packages.

The packages ship no `terraform providers schema -json` file, but everything the check needs is
in what they generated from it:
- `.jsii` (the jsii assembly): a `<Type>Config` struct per resource and data source, one property
  per argument (`optional` unless required) and per nested block, and a struct per block. The
  generator describes every block as "<name> block" and every attribute with the provider's own
  description, which is how a block is told from an attribute of object type.
- `lib/<type>/index.js`: a `// <name> - computed: X, optional: Y, required: Z` line per schema
  attribute in the resource's class and in each block's `...OutputReference` class, which gives
  the computed-only attributes (not in the Config structs) and `static tfResourceType`.

Output format, one line a name, sorted, indented one space per block depth:
  =resource.<type> | =data.<type>     a record; records sorted by this key (binary searched)
  <name> r|o|c                         attribute: required, optional, computed only
  <name> rl|ol                         a list of objects that may be written as blocks too
  <name> B|b                           block: at least one required | optional; its content follows
  <name> u                             block whose content is not checked (recursive or skipped)
"""
import json
import re
import sys
from pathlib import Path

directory, provider, package, version = sys.argv[1:5]
root = Path(directory)
assembly = json.loads((root / ".jsii").read_text())
metadata = json.loads((root / "package.json").read_text())
upstream = metadata["cdktf"]["provider"]
types = assembly["types"]

COMMENT = re.compile(
    r"^\s*// ([A-Za-z0-9_]+) - computed: (true|false), optional: (true|false), required: (true|false)$"
)
CLASS = re.compile(r"^class ([A-Za-z0-9_]+) extends ")
LINK = re.compile(r"#([A-Za-z0-9_]+) [A-Za-z0-9_]+#\1\}")

scripts = {}


def classes(filename):
    """class name -> (static tfResourceType, {attribute: (computed, optional, required)})."""
    if filename in scripts:
        return scripts[filename]
    found = {}
    current = None
    for line in (root / filename).read_text().splitlines():
        match = CLASS.match(line)
        if match:
            current = found.setdefault(match.group(1), [None, {}])
            continue
        if current is None:
            continue
        match = COMMENT.match(line)
        if match:
            current[1][match.group(1)] = tuple(value == "true" for value in match.groups()[1:])
            continue
        match = re.match(r'^\s*static tfResourceType = "([^"]+)";', line)
        if match:
            current[0] = match.group(1)
    scripts[filename] = found
    return found


def snake(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def struct_of(type_reference):
    """The struct a property's type names (through unions and collections), if any."""
    if "fqn" in type_reference:
        fqn = type_reference["fqn"]
        return None if fqn.startswith("cdktn.") else fqn
    for inner in type_reference.get("union", {}).get("types", []):
        found = struct_of(inner)
        if found:
            return found
    if "collection" in type_reference:
        return struct_of(type_reference["collection"]["elementtype"])
    return None


def is_list_of_objects(type_reference):
    for inner in [type_reference, *type_reference.get("union", {}).get("types", [])]:
        element = inner.get("collection", {})
        if element.get("kind") == "array" and "fqn" in element.get("elementtype", {}):
            return True
    return False


def script_of(fqn):
    filename = types[fqn]["locationInModule"]["filename"]
    return "lib/" + filename[len("src/"):-len(".ts")] + ".js"


def render(fqn, attributes_class, depth, stack, out):
    """Lines for the struct `fqn`, whose schema comments are in the class `attributes_class`."""
    entries = {}
    for prop in types[fqn].get("properties", []):
        docs = prop.get("docs", {})
        link = LINK.search(docs.get("remarks", "") + " " + docs.get("summary", ""))
        name = link.group(1) if link else snake(prop["name"])
        nested = struct_of(prop["type"])
        summary = docs.get("summary", "")
        if summary in (f"{name} block", f"{name} block.") and nested is None:
            # A block the generator skipped (typed `any`): known, its content not checked.
            entries[name] = ("u", None)
        elif summary in (f"{name} block", f"{name} block."):
            entries[name] = ("b" if prop.get("optional") else "B", nested)
        else:
            kind = "o" if prop.get("optional") else "r"
            if nested is not None and is_list_of_objects(prop["type"]):
                kind += "l"
            entries[name] = (kind, None)
    # Terraform accepts block syntax for a list-of-objects attribute of an SDKv2 resource
    # (`ingress { }` of `aws_security_group`), not for a nested attribute of the plugin framework
    # (helm 3's `set = [...]`). SDKv2 types are the ones whose `id` may be set.
    legacy = entries.get("id", ("",))[0] == "o"
    for name, (kind, nested) in list(entries.items()):
        if kind.endswith("l") and not legacy:
            entries[name] = (kind[:-1], nested)
    computed = classes(script_of(fqn)).get(attributes_class, [None, {}])[1]
    for name, (is_computed, optional, required) in computed.items():
        if is_computed and not optional and not required and name not in entries:
            entries[name] = ("c", None)
    for name in sorted(entries):
        kind, nested = entries[name]
        if nested is not None and nested in stack:
            out.append(f"{' ' * depth}{name} u")
            continue
        out.append(f"{' ' * depth}{name} {kind}")
        if nested is not None:
            short = nested.rsplit(".", 1)[1]
            render(nested, short + "OutputReference", depth + 1, stack + [nested], out)


records = {}
for fqn, definition in types.items():
    if definition["kind"] != "class":
        continue
    base = definition.get("base")
    if base not in ("cdktn.TerraformResource", "cdktn.TerraformDataSource"):
        continue
    name = definition["name"]
    tf_type = classes(script_of(fqn)).get(name, [None])[0]
    if tf_type is None:
        sys.exit(f"{fqn}: no tfResourceType in {script_of(fqn)}")
    kind = "resource" if base == "cdktn.TerraformResource" else "data"
    config = next(p for p in definition["initializer"]["parameters"] if p["name"] == "config")
    lines = []
    render(config["type"]["fqn"], name, 0, [config["type"]["fqn"]], lines)
    records[f"{kind}.{tf_type}"] = lines

resources = sum(key.startswith("resource.") for key in records)
data_sources = len(records) - resources
print(f"# {provider}: {upstream['name']} {upstream['version']}")
print(f"# source: {package} {version} (its .jsii assembly and lib/*/index.js)")
print(f"# {resources} resource types, {data_sources} data sources; written by scripts/provider-schemas.sh, do not edit")
for key in sorted(records):
    print(f"={key}")
    for line in records[key]:
        print(line)
