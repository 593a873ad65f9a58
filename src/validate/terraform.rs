//! The HCL files of a tree parsed once (hcl-edit, with byte spans), and what the checks need to
//! know of each local Terraform module (a folder of `.tf` files): its variables, outputs,
//! locals, module calls and the `var.`/`local.`/`module.` references it makes. Pure.

use super::syntax::is_hcl;
use super::tree::{Tree, parent};
use hcl::edit::expr::{Expression, TraversalOperator};
use hcl::edit::structure::{Block, Body, Structure};
use hcl::edit::visit::{self, Visit};
use std::collections::BTreeMap;

/// A place in a file: its path and a byte offset of its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Site<'a> {
    pub path: &'a str,
    pub offset: usize,
}

/// One parsed HCL file.
#[derive(Debug)]
pub(crate) struct HclFile<'a> {
    pub text: &'a str,
    pub body: Body,
}

/// Every HCL file of the tree, parsed once: the bodies of those that parse, and where the
/// others do not (check 1 reports those).
#[derive(Debug, Default)]
pub(crate) struct Parsed<'a> {
    pub files: BTreeMap<&'a str, HclFile<'a>>,
    pub errors: Vec<(&'a str, super::syntax::Located)>,
}

impl<'a> Parsed<'a> {
    /// Parses every HCL file once. Parsing is the largest part of a check, so the files are
    /// parsed on every processor, in slices of the (sorted) list; results keep the list's order.
    pub(crate) fn parse(tree: &Tree<'a>) -> Parsed<'a> {
        let sources: Vec<(&'a str, &'a str)> = tree
            .paths()
            .filter(|path| is_hcl(path))
            .filter_map(|path| Some((path, tree.text(path)?)))
            .collect();
        let threads = std::thread::available_parallelism()
            .map_or(1, usize::from)
            .clamp(1, 8);
        let slice = sources.len().div_ceil(threads).max(1);
        let parse_slice = |slice: &[(&'a str, &'a str)]| {
            slice
                .iter()
                .map(|&(path, text)| (path, text, super::syntax::parse_hcl(text)))
                .collect::<Vec<_>>()
        };
        let results: Vec<_> = std::thread::scope(|scope| {
            let running: Vec<_> = sources
                .chunks(slice)
                .map(|chunk| scope.spawn(move || parse_slice(chunk)))
                .collect();
            running
                .into_iter()
                // As if parsed here: a panic of the parser goes on to the caller.
                .flat_map(|thread| {
                    thread
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
        let mut parsed = Parsed::default();
        for (path, text, result) in results {
            match result {
                Ok(body) => {
                    parsed.files.insert(path, HclFile { text, body });
                }
                Err(located) => parsed.errors.push((path, located)),
            }
        }
        parsed
    }

    /// The HCL files that did not parse, as check 1's findings.
    pub(crate) fn syntax_findings(&self) -> Vec<super::Finding> {
        self.errors
            .iter()
            .map(|(path, located)| located.finding(path))
            .collect()
    }

    pub(crate) fn get(&self, path: &str) -> Option<&HclFile<'a>> {
        self.files.get(path)
    }
}

/// The start of a node's span, or 0.
pub(crate) fn start(node: &impl hcl::edit::Span) -> usize {
    node.span().map_or(0, |span| span.start)
}

/// The text of a string expression without interpolation.
pub(crate) fn literal(expression: &Expression) -> Option<String> {
    match expression {
        Expression::String(text) => Some(text.value().clone()),
        Expression::StringTemplate(template) => {
            let mut text = String::new();
            for element in template.iter() {
                text.push_str(element.as_literal()?.value());
            }
            Some(text)
        }
        _ => None,
    }
}

/// The name an object key gives: an identifier, or a string without interpolation.
pub(crate) fn key_name(key: &hcl::edit::expr::ObjectKey) -> Option<String> {
    key.as_ident()
        .map(|ident| ident.as_str().to_owned())
        .or_else(|| key.as_expr().and_then(literal))
}

/// The first label of a block, if any.
pub(crate) fn label(block: &Block) -> Option<&str> {
    block.labels.first().map(|label| label.as_str())
}

/// A variable a module declares.
#[derive(Debug, Clone)]
pub(crate) struct Variable<'a> {
    pub required: bool,
    pub site: Option<Site<'a>>,
}

/// A `module "name" { ... }` block.
#[derive(Debug, Clone)]
pub(crate) struct ModuleCall<'a> {
    pub name: String,
    pub site: Site<'a>,
    pub source: Option<String>,
    pub version: Option<(String, Site<'a>)>,
    /// Every attribute but the meta-arguments.
    pub arguments: Vec<(String, Site<'a>)>,
}

/// Meta-arguments of a module block; not inputs of the module.
pub(crate) const META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "providers",
    "count",
    "for_each",
    "depends_on",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReferenceKind {
    Var,
    Local,
    Module,
}

/// A `var.x`, `local.x` or `module.x` in a module's code.
#[derive(Debug, Clone)]
pub(crate) struct Reference<'a> {
    pub kind: ReferenceKind,
    pub name: String,
    pub site: Site<'a>,
}

/// A local Terraform module: one folder of `.tf` files.
#[derive(Debug, Default)]
pub(crate) struct Module<'a> {
    pub dir: String,
    pub variables: BTreeMap<String, Variable<'a>>,
    pub outputs: BTreeMap<String, Site<'a>>,
    pub locals: BTreeMap<String, Site<'a>>,
    pub calls: Vec<ModuleCall<'a>>,
    pub references: Vec<Reference<'a>>,
}

/// Every folder of the tree with `.tf` files, as a module.
pub(crate) fn modules<'a>(parsed: &Parsed<'a>) -> BTreeMap<String, Module<'a>> {
    let mut modules: BTreeMap<String, Module<'a>> = BTreeMap::new();
    for (path, file) in &parsed.files {
        if !path.ends_with(".tf") {
            continue;
        }
        let dir = parent(path);
        let module = modules.entry(dir.to_owned()).or_insert_with(|| Module {
            dir: dir.to_owned(),
            ..Module::default()
        });
        add_file(module, path, &file.body);
    }
    modules
}

fn add_file<'a>(module: &mut Module<'a>, path: &'a str, body: &Body) {
    let site = |offset| Site { path, offset };
    for block in body.blocks() {
        match (block.ident.as_str(), label(block)) {
            ("variable", Some(name)) => {
                module.variables.insert(
                    name.to_owned(),
                    Variable {
                        required: !block.body.has_attribute("default"),
                        site: Some(site(start(block))),
                    },
                );
            }
            ("output", Some(name)) => {
                module.outputs.insert(name.to_owned(), site(start(block)));
            }
            ("locals", _) => {
                for attribute in block.body.attributes() {
                    module
                        .locals
                        .insert(attribute.key.as_str().to_owned(), site(start(attribute)));
                }
            }
            ("module", Some(name)) => module.calls.push(module_call(name, block, path)),
            _ => {}
        }
    }
    let mut collector = References {
        path,
        found: Vec::new(),
    };
    for structure in body.iter() {
        match structure {
            // `from` and `to` of `moved`, `removed` and `import` are addresses, not references:
            // a `moved` block's `from` names a module call that is gone on purpose.
            Structure::Block(block) if ADDRESS_BLOCKS.contains(&block.ident.as_str()) => {
                for inner in block.body.iter() {
                    match inner {
                        Structure::Attribute(attribute)
                            if matches!(attribute.key.as_str(), "from" | "to") => {}
                        other => collector.visit_structure(other),
                    }
                }
            }
            other => collector.visit_structure(other),
        }
    }
    module.references.extend(collector.found);
}

/// Blocks whose `from`/`to` are resource or module addresses.
const ADDRESS_BLOCKS: &[&str] = &["moved", "removed", "import"];

fn module_call<'a>(name: &str, block: &Block, path: &'a str) -> ModuleCall<'a> {
    let site = |offset| Site { path, offset };
    let body = &block.body;
    ModuleCall {
        name: name.to_owned(),
        site: site(start(block)),
        source: body
            .get_attribute("source")
            .and_then(|attribute| literal(&attribute.value)),
        version: body.get_attribute("version").and_then(|attribute| {
            literal(&attribute.value).map(|version| (version, site(start(&attribute.value))))
        }),
        arguments: body
            .attributes()
            .filter(|attribute| !META_ARGUMENTS.contains(&attribute.key.as_str()))
            .map(|attribute| {
                (
                    attribute.key.as_str().to_owned(),
                    site(start(&attribute.key)),
                )
            })
            .collect(),
    }
}

struct References<'a> {
    path: &'a str,
    found: Vec<Reference<'a>>,
}

impl Visit for References<'_> {
    fn visit_traversal(&mut self, node: &hcl::edit::expr::Traversal) {
        if let (Expression::Variable(root), Some(first)) = (&node.expr, node.operators.first()) {
            let kind = match root.as_str() {
                "var" => Some(ReferenceKind::Var),
                "local" => Some(ReferenceKind::Local),
                "module" => Some(ReferenceKind::Module),
                _ => None,
            };
            if let (Some(kind), TraversalOperator::GetAttr(name)) = (kind, first.value()) {
                self.found.push(Reference {
                    kind,
                    name: name.as_str().to_owned(),
                    site: Site {
                        path: self.path,
                        offset: start(node),
                    },
                });
            }
        }
        visit::visit_traversal(self, node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn module_of(files: &[(&str, &str)]) -> Module<'static> {
        let files: BTreeMap<String, Vec<u8>> = files
            .iter()
            .map(|(path, text)| ((*path).to_owned(), text.as_bytes().to_vec()))
            .collect();
        let files: &'static BTreeMap<String, Vec<u8>> = Box::leak(Box::new(files));
        let tree: &'static Tree<'static> = Box::leak(Box::new(Tree::from_files(files)));
        let parsed = Parsed::parse(tree);
        modules(&parsed).into_values().next().unwrap()
    }

    #[test]
    fn reads_declarations_calls_and_references() {
        let module = module_of(&[
            (
                "m/variables.tf",
                "variable \"name\" {\n  type = string\n}\nvariable \"size\" {\n  default = 2\n}\n",
            ),
            (
                "m/main.tf",
                "locals {\n  tag = \"${var.name}-x\"\n}\nmodule \"vpc\" {\n  source  = \"terraform-aws-modules/vpc/aws\"\n  version = \"6.6.0\"\n  count   = 1\n  name    = local.tag\n}\noutput \"id\" {\n  value = module.vpc.vpc_id\n}\n",
            ),
        ]);
        assert!(module.variables["name"].required);
        assert!(!module.variables["size"].required);
        assert_eq!(module.outputs.keys().collect::<Vec<_>>(), ["id"]);
        assert_eq!(module.locals.keys().collect::<Vec<_>>(), ["tag"]);
        let call = &module.calls[0];
        assert_eq!(
            call.source.as_deref(),
            Some("terraform-aws-modules/vpc/aws")
        );
        assert_eq!(call.version.as_ref().unwrap().0, "6.6.0");
        let arguments: Vec<_> = call
            .arguments
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(arguments, ["name"]);
        let references: Vec<_> = module
            .references
            .iter()
            .map(|r| (r.kind, r.name.as_str()))
            .collect();
        assert_eq!(
            references,
            [
                (ReferenceKind::Var, "name"),
                (ReferenceKind::Local, "tag"),
                (ReferenceKind::Module, "vpc"),
            ]
        );
    }

    #[test]
    fn addresses_of_moved_removed_and_import_blocks_are_not_references() {
        let module = module_of(&[(
            "m/main.tf",
            "moved {\n  from = module.security_group.aws_security_group.this[0]\n  to   = aws_security_group.this\n}\nremoved {\n  from = module.old\n}\nimport {\n  to = module.kept.aws_s3_bucket.this\n  id = var.bucket\n}\n",
        )]);
        let references: Vec<_> = module
            .references
            .iter()
            .map(|r| (r.kind, r.name.as_str()))
            .collect();
        // The import's `id` is an expression and stays a reference.
        assert_eq!(references, [(ReferenceKind::Var, "bucket")]);
    }
}
