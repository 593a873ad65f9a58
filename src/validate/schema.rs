//! Check 9, provider schemas: every `resource` and `data` block of the `.tf` files against the
//! schema of the pinned provider (aws 6, kubernetes 3, helm 3, random 3), as `terraform validate`
//! would without provider binaries: unknown types, arguments and blocks, an argument written as
//! a block or a block as an argument, required arguments and blocks left out (inside the nested
//! blocks that are present too), computed-only attributes set. Meta-arguments are Terraform's;
//! `dynamic "x"` validates its `content` as an `x` block. Types of other providers are not
//! checked.
//!
//! The schemas are embedded (`provider_schemas/<provider>.txt`: names and flags only, written by
//! `scripts/provider-schemas.sh` from the prebuilt CDK provider packages; each file names its
//! package and provider version). A record is found by binary search and decoded only for the
//! types a repository uses. Pure; never touches the network.

use super::CheckKind;
use super::finding::Finding;
use super::terraform::{Parsed, label, start};
use crate::suggest::did_you_mean;
use hcl::edit::structure::{Block, Body};
use std::collections::BTreeMap;

/// An embedded provider schema: the type prefix it covers and its text.
pub(crate) struct Provider {
    pub name: &'static str,
    pub text: &'static str,
}

/// The providers whose schemas are embedded, as pinned in `blueprints/_versions.yml`.
pub(crate) const PROVIDERS: &[Provider] = &[
    Provider {
        name: "aws",
        text: include_str!("provider_schemas/aws.txt"),
    },
    Provider {
        name: "kubernetes",
        text: include_str!("provider_schemas/kubernetes.txt"),
    },
    Provider {
        name: "helm",
        text: include_str!("provider_schemas/helm.txt"),
    },
    Provider {
        name: "random",
        text: include_str!("provider_schemas/random.txt"),
    },
];

/// Terraform's own arguments and blocks of every `resource` and `data` block.
const META_ARGUMENTS: &[&str] = &["count", "for_each", "provider", "depends_on"];
const RESOURCE_META_BLOCKS: &[&str] = &["lifecycle", "connection", "provisioner"];
const DATA_META_BLOCKS: &[&str] = &["lifecycle"];

impl Provider {
    /// `registry.terraform.io/hashicorp/aws 6.66.0`: the first header line, without `# aws: `.
    pub(crate) fn version(&self) -> &'static str {
        let first = self.text.lines().next().unwrap_or_default();
        first.split_once(": ").map_or(first, |(_, rest)| rest)
    }

    /// The provider a type name belongs to, by its prefix.
    fn of(type_name: &str) -> Option<&'static Provider> {
        let prefix = type_name.split('_').next()?;
        PROVIDERS.iter().find(|provider| provider.name == prefix)
    }

    /// The record of `resource.<type>` or `data.<type>`: its lines after the header.
    fn record(&self, key: &str) -> Option<&'static str> {
        let text = self.text;
        let next_start = |from: usize| -> usize {
            let bytes = text.as_bytes();
            if (from == 0 || bytes.get(from - 1) == Some(&b'\n')) && bytes.get(from) == Some(&b'=')
            {
                return from;
            }
            text[from..]
                .find("\n=")
                .map_or(text.len(), |index| from + index + 1)
        };
        let header_key = |at: usize| -> &str {
            let line = &text[at + 1..];
            &line[..line.find('\n').unwrap_or(line.len())]
        };
        let (mut low, mut high) = (next_start(0), text.len());
        while low < high {
            let mut middle = next_start(low + (high - low) / 2);
            if middle >= high {
                middle = low;
            }
            match header_key(middle).cmp(key) {
                std::cmp::Ordering::Equal => {
                    let body = middle + 1 + key.len() + 1;
                    let end = next_start(body.min(text.len()));
                    return Some(&text[body.min(end)..end]);
                }
                std::cmp::Ordering::Less => low = next_start(middle + 1),
                std::cmp::Ordering::Greater => high = middle,
            }
        }
        None
    }

    /// Every type name of a kind (`resource` or `data`), for a suggestion.
    fn type_names(&self, kind: &str) -> impl Iterator<Item = &'static str> {
        let prefix = format!("={kind}.");
        self.text
            .lines()
            .filter_map(move |line| line.strip_prefix(prefix.as_str()))
    }
}

/// One name of a schema.
#[derive(Debug)]
enum Entry {
    Attribute {
        required: bool,
        computed_only: bool,
        /// A list of objects that Terraform also accepts as blocks (an SDKv2 `ConfigModeAttr`).
        blocks_allowed: bool,
    },
    Block {
        required: bool,
        /// `None`: the content is not checked (a recursive schema).
        schema: Option<Schema>,
    },
}

/// The names of a resource, data source or nested block.
#[derive(Debug, Default)]
pub(crate) struct Schema {
    entries: BTreeMap<&'static str, Entry>,
}

impl Schema {
    /// Decodes a record (lines `name kind`, indented one space per depth).
    fn decode(record: &'static str) -> Schema {
        let mut lines = record.lines().peekable();
        Schema::decode_level(&mut lines, 0)
    }

    fn decode_level(
        lines: &mut std::iter::Peekable<std::str::Lines<'static>>,
        depth: usize,
    ) -> Schema {
        let mut schema = Schema::default();
        while let Some(line) = lines.peek() {
            let indent = line.len() - line.trim_start_matches(' ').len();
            if indent < depth {
                break;
            }
            let line = lines.next().unwrap_or_default();
            let (name, kind) = line[indent..]
                .split_once(' ')
                .unwrap_or((&line[indent..], ""));
            let entry = match kind {
                "B" | "b" => Entry::Block {
                    required: kind == "B",
                    schema: Some(Schema::decode_level(lines, depth + 1)),
                },
                "u" => Entry::Block {
                    required: false,
                    schema: None,
                },
                _ => Entry::Attribute {
                    required: kind.starts_with('r'),
                    computed_only: kind == "c",
                    blocks_allowed: kind.ends_with('l'),
                },
            };
            schema.entries.insert(name, entry);
        }
        schema
    }

    fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries.keys().copied()
    }

    /// A schema's settable names only, for suggestions.
    fn settable(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.entries
            .iter()
            .filter(|(_, entry)| {
                !matches!(
                    entry,
                    Entry::Attribute {
                        computed_only: true,
                        ..
                    }
                )
            })
            .map(|(name, _)| *name)
    }
}

/// The decoded schema of a `resource` or `data` type, `None` when the provider has no such type.
pub(crate) fn lookup(kind: &str, type_name: &str) -> Option<Option<Schema>> {
    let provider = Provider::of(type_name)?;
    Some(
        provider
            .record(&format!("{kind}.{type_name}"))
            .map(Schema::decode),
    )
}

/// Check 9 over every `.tf` file.
pub(crate) fn check(parsed: &Parsed) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut schemas: BTreeMap<String, Option<Schema>> = BTreeMap::new();
    for (path, file) in &parsed.files {
        if !path.ends_with(".tf") {
            continue;
        }
        let mut context = Context {
            path,
            text: file.text,
            findings: &mut findings,
        };
        for block in file.body.blocks() {
            let kind = block.ident.as_str();
            if kind != "resource" && kind != "data" {
                continue;
            }
            let (Some(type_name), Some(name)) = (label(block), block.labels.get(1)) else {
                continue;
            };
            let Some(provider) = Provider::of(type_name) else {
                continue;
            };
            let key = format!("{kind}.{type_name}");
            let schema = schemas
                .entry(key)
                .or_insert_with(|| lookup(kind, type_name).flatten());
            let title = format!("`{type_name}.{}`", name.as_str());
            match schema {
                Some(schema) => {
                    let meta_blocks = if kind == "resource" {
                        RESOURCE_META_BLOCKS
                    } else {
                        DATA_META_BLOCKS
                    };
                    context.body(&block.body, schema, &title, Some(meta_blocks), start(block));
                }
                None => {
                    let noun = if kind == "resource" {
                        "a resource type"
                    } else {
                        "a data source"
                    };
                    context.error(
                        start(block),
                        format!(
                            "`{type_name}` is not {noun} of the {} provider ({}){}",
                            provider.name,
                            provider.version(),
                            did_you_mean(type_name, provider.type_names(kind))
                        ),
                        None,
                    );
                }
            }
        }
    }
    findings
}

struct Context<'f, 'a> {
    path: &'a str,
    text: &'a str,
    findings: &'f mut Vec<Finding>,
}

impl Context<'_, '_> {
    fn error(&mut self, offset: usize, message: String, help: Option<String>) {
        let mut finding =
            Finding::error(CheckKind::Schema, self.path, message).at_offset(self.text, offset);
        if let Some(help) = help {
            finding = finding.help(help);
        }
        self.findings.push(finding);
    }

    /// Checks one body against its schema. `meta_blocks`: the top level of a `resource` or
    /// `data` block, where Terraform's meta-arguments are allowed too.
    fn body(
        &mut self,
        body: &Body,
        schema: &Schema,
        title: &str,
        meta_blocks: Option<&[&str]>,
        offset: usize,
    ) {
        let mut present: Vec<&str> = Vec::new();
        for attribute in body.attributes() {
            let name = attribute.key.as_str();
            present.push(name);
            if meta_blocks.is_some() && META_ARGUMENTS.contains(&name) {
                continue;
            }
            let at = start(&attribute.key);
            match schema.entries.get(name) {
                None => self.error(
                    at,
                    format!(
                        "`{name}` is not an argument of {title}{}",
                        did_you_mean(name, schema.settable())
                    ),
                    None,
                ),
                Some(Entry::Block { .. }) => self.error(
                    at,
                    format!("`{name}` is a block of {title}, not an argument"),
                    Some(format!("write `{name} {{ ... }}` without `=`")),
                ),
                Some(Entry::Attribute {
                    computed_only: true,
                    ..
                }) => self.error(
                    at,
                    format!("`{name}` of {title} is computed by the provider and cannot be set"),
                    Some(format!("remove `{name}`; read it as an attribute instead")),
                ),
                Some(Entry::Attribute { .. }) => {}
            }
        }
        for block in body.blocks() {
            let (name, content, at) = match block.ident.as_str() {
                "dynamic" => {
                    let Some(name) = label(block) else { continue };
                    let content = block
                        .body
                        .blocks()
                        .find(|inner| inner.ident.as_str() == "content");
                    (name, content.map(|inner| &inner.body), start(block))
                }
                name => (name, Some(&block.body), start(block)),
            };
            present.push(name);
            if meta_blocks.is_some_and(|meta| meta.contains(&name)) {
                continue;
            }
            self.block(block, name, content, schema, title, at);
        }
        for (name, entry) in &schema.entries {
            if present.contains(name) {
                continue;
            }
            match entry {
                Entry::Attribute { required: true, .. } => self.error(
                    offset,
                    format!("{title} does not set `{name}`, which is required"),
                    Some(format!("add `{name} = ...`")),
                ),
                Entry::Block { required: true, .. } => self.error(
                    offset,
                    format!("{title} has no `{name}` block, which is required"),
                    Some(format!("add `{name} {{ ... }}`")),
                ),
                _ => {}
            }
        }
    }

    fn block(
        &mut self,
        block: &Block,
        name: &str,
        content: Option<&Body>,
        schema: &Schema,
        title: &str,
        at: usize,
    ) {
        match schema.entries.get(name) {
            None => self.error(
                at,
                format!(
                    "`{name}` is not a block of {title}{}",
                    did_you_mean(name, schema.names())
                ),
                None,
            ),
            Some(Entry::Attribute {
                computed_only: true,
                ..
            }) => self.error(
                at,
                format!("`{name}` of {title} is computed by the provider and cannot be set"),
                Some(format!("remove the `{name}` block")),
            ),
            Some(Entry::Attribute {
                blocks_allowed: true,
                ..
            }) => {}
            Some(Entry::Attribute { .. }) => self.error(
                at,
                format!("`{name}` is an argument of {title}, not a block"),
                Some(format!("write `{name} = {{ ... }}` (or `= [...]`)")),
            ),
            Some(Entry::Block { schema: None, .. }) => {}
            Some(Entry::Block {
                schema: Some(inner),
                ..
            }) => {
                let title = format!("{title} block `{name}`");
                match content {
                    Some(content) => self.body(content, inner, &title, None, start(block)),
                    None => self.error(
                        at,
                        format!("`dynamic \"{name}\"` of {title} has no `content` block"),
                        None,
                    ),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::tree::Tree;

    fn messages(main_tf: &str) -> Vec<String> {
        let files: BTreeMap<String, Vec<u8>> =
            [("m/main.tf".to_owned(), main_tf.as_bytes().to_vec())].into();
        let tree = Tree::from_files(&files);
        let parsed = Parsed::parse(&tree);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        check(&parsed)
            .iter()
            .map(|f| format!("{}:{}: {}", f.path, f.line.unwrap_or(0), f.message))
            .collect()
    }

    #[test]
    fn the_embedded_schemas_parse_and_name_their_sources() {
        let expected = [
            ("aws", "hashicorp/aws 6.", "npm @cdktn/provider-aws 25."),
            (
                "kubernetes",
                "hashicorp/kubernetes 3.",
                "PyPI cdktn-provider-kubernetes 17.",
            ),
            ("helm", "hashicorp/helm 3.", "PyPI cdktn-provider-helm 15."),
            (
                "random",
                "hashicorp/random 3.",
                "npm @cdktn/provider-random 15.",
            ),
        ];
        for (provider, (name, version, source)) in PROVIDERS.iter().zip(expected) {
            assert_eq!(provider.name, name);
            assert!(
                provider.version().contains(version),
                "{}",
                provider.version()
            );
            assert!(
                provider.text.contains(&format!("# source: {source}")),
                "{name}"
            );
            let mut keys: Vec<&str> = provider
                .text
                .lines()
                .filter_map(|line| line.strip_prefix('='))
                .collect();
            assert!(keys.len() >= 2, "{name}");
            assert!(keys.is_sorted(), "{name}: records must be sorted");
            keys.dedup();
            // Every record is found by the binary search and decodes.
            for key in keys {
                let (kind, type_name) = key.split_once('.').unwrap();
                let schema = lookup(kind, type_name).flatten();
                assert!(schema.is_some_and(|s| !s.entries.is_empty()), "{key}");
            }
        }
        assert!(lookup("resource", "aws_no_such_thing").unwrap().is_none());
        assert!(lookup("resource", "null_resource").is_none());
    }

    #[test]
    fn a_clean_resource_passes() {
        let found = messages(
            "resource \"aws_docdb_cluster\" \"this\" {\n  count              = 1\n  cluster_identifier = \"x\"\n  tags               = { a = \"b\" }\n  depends_on         = []\n  serverless_v2_scaling_configuration {\n    max_capacity = 4\n    min_capacity = 1\n  }\n  lifecycle {\n    ignore_changes = [tags]\n  }\n}\n\ndata \"aws_caller_identity\" \"current\" {}\n\nresource \"null_resource\" \"x\" {\n  anything = 1\n}\n",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    /// The defect of issue 15: `aws_docdb_cluster` has no `copy_tags_to_snapshot` in any aws 5
    /// or 6 release (`aws_docdb_cluster_instance` has it).
    #[test]
    fn copy_tags_to_snapshot_is_not_an_argument_of_a_docdb_cluster() {
        let found = messages(
            "resource \"aws_docdb_cluster\" \"this\" {\n  cluster_identifier    = \"x\"\n  copy_tags_to_snapshot = true\n}\n\nresource \"aws_docdb_cluster_instance\" \"this\" {\n  cluster_identifier    = \"x\"\n  identifier            = \"x-1\"\n  instance_class        = \"db.t4g.medium\"\n  copy_tags_to_snapshot = true\n}\n",
        );
        assert_eq!(
            found,
            ["m/main.tf:3: `copy_tags_to_snapshot` is not an argument of `aws_docdb_cluster.this`"]
        );
    }

    /// One planted defect per row: the resource text and the finding it must give.
    #[test]
    fn planted_schema_defects_are_found_with_file_and_line() {
        let rows: &[(&str, &str)] = &[
            // aws: unknown argument, with a suggestion.
            (
                "resource \"aws_s3_bucket\" \"b\" {\n  bucket       = \"x\"\n  force_destory = true\n}\n",
                "m/main.tf:3: `force_destory` is not an argument of `aws_s3_bucket.b` (did you mean `force_destroy`?)",
            ),
            // aws: an attribute written as a block.
            (
                "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n  tags {\n    a = \"b\"\n  }\n}\n",
                "m/main.tf:3: `tags` is an argument of `aws_s3_bucket.b`, not a block",
            ),
            // aws: a block written as an argument.
            (
                "resource \"aws_docdb_cluster\" \"c\" {\n  serverless_v2_scaling_configuration = {\n    max_capacity = 4\n    min_capacity = 1\n  }\n}\n",
                "m/main.tf:2: `serverless_v2_scaling_configuration` is a block of `aws_docdb_cluster.c`, not an argument",
            ),
            // aws: computed-only attribute set.
            (
                "resource \"aws_iam_role\" \"r\" {\n  assume_role_policy = \"{}\"\n  arn                = \"arn:aws:iam::1:role/x\"\n}\n",
                "m/main.tf:3: `arn` of `aws_iam_role.r` is computed by the provider and cannot be set",
            ),
            // aws: a required argument left out.
            (
                "resource \"aws_iam_role\" \"r\" {\n  name = \"x\"\n}\n",
                "m/main.tf:1: `aws_iam_role.r` does not set `assume_role_policy`, which is required",
            ),
            // aws: a required argument left out inside a nested block that is present.
            (
                "resource \"aws_docdb_cluster\" \"c\" {\n  serverless_v2_scaling_configuration {\n    max_capacity = 4\n  }\n}\n",
                "m/main.tf:2: `aws_docdb_cluster.c` block `serverless_v2_scaling_configuration` does not set `min_capacity`, which is required",
            ),
            // aws: unknown resource type.
            (
                "resource \"aws_docdb_clustr\" \"c\" {\n}\n",
                "m/main.tf:1: `aws_docdb_clustr` is not a resource type of the aws provider (registry.terraform.io/hashicorp/aws 6.66.0) (did you mean `aws_docdb_cluster`?)",
            ),
            // aws: unknown data source.
            (
                "data \"aws_caller_identiy\" \"me\" {}\n",
                "m/main.tf:1: `aws_caller_identiy` is not a data source of the aws provider (registry.terraform.io/hashicorp/aws 6.66.0) (did you mean `aws_caller_identity`?)",
            ),
            // aws: a dynamic block's content is checked as the block it makes.
            (
                "resource \"aws_docdb_cluster\" \"c\" {\n  dynamic \"serverless_v2_scaling_configuration\" {\n    for_each = [1]\n    content {\n      max_capacity = 4\n      min_capacity = 1\n      step         = 2\n    }\n  }\n}\n",
                "m/main.tf:7: `step` is not an argument of `aws_docdb_cluster.c` block `serverless_v2_scaling_configuration`",
            ),
            // aws: a dynamic block of a name the resource does not have.
            (
                "resource \"aws_docdb_cluster\" \"c\" {\n  dynamic \"timeout\" {\n    for_each = [1]\n    content {}\n  }\n}\n",
                "m/main.tf:2: `timeout` is not a block of `aws_docdb_cluster.c` (did you mean `timeouts`?)",
            ),
            // kubernetes: a required block left out.
            (
                "resource \"kubernetes_cron_job_v1\" \"j\" {\n  metadata {\n    name = \"x\"\n  }\n}\n",
                "m/main.tf:1: `kubernetes_cron_job_v1.j` has no `spec` block, which is required",
            ),
            // kubernetes: computed-only inside a nested block (not settable there).
            (
                "resource \"kubernetes_namespace_v1\" \"n\" {\n  metadata {\n    name = \"x\"\n    uid  = \"1\"\n  }\n}\n",
                "m/main.tf:4: `uid` of `kubernetes_namespace_v1.n` block `metadata` is computed by the provider and cannot be set",
            ),
            // kubernetes: unknown block inside a nested block.
            (
                "resource \"kubernetes_secret_v1\" \"s\" {\n  metadata {\n    name = \"x\"\n    label {\n    }\n  }\n}\n",
                "m/main.tf:4: `label` is not a block of `kubernetes_secret_v1.s` block `metadata` (did you mean `labels`?)",
            ),
            // helm 3: `set` is a list attribute, not a block (the helm 2 syntax).
            (
                "resource \"helm_release\" \"r\" {\n  name  = \"x\"\n  chart = \"y\"\n  set {\n    name  = \"a\"\n    value = \"b\"\n  }\n}\n",
                "m/main.tf:4: `set` is an argument of `helm_release.r`, not a block",
            ),
            // helm: required argument missing.
            (
                "resource \"helm_release\" \"r\" {\n  name = \"x\"\n}\n",
                "m/main.tf:1: `helm_release.r` does not set `chart`, which is required",
            ),
            // random: unknown argument and computed-only `result`.
            (
                "resource \"random_password\" \"p\" {\n  length  = 16\n  special = true\n  result  = \"x\"\n  lenght  = 2\n}\n",
                "m/main.tf:4: `result` of `random_password.p` is computed by the provider and cannot be set",
            ),
        ];
        for (text, expected) in rows {
            let found = messages(text);
            assert!(
                found.iter().any(|line| line == expected),
                "{text}\nexpected: {expected}\nfound: {found:#?}"
            );
        }
    }

    #[test]
    fn block_syntax_is_accepted_for_sdk_list_attributes_and_meta_blocks() {
        let found = messages(
            "resource \"aws_security_group\" \"g\" {\n  ingress {\n    from_port = 443\n  }\n  provisioner \"local-exec\" {\n    command = \"true\"\n  }\n  connection {\n    host = \"x\"\n  }\n}\n",
        );
        assert!(found.is_empty(), "{found:?}");
        let data = messages("data \"aws_caller_identity\" \"me\" {\n  provisioner \"x\" {}\n}\n");
        assert_eq!(
            data,
            ["m/main.tf:2: `provisioner` is not a block of `aws_caller_identity.me`"]
        );
    }
}
