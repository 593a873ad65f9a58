//! Check 10: the security posture of the Terraform a repository holds, rule by rule, over the HCL
//! parsed once ([`Parsed`]) and the Terragrunt units that feed the local modules. Each rule is
//! one [`Rule`], each finding an error at the line to change:
//!
//! - [`Rule::GithubAdmin`]: a role GitHub's OIDC provider may assume holds admin-grade
//!   permissions while its trust admits `pull_request` or a wildcard context.
//! - [`Rule::CdnWholeBucket`]: a bucket policy lets CloudFront read every object of a bucket.
//! - [`Rule::CacheEncryption`]: an ElastiCache replication group or cluster without in-transit
//!   encryption, AUTH or encryption at rest.
//! - [`Rule::DatabaseFromCidr`]: a database or cache port open to a CIDR instead of to security
//!   groups.
//! - [`Rule::StatementId`]: a policy statement id (a literal `sid`, or the key of a map of
//!   statements, which terraform-aws-modules/iam makes the Sid) with other than letters and digits.
//!
//! Values are followed where they are written out: a module's `var.x` is read from the `inputs`
//! of each unit whose source is that module, and `for` expressions over such lists are expanded.
//! A value computed any other way (a dependency output, a function other than `flatten`/`concat`)
//! is unknown and never reported. Pure: reads the parsed files only.

use super::CheckKind;
use super::finding::Finding;
use super::terraform::{Parsed, Site, key_name, label, literal, start};
use super::terragrunt::{Source, Unit};
use super::tree::parent;
use hcl::edit::expr::{Expression, Object};
use hcl::edit::structure::{Block, Body};
use hcl::edit::template::Element;

/// One rule of the check (for tests and documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Rule {
    GithubAdmin,
    CdnWholeBucket,
    CacheEncryption,
    DatabaseFromCidr,
    StatementId,
}

/// The check as the table runs it: every finding of every rule.
pub(crate) fn check(parsed: &Parsed, units: &[Unit]) -> Vec<Finding> {
    rule_findings(parsed, units)
        .into_iter()
        .map(|(_, finding)| finding)
        .collect()
}

/// Every finding with the rule that made it.
pub(crate) fn rule_findings(parsed: &Parsed, units: &[Unit]) -> Vec<(Rule, Finding)> {
    let mut found = Vec::new();
    for (path, file) in &parsed.files {
        statement_ids(path, file.text, &file.body, &mut found);
        if !path.ends_with(".tf") {
            continue;
        }
        let context = File {
            parsed,
            units,
            path,
            text: file.text,
        };
        for block in file.body.blocks() {
            context.block(block, &mut found);
        }
    }
    found.sort_by(|a, b| {
        (&a.1.path, a.1.line, a.1.column, &a.1.message).cmp(&(
            &b.1.path,
            b.1.line,
            b.1.column,
            &b.1.message,
        ))
    });
    found.dedup_by(|a, b| a.1 == b.1);
    found
}

/// One `.tf` file being read, and what it can follow values into.
struct File<'s, 'a> {
    parsed: &'s Parsed<'a>,
    units: &'s [Unit<'a>],
    path: &'a str,
    text: &'a str,
}

impl<'s, 'a> File<'s, 'a> {
    fn block(&self, block: &Block, found: &mut Vec<(Rule, Finding)>) {
        let kind = block.labels.first().map(|label| label.as_str());
        match (block.ident.as_str(), kind) {
            ("module", _) => self.module(block, found),
            ("resource", Some("aws_iam_role")) => self.raw_role(block, found),
            (
                "resource",
                Some(kind @ ("aws_elasticache_replication_group" | "aws_elasticache_cluster")),
            ) => self.raw_cache(kind, block, found),
            ("resource", Some("aws_security_group")) => {
                for ingress in block.body.get_blocks("ingress") {
                    self.raw_ingress(&ingress.body, found);
                }
            }
            ("resource", Some("aws_security_group_rule")) => {
                let body = &block.body;
                if body
                    .get_attribute("type")
                    .and_then(|attribute| literal(&attribute.value))
                    .as_deref()
                    == Some("ingress")
                {
                    self.raw_ingress(body, found);
                }
            }
            ("resource", Some("aws_vpc_security_group_ingress_rule")) => {
                self.raw_ingress(&block.body, found)
            }
            ("data", Some("aws_iam_policy_document")) => {
                for statement in block.body.get_blocks("statement") {
                    self.document_statement(&statement.body, found);
                }
            }
            ("resource", Some("aws_s3_bucket_policy")) => {
                if let Some(policy) = block.body.get_attribute("policy") {
                    self.json_statements(&policy.value, found);
                }
            }
            _ => {}
        }
    }

    fn error(&self, offset: usize, message: String, help: &str) -> Finding {
        Finding::error(CheckKind::Security, self.path, message)
            .at_offset(self.text, offset)
            .help(help)
    }

    /// The text an expression was written as.
    fn source(&self, expression: &Expression) -> &'a str {
        spanned(self.text, expression)
    }

    fn module(&self, block: &Block, found: &mut Vec<(Rule, Finding)>) {
        let Some(source) = block
            .body
            .get_attribute("source")
            .and_then(|attribute| literal(&attribute.value))
        else {
            return;
        };
        let body = &block.body;
        if source.starts_with("terraform-aws-modules/iam/aws//modules/iam-role")
            || source.starts_with("terraform-aws-modules/iam/aws//modules/iam-github-oidc-role")
        {
            self.github_role_module(block, found);
        }
        if source == "terraform-aws-modules/elasticache/aws" {
            self.cache_module(block, found);
        }
        if source == "terraform-aws-modules/security-group/aws" {
            self.security_group_module(body, found);
        }
        if let Some(rules) = ["security_group_rules", "security_group_ingress_rules"]
            .iter()
            .find_map(|name| body.get_attribute(name))
        {
            // The elasticache module opens its own port when a rule names none.
            let default_port = source == "terraform-aws-modules/elasticache/aws";
            self.rule_map(&rules.value, default_port, found);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// M2: GitHub OIDC roles with admin-grade permissions.

/// Managed policies that amount to the account: whoever holds one can grant themselves anything.
const ADMIN_POLICIES: &[&str] = &[
    ":policy/AdministratorAccess",
    ":policy/IAMFullAccess",
    ":policy/PowerUserAccess",
];
const GITHUB_PROVIDER: &str = "token.actions.githubusercontent.com";
const M2_HELP: &str = "trust only `environment:<name>` of a protected GitHub environment (or `ref:refs/heads/main`) for a role with these permissions, and give pull-request plans a separate read-only role";

/// A string value and where a person would change it.
#[derive(Debug, Clone)]
struct Text<'a> {
    value: String,
    site: Site<'a>,
}

/// Stands for a part of a string that is not known; never a wildcard.
const UNKNOWN: char = '\u{1}';

/// Where an expression is evaluated: its file, the unit that sets the module's variables, and
/// the variables of enclosing `for` expressions.
#[derive(Clone)]
struct Scope<'s, 'a> {
    parsed: &'s Parsed<'a>,
    path: &'a str,
    unit: Option<&'s Unit<'a>>,
    bound: Vec<(String, Text<'a>)>,
}

impl<'s, 'a> Scope<'s, 'a> {
    /// The strings a list (or string) expression holds, or `None` when that cannot be known.
    fn strings(&self, expression: &Expression) -> Option<Vec<Text<'a>>> {
        let site = Site {
            path: self.path,
            offset: start(expression),
        };
        match expression {
            Expression::String(_) | Expression::StringTemplate(_) => {
                Some(vec![self.template(expression, site)])
            }
            Expression::Array(array) => {
                let mut all = Vec::new();
                for element in array.iter() {
                    all.extend(self.strings(element)?);
                }
                Some(all)
            }
            Expression::FuncCall(call)
                if matches!(
                    call.name.name.as_str(),
                    "flatten" | "concat" | "distinct" | "compact" | "tolist" | "toset"
                ) =>
            {
                let mut all = Vec::new();
                for argument in call.args.iter() {
                    all.extend(self.strings(argument)?);
                }
                Some(all)
            }
            Expression::ForExpr(for_expr) if for_expr.key_expr.is_none() => {
                let items = self.strings(&for_expr.intro.collection_expr)?;
                let mut all = Vec::new();
                for item in items {
                    let mut inner = self.clone();
                    inner
                        .bound
                        .push((for_expr.intro.value_var.as_str().to_owned(), item));
                    all.extend(inner.strings(&for_expr.value_expr)?);
                }
                Some(all)
            }
            Expression::Variable(name) => self
                .bound
                .iter()
                .rev()
                .find(|(bound, _)| bound == name.as_str())
                .map(|(_, text)| vec![text.clone()]),
            Expression::Traversal(_) => {
                let variable = variable_name(expression)?;
                let (scope, value) = self.unit_input(&variable)?;
                scope.strings(value)
            }
            _ => None,
        }
    }

    /// A string with what is known of its interpolations filled in; the site of a value filled
    /// in from another file (a unit's input) wins, since that is where it is changed.
    fn template(&self, expression: &Expression, site: Site<'a>) -> Text<'a> {
        if let Some(value) = literal(expression) {
            return Text { value, site };
        }
        let mut text = Text {
            value: String::new(),
            site,
        };
        let Expression::StringTemplate(template) = expression else {
            text.value.push(UNKNOWN);
            return text;
        };
        for element in template.iter() {
            match element {
                Element::Literal(part) => text.value.push_str(part.value()),
                Element::Interpolation(interpolation) => {
                    match self.strings(&interpolation.expr).as_deref() {
                        Some([one]) => {
                            text.value.push_str(&one.value);
                            if one.site.path != self.path {
                                text.site = one.site;
                            }
                        }
                        _ => text.value.push(UNKNOWN),
                    }
                }
                Element::Directive(_) => text.value.push(UNKNOWN),
            }
        }
        text
    }

    /// The expression a unit gives a module variable, and the scope to evaluate it in.
    fn unit_input(&self, variable: &str) -> Option<(Scope<'s, 'a>, &'s Expression)> {
        let unit = self.unit?;
        let (path, value) = unit_input(self.parsed, unit, variable)?;
        Some((
            Scope {
                parsed: self.parsed,
                path,
                unit: None,
                bound: Vec::new(),
            },
            value,
        ))
    }

    /// The values of a map written out (`{ admin = "arn:..." }`), through `var.x` to a unit.
    fn map_values(&self, expression: &Expression) -> Option<Vec<Text<'a>>> {
        match expression {
            Expression::Object(object) => Some(
                object
                    .iter()
                    .flat_map(|(_, value)| self.strings(value.expr()).unwrap_or_default())
                    .collect(),
            ),
            Expression::Traversal(_) => {
                let variable = variable_name(expression)?;
                let (scope, value) = self.unit_input(&variable)?;
                scope.map_values(value)
            }
            _ => None,
        }
    }
}

/// `x` of a `var.x` expression.
fn variable_name(expression: &Expression) -> Option<String> {
    let Expression::Traversal(traversal) = expression else {
        return None;
    };
    let Expression::Variable(root) = &traversal.expr else {
        return None;
    };
    if root.as_str() != "var" || traversal.operators.len() != 1 {
        return None;
    }
    match traversal.operators[0].value() {
        hcl::edit::expr::TraversalOperator::GetAttr(name) => Some(name.as_str().to_owned()),
        _ => None,
    }
}

/// The value of `inputs.<name>` in the unit's own file or the first file it merges that sets it.
fn unit_input<'s, 'a>(
    parsed: &'s Parsed<'a>,
    unit: &Unit<'a>,
    name: &str,
) -> Option<(&'a str, &'s Expression)> {
    unit.merged.iter().find_map(|path| {
        let file = parsed.get(path)?;
        let Expression::Object(inputs) = &file.body.get_attribute("inputs")?.value else {
            return None;
        };
        field(inputs, name).map(|value| (*path, value))
    })
}

/// The value of an object's key.
fn field<'o>(object: &'o Object, name: &str) -> Option<&'o Expression> {
    object
        .iter()
        .find(|(key, _)| key_name(key).as_deref() == Some(name))
        .map(|(_, value)| value.expr())
}

/// The context part of a subject (`pull_request` of `repo:org/repo:pull_request`); the whole
/// subject when it has none (`repo:org/*`, `*`), since then any context matches.
fn context_of(subject: &str) -> &str {
    match subject.splitn(3, ':').collect::<Vec<_>>().as_slice() {
        ["repo", _, context] => context,
        _ => subject,
    }
}

/// Why a subject is dangerous for an admin role: it admits pull requests, or any context.
fn risky_subject(subject: &str, wildcards: bool) -> Option<&'static str> {
    let context = context_of(subject);
    if context == "pull_request" {
        Some("whoever can open a pull request from a branch of the repository can assume it")
    } else if wildcards && context.contains('*') {
        Some(
            "any workflow job of the repository, pull requests and unprotected branches included, can assume it",
        )
    } else {
        None
    }
}

/// A subject as a person reads it (unknown parts as `…`).
fn shown(subject: &str) -> String {
    subject.replace(UNKNOWN, "…")
}

impl<'s, 'a> File<'s, 'a> {
    /// The units whose source is this file's module, or none (then `var.x` stays unknown).
    fn units_of_module(&self) -> Vec<Option<&'s Unit<'a>>> {
        let dir = parent(self.path);
        let units: Vec<_> = self
            .units
            .iter()
            .filter(|unit| matches!(&unit.source, Source::Local(source) if source == dir))
            .map(Some)
            .collect();
        if units.is_empty() { vec![None] } else { units }
    }

    fn scope(&self, unit: Option<&'s Unit<'a>>) -> Scope<'s, 'a> {
        Scope {
            parsed: self.parsed,
            path: self.path,
            unit,
            bound: Vec::new(),
        }
    }

    fn github_role_module(&self, block: &Block, found: &mut Vec<(Rule, Finding)>) {
        let body = &block.body;
        let github = body.get_attribute("enable_github_oidc").is_some_and(
            |attribute| matches!(&attribute.value, Expression::Bool(yes) if *yes.value()),
        ) || body
            .get_attribute("oidc_provider_urls")
            .is_some_and(|attribute| self.source(&attribute.value).contains(GITHUB_PROVIDER))
            || body.get_attribute("subjects").is_some();
        if !github {
            return;
        }
        let name = label(block).unwrap_or_default();
        for unit in self.units_of_module() {
            let scope = self.scope(unit);
            let mut admin: Vec<Text> = body
                .get_attribute("policies")
                .and_then(|attribute| scope.map_values(&attribute.value))
                .unwrap_or_default()
                .into_iter()
                .filter(|policy| {
                    ADMIN_POLICIES
                        .iter()
                        .any(|admin| policy.value.ends_with(admin))
                })
                .collect();
            if let Some(inline) = body.get_attribute("inline_policy_permissions") {
                admin.extend(self.admin_statements(&inline.value));
            }
            let Some(permission) = admin.first() else {
                continue;
            };
            for (attribute, wildcards) in [
                ("oidc_wildcard_subjects", true),
                ("subjects", true),
                ("oidc_subjects", false),
            ] {
                let Some(subjects) = body
                    .get_attribute(attribute)
                    .and_then(|attribute| scope.strings(&attribute.value))
                else {
                    continue;
                };
                for subject in subjects {
                    let Some(why) = risky_subject(&subject.value, wildcards) else {
                        continue;
                    };
                    found.push((
                        Rule::GithubAdmin,
                        self.role_finding(name, &subject, why, permission),
                    ));
                }
            }
        }
    }

    fn role_finding(&self, role: &str, subject: &Text, why: &str, permission: &Text) -> Finding {
        let message = format!(
            "the GitHub OIDC role `{role}` of `{}` trusts the subject context `{}`: {why}, and the role holds `{}` ({}): that is account admin",
            parent(self.path),
            shown(context_of(&subject.value)),
            shown(&permission.value),
            self.place(permission.site),
        );
        let file = self
            .parsed
            .get(subject.site.path)
            .map_or("", |file| file.text);
        Finding::error(CheckKind::Security, subject.site.path, message)
            .at_offset(file, subject.site.offset)
            .help(M2_HELP)
    }

    /// `path:line` of a site.
    fn place(&self, site: Site) -> String {
        let text = self.parsed.get(site.path).map_or("", |file| file.text);
        let line = text[..site.offset.min(text.len())].matches('\n').count() + 1;
        format!("{}:{line}", site.path)
    }

    /// Statements of an `inline_policy_permissions` map (or `local ? {...} : null`) that allow
    /// `*` or `iam:*` on `*`.
    fn admin_statements(&self, expression: &Expression) -> Vec<Text<'a>> {
        match expression {
            Expression::Conditional(conditional) => {
                let mut all = self.admin_statements(&conditional.true_expr);
                all.extend(self.admin_statements(&conditional.false_expr));
                all
            }
            Expression::Object(object) => object
                .iter()
                .filter_map(|(_, statement)| match statement.expr() {
                    Expression::Object(statement) => self.admin_statement(statement),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn admin_statement(&self, statement: &Object) -> Option<Text<'a>> {
        let deny = field(statement, "effect")
            .and_then(literal)
            .is_some_and(|effect| effect == "Deny");
        let actions = field(statement, "actions")
            .map(strings_of)
            .unwrap_or_default();
        let resources = field(statement, "resources")
            .map(strings_of)
            .unwrap_or_default();
        let action = actions
            .iter()
            .find(|action| ["*", "iam:*"].contains(&action.as_str()))?;
        (!deny && resources.iter().any(|resource| resource == "*")).then(|| Text {
            value: format!("{action} on *"),
            site: Site {
                path: self.path,
                offset: field(statement, "actions").map_or(0, start),
            },
        })
    }

    /// A raw `aws_iam_role` whose trust policy names GitHub's provider: its subjects are read
    /// from the strings of the trust policy (its text, or the policy document it refers to),
    /// its permissions from `managed_policy_arns`, the attachments and inline policies of this
    /// module that name it.
    fn raw_role(&self, block: &Block, found: &mut Vec<(Rule, Finding)>) {
        let Some(trust) = block.body.get_attribute("assume_role_policy") else {
            return;
        };
        let mut trust_text = self.source(&trust.value).to_owned();
        let mut trust_strings = strings_in(self.path, &trust.value);
        if let Some((path, document)) = self.referenced_document(&trust.value) {
            let file = self.parsed.get(path).map_or("", |file| file.text);
            trust_text.push_str(spanned(file, document));
            trust_strings.extend(block_strings(path, &document.body));
        }
        if !trust_text.contains(GITHUB_PROVIDER) {
            return;
        }
        let name = label_at(block, 1).unwrap_or_default();
        let permission = self.raw_role_permission(block, name);
        let Some(permission) = permission else {
            return;
        };
        for subject in trust_strings {
            if !subject.value.starts_with("repo:") && subject.value != "*" {
                continue;
            }
            if let Some(why) = risky_subject(&subject.value, true) {
                found.push((
                    Rule::GithubAdmin,
                    self.role_finding(name, &subject, why, &permission),
                ));
            }
        }
    }

    fn raw_role_permission(&self, block: &Block, name: &str) -> Option<Text<'a>> {
        let admin_arn = |texts: Vec<Text<'a>>| {
            texts.into_iter().find(|text| {
                ADMIN_POLICIES
                    .iter()
                    .any(|admin| text.value.ends_with(admin))
            })
        };
        if let Some(found) = block
            .body
            .get_attribute("managed_policy_arns")
            .and_then(|attribute| admin_arn(strings_in(self.path, &attribute.value)))
        {
            return Some(found);
        }
        if let Some(found) = block
            .body
            .get_blocks("inline_policy")
            .find_map(|inline| self.admin_policy_text(inline.body.get_attribute("policy")?))
        {
            return Some(found);
        }
        let reference = format!("aws_iam_role.{name}.");
        for (path, file) in self.module_files() {
            for other in file.body.blocks() {
                let kind = label(other);
                let Some(role) = other.body.get_attribute("role") else {
                    continue;
                };
                if !spanned(file.text, &role.value).contains(&reference) {
                    continue;
                }
                if kind == Some("aws_iam_role_policy_attachment")
                    && let Some(found) = other
                        .body
                        .get_attribute("policy_arn")
                        .and_then(|arn| admin_arn(strings_in(path, &arn.value)))
                {
                    return Some(found);
                }
                if kind == Some("aws_iam_role_policy")
                    && let Some(found) = other
                        .body
                        .get_attribute("policy")
                        .and_then(|policy| self.admin_policy_text(policy))
                {
                    return Some(found);
                }
            }
        }
        None
    }

    /// A `jsonencode` policy or policy document that allows `*` or `iam:*` on `*`.
    fn admin_policy_text(&self, policy: &hcl::edit::structure::Attribute) -> Option<Text<'a>> {
        let mut statements = json_statement_objects(&policy.value);
        let mut in_documents = Vec::new();
        if let Some((path, document)) = self.referenced_document(&policy.value) {
            for statement in document.body.get_blocks("statement") {
                in_documents.push((path, &statement.body));
            }
        }
        for (path, body) in in_documents {
            let effect = body.get_attribute("effect").and_then(|a| literal(&a.value));
            let actions = body.get_attribute("actions").map(|a| strings_of(&a.value));
            let resources = body
                .get_attribute("resources")
                .map(|a| strings_of(&a.value));
            if effect.as_deref() != Some("Deny")
                && let (Some(actions), Some(resources)) = (actions, resources)
                && let Some(action) = actions
                    .iter()
                    .find(|a| ["*", "iam:*"].contains(&a.as_str()))
                && resources.iter().any(|r| r == "*")
            {
                return Some(Text {
                    value: format!("{action} on *"),
                    site: Site {
                        path,
                        offset: body.get_attribute("actions").map_or(0, start),
                    },
                });
            }
        }
        statements.retain(|statement| {
            json_field(statement, "Effect")
                .and_then(literal)
                .is_none_or(|effect| effect != "Deny")
        });
        statements.into_iter().find_map(|statement| {
            let action_expression = json_field(statement, "Action")?;
            let actions = strings_of(action_expression);
            let resources = strings_of(json_field(statement, "Resource")?);
            let action = actions
                .iter()
                .find(|a| ["*", "iam:*"].contains(&a.as_str()))?;
            resources.iter().any(|r| r == "*").then(|| Text {
                value: format!("{action} on *"),
                site: Site {
                    path: self.path,
                    offset: start(action_expression),
                },
            })
        })
    }

    /// The `data "aws_iam_policy_document" "x"` block that `data.aws_iam_policy_document.x.json`
    /// names, in this module.
    fn referenced_document(&self, expression: &Expression) -> Option<(&'a str, &'s Block)> {
        let text = self.source(expression);
        let rest = text.split("data.aws_iam_policy_document.").nth(1)?;
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        self.module_files().into_iter().find_map(|(path, file)| {
            file.body
                .blocks()
                .find(|block| {
                    block.ident.as_str() == "data"
                        && label(block) == Some("aws_iam_policy_document")
                        && label_at(block, 1) == Some(name.as_str())
                })
                .map(|block| (path, block))
        })
    }

    /// The `.tf` files of this file's folder.
    fn module_files(&self) -> Vec<(&'a str, &'s super::terraform::HclFile<'a>)> {
        let dir = parent(self.path);
        self.parsed
            .files
            .iter()
            .filter(|(path, _)| path.ends_with(".tf") && parent(path) == dir)
            .map(|(path, file)| (*path, file))
            .collect()
    }
}

/// The strings of a list (or one string) written out, without interpolations unknown.
fn strings_of(expression: &Expression) -> Vec<String> {
    match expression {
        Expression::Array(array) => array.iter().filter_map(literal).collect(),
        other => literal(other).into_iter().collect(),
    }
}

/// Every string anywhere in an expression (interpolations as unknown).
fn strings_in<'a>(path: &'a str, expression: &Expression) -> Vec<Text<'a>> {
    use hcl::edit::visit::{self, Visit};
    struct Strings<'a> {
        path: &'a str,
        found: Vec<Text<'a>>,
    }
    impl Visit for Strings<'_> {
        fn visit_expr(&mut self, node: &Expression) {
            if matches!(node, Expression::String(_) | Expression::StringTemplate(_)) {
                let value = literal(node).unwrap_or_else(|| {
                    let Expression::StringTemplate(template) = node else {
                        return String::new();
                    };
                    template
                        .iter()
                        .map(|element| match element {
                            Element::Literal(part) => part.value().clone(),
                            _ => UNKNOWN.to_string(),
                        })
                        .collect()
                });
                self.found.push(Text {
                    value,
                    site: Site {
                        path: self.path,
                        offset: start(node),
                    },
                });
            }
            visit::visit_expr(self, node);
        }
    }
    let mut strings = Strings {
        path,
        found: Vec::new(),
    };
    strings.visit_expr(expression);
    strings.found
}

/// Every string of every attribute of a body and its blocks.
fn block_strings<'a>(path: &'a str, body: &Body) -> Vec<Text<'a>> {
    let mut all = Vec::new();
    for attribute in body.attributes() {
        all.extend(strings_in(path, &attribute.value));
    }
    for block in body.blocks() {
        all.extend(block_strings(path, &block.body));
    }
    all
}

fn label_at(block: &Block, index: usize) -> Option<&str> {
    block.labels.get(index).map(|label| label.as_str())
}

/// The text of a node as written.
fn spanned<'t>(text: &'t str, node: &impl hcl::edit::Span) -> &'t str {
    node.span()
        .and_then(|span| text.get(span))
        .unwrap_or_default()
}

/// The objects of a `jsonencode({ Statement = [...] })` (or a list of them) that look like
/// statements: they have an `Action`.
fn json_statement_objects(expression: &Expression) -> Vec<&Object> {
    let mut all = Vec::new();
    match expression {
        Expression::FuncCall(call) => {
            for argument in call.args.iter() {
                all.extend(json_statement_objects(argument));
            }
        }
        Expression::Object(object) => {
            if json_field(object, "Action").is_some() {
                all.push(object);
            } else if let Some(statements) = json_field(object, "Statement") {
                all.extend(json_statement_objects(statements));
            }
        }
        Expression::Array(array) => {
            for element in array.iter() {
                all.extend(json_statement_objects(element));
            }
        }
        _ => {}
    }
    all
}

fn json_field<'o>(object: &'o Object, name: &str) -> Option<&'o Expression> {
    object
        .iter()
        .find(|(key, _)| key_name(key).is_some_and(|key| key.eq_ignore_ascii_case(name)))
        .map(|(_, value)| value.expr())
}

// ---------------------------------------------------------------------------------------------
// Statement ids: IAM refuses a Sid with anything but ASCII letters and digits
// (MalformedPolicyDocument).

const SID_HELP: &str = "use letters and digits only (CamelCase, e.g. `StateLock`): terraform-aws-modules/iam (iam-role, iam-user, iam-group, iam-role-for-service-accounts) makes each key of a map of statements the statement's `sid`";

fn valid_sid(sid: &str) -> bool {
    !sid.is_empty() && sid.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Every literal `sid` and every key of a map of statements (an object whose values are objects
/// with `actions` or `not_actions`, and no `sid` of their own) in a file, in .tf and .hcl alike.
fn statement_ids(path: &str, text: &str, body: &Body, found: &mut Vec<(Rule, Finding)>) {
    for attribute in body.attributes() {
        if attribute.key.as_str() == "sid"
            && let Some(sid) = literal(&attribute.value)
            && !valid_sid(&sid)
        {
            found.push(sid_finding(path, text, start(&attribute.value), &sid));
        }
        expression_ids(path, text, &attribute.value, found);
    }
    for block in body.blocks() {
        statement_ids(path, text, &block.body, found);
    }
}

fn expression_ids(
    path: &str,
    text: &str,
    expression: &Expression,
    found: &mut Vec<(Rule, Finding)>,
) {
    match expression {
        Expression::Object(object) => {
            let is_statement = |value: &Expression| match value {
                Expression::Object(statement) => {
                    field(statement, "actions").is_some()
                        || field(statement, "not_actions").is_some()
                }
                _ => false,
            };
            let statements =
                !object.is_empty() && object.iter().all(|(_, value)| is_statement(value.expr()));
            for (key, value) in object.iter() {
                let name = key_name(key);
                let own_sid =
                    matches!(value.expr(), Expression::Object(o) if field(o, "sid").is_some());
                if statements && !own_sid {
                    let name = name.clone().unwrap_or_default();
                    if !valid_sid(&name) {
                        found.push(sid_finding(path, text, start(key), &name));
                    }
                }
                if name.as_deref() == Some("sid")
                    && let Some(sid) = literal(value.expr())
                    && !valid_sid(&sid)
                {
                    found.push(sid_finding(path, text, start(value.expr()), &sid));
                }
                expression_ids(path, text, value.expr(), found);
            }
        }
        Expression::Array(array) => {
            for element in array.iter() {
                expression_ids(path, text, element, found);
            }
        }
        Expression::FuncCall(call) => {
            for argument in call.args.iter() {
                expression_ids(path, text, argument, found);
            }
        }
        Expression::Parenthesis(inner) => expression_ids(path, text, inner.inner(), found),
        Expression::Conditional(conditional) => {
            expression_ids(path, text, &conditional.true_expr, found);
            expression_ids(path, text, &conditional.false_expr, found);
        }
        Expression::ForExpr(for_expr) => {
            expression_ids(path, text, &for_expr.intro.collection_expr, found);
            expression_ids(path, text, &for_expr.value_expr, found);
        }
        _ => {}
    }
}

fn sid_finding(path: &str, text: &str, offset: usize, sid: &str) -> (Rule, Finding) {
    (
        Rule::StatementId,
        Finding::error(
            CheckKind::Security,
            path,
            format!("statement id `{sid}` has other than letters and digits: IAM refuses the policy (MalformedPolicyDocument)"),
        )
        .at_offset(text, offset)
        .help(SID_HELP),
    )
}

// ---------------------------------------------------------------------------------------------
// M3: CloudFront reading the whole bucket.

const M3_HELP: &str = "grant `s3:GetObject` on the prefixes Open edX serves publicly (for example `${bucket_arn}/static/*`, `${bucket_arn}/media/*`) and keep the rest private";

impl<'s, 'a> File<'s, 'a> {
    /// A `statement` of an `aws_iam_policy_document`.
    fn document_statement(&self, body: &Body, found: &mut Vec<(Rule, Finding)>) {
        let principals: String = body
            .get_blocks("principals")
            .map(|principal| spanned(self.text, principal))
            .collect();
        let actions = body.get_attribute("actions").map(|a| &a.value);
        let resources = body.get_attribute("resources").map(|a| &a.value);
        let effect = body.get_attribute("effect").and_then(|a| literal(&a.value));
        if effect.as_deref() == Some("Deny") {
            return;
        }
        self.cdn_statement(&principals, actions, resources, found);
    }

    /// The statements of a `jsonencode` policy.
    fn json_statements(&self, expression: &Expression, found: &mut Vec<(Rule, Finding)>) {
        for statement in json_statement_objects(expression) {
            if json_field(statement, "Effect")
                .and_then(literal)
                .is_some_and(|effect| effect == "Deny")
            {
                continue;
            }
            let principal = json_field(statement, "Principal").map_or("", |p| self.source(p));
            self.cdn_statement(
                principal,
                json_field(statement, "Action"),
                json_field(statement, "Resource"),
                found,
            );
        }
    }

    fn cdn_statement(
        &self,
        principals: &str,
        actions: Option<&Expression>,
        resources: Option<&Expression>,
        found: &mut Vec<(Rule, Finding)>,
    ) {
        let cloudfront = principals.contains("cloudfront.amazonaws.com")
            || principals.contains("CloudFront Origin Access Identity")
            || principals.contains("aws_cloudfront_origin_access_identity")
            || principals.contains("cloudfront_origin_access_identity_iam_arns");
        let reads = actions
            .map(strings_of)
            .unwrap_or_default()
            .iter()
            .any(|action| ["s3:GetObject", "s3:Get*", "s3:*", "*"].contains(&action.as_str()));
        let (true, true, Some(resources)) = (cloudfront, reads, resources) else {
            return;
        };
        let elements: Vec<&Expression> = match resources {
            Expression::Array(array) => array.iter().collect(),
            other => vec![other],
        };
        for resource in elements {
            let written = self.source(resource).trim_matches('"');
            if whole_bucket(written) {
                found.push((
                    Rule::CdnWholeBucket,
                    self.error(
                        start(resource),
                        format!(
                            "CloudFront may read every object of the bucket (`{written}`): grade reports under `private/`, ORA uploads and course exports would be fetched unsigned from the CDN"
                        ),
                        M3_HELP,
                    ),
                ));
            }
        }
    }
}

/// `${anything}/*` or `arn:aws:s3:::name/*`: every key of a bucket, not a prefix.
fn whole_bucket(resource: &str) -> bool {
    let Some(bucket) = resource.strip_suffix("/*") else {
        return resource == "*";
    };
    if let Some(name) = bucket
        .strip_prefix("arn:aws:s3:::")
        .or_else(|| bucket.strip_prefix("arn:${data.aws_partition.current.partition}:s3:::"))
    {
        return !name.contains('/');
    }
    // One interpolation (the bucket's ARN) and nothing after it.
    bucket.starts_with("${") && bucket.ends_with('}') && bucket.matches("${").count() == 1
}

// ---------------------------------------------------------------------------------------------
// M4: ElastiCache without TLS, AUTH or encryption at rest.

const M4_HELP: &str = "set `transit_encryption_enabled = true`, an `auth_token` (or a user group) and `at_rest_encryption_enabled = true`, and have Tutor connect with `rediss://` and the token";

/// How an attribute is set: written `true`, written `false`, absent, or computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flag {
    On,
    Off,
    Unset,
    Unknown,
}

fn flag(body: &Body, name: &str) -> (Flag, Option<usize>) {
    match body.get_attribute(name) {
        None => (Flag::Unset, None),
        Some(attribute) => (
            match &attribute.value {
                Expression::Bool(value) if *value.value() => Flag::On,
                Expression::Bool(_) => Flag::Off,
                _ => Flag::Unknown,
            },
            Some(start(attribute)),
        ),
    }
}

impl<'s, 'a> File<'s, 'a> {
    /// The terraform-aws-modules/elasticache call: encryption in transit and at rest default to
    /// on there (v1.10.3 `variables.tf`), AUTH to off.
    fn cache_module(&self, block: &Block, found: &mut Vec<(Rule, Finding)>) {
        let name = format!("module `{}`", label(block).unwrap_or_default());
        self.cache(&name, &block.body, start(block), true, true, found);
    }

    /// `aws_elasticache_replication_group` and `aws_elasticache_cluster`: everything defaults to
    /// off (aws provider). A cluster that joins a replication group takes the group's settings.
    fn raw_cache(&self, kind: &str, block: &Block, found: &mut Vec<(Rule, Finding)>) {
        let body = &block.body;
        if kind == "aws_elasticache_cluster" {
            let engine = body.get_attribute("engine").and_then(|a| literal(&a.value));
            if body.has_attribute("replication_group_id") || engine.as_deref() == Some("memcached")
            {
                return;
            }
        }
        let name = format!("`{kind}.{}`", label_at(block, 1).unwrap_or_default());
        let at_rest = kind == "aws_elasticache_replication_group";
        self.cache(&name, body, start(block), false, at_rest, found);
    }

    fn cache(
        &self,
        name: &str,
        body: &Body,
        block: usize,
        defaults_on: bool,
        at_rest: bool,
        found: &mut Vec<(Rule, Finding)>,
    ) {
        let off = |flag: Flag| flag == Flag::Off || (flag == Flag::Unset && !defaults_on);
        let (transit, transit_at) = flag(body, "transit_encryption_enabled");
        if off(transit) {
            found.push((
                Rule::CacheEncryption,
                self.error(
                    transit_at.unwrap_or(block),
                    format!(
                        "{name} has no in-transit encryption (`transit_encryption_enabled`): Django sessions (pickle-serialised) and the Celery broker cross the VPC in clear text"
                    ),
                    M4_HELP,
                ),
            ));
        }
        let auth = ["auth_token", "auth_token_wo", "user_group_ids"]
            .iter()
            .any(|key| body.has_attribute(key));
        if !auth {
            found.push((
                Rule::CacheEncryption,
                self.error(
                    block,
                    format!(
                        "{name} has no AUTH (`auth_token` or `user_group_ids`): anything in the VPC that reaches its port can read and forge Django sessions (pickle-serialised, so code execution) and Celery tasks"
                    ),
                    M4_HELP,
                ),
            ));
        }
        let (rest, rest_at) = flag(body, "at_rest_encryption_enabled");
        if at_rest && off(rest) {
            found.push((
                Rule::CacheEncryption,
                self.error(
                    rest_at.unwrap_or(block),
                    format!(
                        "{name} has no encryption at rest (`at_rest_encryption_enabled`): its snapshots and swap hold sessions in clear text"
                    ),
                    M4_HELP,
                ),
            ));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Security-group sources of database and cache ports.

/// MySQL, PostgreSQL, Redis/Valkey, MongoDB.
const DATABASE_PORTS: &[i64] = &[3306, 5432, 6379, 27017];
/// Named rules of terraform-aws-modules/security-group (v5.3.1 `rules.tf`) that open one.
const DATABASE_RULES: &[&str] = &[
    "mysql-tcp",
    "postgresql-tcp",
    "redis-tcp",
    "mongodb-27017-tcp",
    "all-all",
    "all-tcp",
];
const SG_HELP: &str = "admit the security groups that need the port instead (the EKS node security group, the bastion's): `referenced_security_group_id`, `source_security_group_id` or `ingress_with_source_security_group_id`";

/// Which ports a rule opens, as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ports {
    Database,
    Other,
    Unknown,
}

fn number(expression: &Expression) -> Option<i64> {
    match expression {
        Expression::Number(number) => number.value().as_i64(),
        Expression::UnaryOp(_) => spanned_number(expression),
        other => literal(other).and_then(|text| text.parse().ok()),
    }
}

fn spanned_number(expression: &Expression) -> Option<i64> {
    let Expression::UnaryOp(operation) = expression else {
        return None;
    };
    number(&operation.expr).map(|value| -value)
}

/// A port written as the module's port variable (`var.port`, `var.redis_port`, `local.port`).
fn is_port_variable(text: &str) -> bool {
    (text.starts_with("var.") || text.starts_with("local."))
        && text
            .rsplit('.')
            .next()
            .is_some_and(|name| name.contains("port"))
}

impl<'s, 'a> File<'s, 'a> {
    /// The ports of a rule from its `from_port`, `to_port` and protocol.
    fn ports(
        &self,
        from: Option<&Expression>,
        to: Option<&Expression>,
        protocol: Option<&Expression>,
    ) -> Ports {
        if protocol
            .and_then(literal)
            .is_some_and(|protocol| protocol == "-1" || protocol == "all")
        {
            return Ports::Database;
        }
        let (Some(from), to) = (from.or(to), to.or(from)) else {
            return Ports::Unknown;
        };
        let to = to.unwrap_or(from);
        if is_port_variable(self.source(from)) || is_port_variable(self.source(to)) {
            return Ports::Database;
        }
        match (number(from), number(to)) {
            (Some(low), Some(high)) => {
                if DATABASE_PORTS
                    .iter()
                    .any(|port| (low..=high).contains(port))
                {
                    Ports::Database
                } else {
                    Ports::Other
                }
            }
            _ => Ports::Unknown,
        }
    }

    fn cidr_finding(&self, offset: usize, source: &str) -> (Rule, Finding) {
        (
            Rule::DatabaseFromCidr,
            self.error(
                offset,
                format!(
                    "a database or cache port is open to a network range (`{source}`) instead of security groups: the public subnets and every pod of the cluster reach it"
                ),
                SG_HELP,
            ),
        )
    }

    /// A CIDR source that is written and not empty (`[]`, `null`, `""`).
    fn cidr_source(&self, expression: Option<&Expression>) -> Option<(usize, &'a str)> {
        let expression = expression?;
        let empty = match expression {
            Expression::Array(array) => array.is_empty(),
            Expression::Null(_) => true,
            other => literal(other).is_some_and(|text| text.is_empty()),
        };
        (!empty).then(|| (start(expression), self.source(expression)))
    }

    /// An `ingress` block of `aws_security_group`, an `aws_security_group_rule` of type ingress,
    /// or an `aws_vpc_security_group_ingress_rule`.
    fn raw_ingress(&self, body: &Body, found: &mut Vec<(Rule, Finding)>) {
        let value = |name: &str| body.get_attribute(name).map(|a| &a.value);
        let protocol = value("protocol").or_else(|| value("ip_protocol"));
        if self.ports(value("from_port"), value("to_port"), protocol) != Ports::Database {
            return;
        }
        for key in ["cidr_blocks", "ipv6_cidr_blocks", "cidr_ipv4", "cidr_ipv6"] {
            if let Some((offset, source)) = self.cidr_source(value(key)) {
                found.push(self.cidr_finding(offset, source));
            }
        }
    }

    /// `security_group_rules` (elasticache, where a rule without ports opens the cache's port)
    /// and `security_group_ingress_rules` (ec2-instance): maps of rules.
    fn rule_map(&self, rules: &Expression, default_port: bool, found: &mut Vec<(Rule, Finding)>) {
        let Expression::Object(rules) = rules else {
            return;
        };
        for (_, rule) in rules.iter() {
            let Expression::Object(rule) = rule.expr() else {
                continue;
            };
            if field(rule, "type")
                .and_then(literal)
                .is_some_and(|kind| kind != "ingress")
            {
                continue;
            }
            let from = field(rule, "from_port");
            let to = field(rule, "to_port");
            let ports = if from.is_none() && to.is_none() && default_port {
                Ports::Database
            } else {
                self.ports(from, to, field(rule, "ip_protocol"))
            };
            if ports != Ports::Database {
                continue;
            }
            for key in ["cidr_ipv4", "cidr_ipv6", "cidr_blocks"] {
                if let Some((offset, source)) = self.cidr_source(field(rule, key)) {
                    found.push(self.cidr_finding(offset, source));
                }
            }
        }
    }

    /// terraform-aws-modules/security-group: `ingress_with_cidr_blocks` (and its IPv6 twin) by
    /// named rule or ports, and `ingress_rules` over `ingress_cidr_blocks`.
    fn security_group_module(&self, body: &Body, found: &mut Vec<(Rule, Finding)>) {
        let value = |name: &str| body.get_attribute(name).map(|a| &a.value);
        let default_cidrs = self
            .cidr_source(value("ingress_cidr_blocks"))
            .or_else(|| self.cidr_source(value("ingress_ipv6_cidr_blocks")));
        for list in [
            "ingress_with_cidr_blocks",
            "ingress_with_ipv6_cidr_blocks",
            "computed_ingress_with_cidr_blocks",
        ] {
            let Some(Expression::Array(rules)) = value(list) else {
                continue;
            };
            for rule in rules.iter() {
                let Expression::Object(rule) = rule else {
                    continue;
                };
                let named = field(rule, "rule").and_then(literal);
                let database = match named {
                    Some(name) => DATABASE_RULES.contains(&name.as_str()),
                    None => {
                        self.ports(
                            field(rule, "from_port"),
                            field(rule, "to_port"),
                            field(rule, "protocol"),
                        ) == Ports::Database
                    }
                };
                if !database {
                    continue;
                }
                let own = self
                    .cidr_source(field(rule, "cidr_blocks"))
                    .or_else(|| self.cidr_source(field(rule, "ipv6_cidr_blocks")));
                if let Some((offset, source)) = own.or(default_cidrs) {
                    found.push(self.cidr_finding(offset, source));
                }
            }
        }
        if let (Some((offset, source)), Some(rules)) = (default_cidrs, value("ingress_rules"))
            && strings_of(rules)
                .iter()
                .any(|rule| DATABASE_RULES.contains(&rule.as_str()))
        {
            found.push(self.cidr_finding(offset, source));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::fixture;
    use std::collections::BTreeMap;

    /// The rule findings of a tree as `rule path:line: message` lines.
    fn lines(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
        let tree = crate::validate::Tree::from_files(files);
        let parsed = Parsed::parse(&tree);
        let (units, _) = crate::validate::terragrunt::units(&tree, &parsed);
        rule_findings(&parsed, &units)
            .iter()
            .map(|(rule, f)| format!("{rule:?} {}:{}: {}", f.path, f.line.unwrap_or(0), f.message))
            .collect()
    }

    /// The fixture with a module `terraform/modules/<dir>/main.tf` holding `main`.
    fn with_module(dir: &str, main: &str) -> BTreeMap<String, Vec<u8>> {
        fixture::with(&format!("terraform/modules/{dir}/main.tf"), main)
    }

    #[test]
    fn a_statement_id_with_other_than_letters_and_digits_is_named_where_written() {
        let main = r#"module "role" {
  source = "terraform-aws-modules/iam/aws//modules/iam-role"
  inline_policy_permissions = {
    StateLock = { actions = ["s3:PutObject"], resources = ["*"] }
    state_lock = { actions = ["s3:PutObject"], resources = ["*"] }
    Mine = { sid = "Fine", actions = ["s3:GetObject"], resources = ["*"] }
  }
  policies = { read_only = "arn:aws:iam::aws:policy/ReadOnlyAccess" }
}

locals {
  statements = { for k, v in { ecr-login = { not_actions = ["iam:*"] } } : k => v if true }
}

data "aws_iam_policy_document" "this" {
  statement {
    sid     = "No data"
    actions = ["s3:GetObject"]
  }
  statement {
    sid     = "NoData2"
    actions = ["s3:GetObject"]
  }
}
"#;
        let found: Vec<String> = lines(&with_module("roles", main))
            .into_iter()
            .filter(|line| line.starts_with("StatementId"))
            .collect();
        assert_eq!(
            found,
            [
                "StatementId terraform/modules/roles/main.tf:5: statement id `state_lock` has other than letters and digits: IAM refuses the policy (MalformedPolicyDocument)",
                "StatementId terraform/modules/roles/main.tf:12: statement id `ecr-login` has other than letters and digits: IAM refuses the policy (MalformedPolicyDocument)",
                "StatementId terraform/modules/roles/main.tf:17: statement id `No data` has other than letters and digits: IAM refuses the policy (MalformedPolicyDocument)",
            ]
        );
    }

    #[test]
    fn the_fixture_is_clean() {
        assert_eq!(
            lines(&fixture::bytes(fixture::files())),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_open_cache_is_reported_by_the_check_the_table_runs() {
        let files = with_module("cache", OPEN_CACHE);
        let tree = crate::validate::Tree::from_files(&files);
        let parsed = Parsed::parse(&tree);
        let (units, _) = crate::validate::terragrunt::units(&tree, &parsed);
        assert!(!check(&parsed, &units).is_empty());
    }

    const OPEN_CACHE: &str = "module \"redis\" {\n  source  = \"terraform-aws-modules/elasticache/aws\"\n  version = \"1.10.3\"\n\n  port                       = 6379\n  at_rest_encryption_enabled = true\n  transit_encryption_enabled = false\n\n  security_group_rules = {\n    ingress_vpc = {\n      cidr_ipv4 = var.vpc_cidr_block\n    }\n  }\n}\n";

    /// Every example answers file of the checkout rendered, and `new --defaults`: (name, files).
    fn examples() -> Vec<(String, BTreeMap<String, Vec<u8>>)> {
        let render = |answers: &str| -> BTreeMap<String, Vec<u8>> {
            crate::render_yaml(answers)
                .unwrap()
                .into_iter()
                .map(|(path, text)| (path, text.into_bytes()))
                .collect()
        };
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
        let mut names: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|ext| ext == "yml"))
            .collect();
        names.sort();
        assert!(names.len() >= 3);
        let mut all: Vec<_> = names
            .into_iter()
            .map(|path| {
                let answers = std::fs::read_to_string(&path).unwrap();
                let name = path.file_stem().unwrap().to_string_lossy().into_owned();
                (name, render(&answers))
            })
            .collect();
        // JSON is YAML.
        let defaults = crate::answers::load::demo_defaults().to_string();
        all.push(("defaults".to_owned(), render(&defaults)));
        all
    }

    /// Issue 15's holes (M2, M3, M4, security-group sources) are fixed in the blueprints: no
    /// example, and not the defaults, renders one of them.
    #[test]
    fn every_example_renders_without_a_security_finding() {
        for (name, files) in examples() {
            let tree = crate::validate::Tree::from_files(&files);
            let parsed = Parsed::parse(&tree);
            let (units, _) = crate::validate::terragrunt::units(&tree, &parsed);
            let found: Vec<String> = rule_findings(&parsed, &units)
                .into_iter()
                .map(|(rule, finding)| format!("{rule:?} {}: {}", finding.path, finding.message))
                .collect();
            assert!(found.is_empty(), "example `{name}`: {found:#?}");
        }
    }

    /// The rule and `path:line` of each finding.
    fn places(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
        lines(files)
            .iter()
            .map(|line| line.split(": ").next().unwrap().to_owned())
            .collect()
    }

    const ROLE_MODULE: &str = r#"locals {
  repository = split("/", var.github_repository)[1]
}

module "role" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role"
  version = "6.5.0"

  enable_github_oidc = true
  oidc_wildcard_subjects = flatten([
    for context in var.github_contexts : [
      "repo:org/${local.repository}:${context}",
      "repo:org@*/${local.repository}@*:${context}",
    ]
  ])

  policies = var.policies
}
"#;

    fn role_unit(contexts: &str, policy: &str) -> String {
        format!(
            "include \"root\" {{\n  path = find_in_parent_folders(\"root.hcl\")\n}}\n\nterraform {{\n  source = \"${{dirname(find_in_parent_folders(\"root.hcl\"))}}/modules//role\"\n}}\n\ninputs = {{\n  github_repository = \"org/repo\"\n  github_contexts   = {contexts}\n  policies = {{\n    admin = \"arn:aws:iam::aws:policy/{policy}\"\n  }}\n}}\n"
        )
    }

    fn role_tree(contexts: &str, policy: &str) -> BTreeMap<String, Vec<u8>> {
        let mut files = fixture::files();
        files.insert("terraform/modules/role/main.tf".into(), ROLE_MODULE.into());
        files.insert(
            "terraform/shared/role/terragrunt.hcl".into(),
            role_unit(contexts, policy),
        );
        fixture::bytes(files)
    }

    #[test]
    fn an_admin_role_for_pull_requests_or_any_environment_is_named_at_the_unit_input() {
        let files = role_tree(
            r#"["pull_request", "environment:*"]"#,
            "AdministratorAccess",
        );
        let found = lines(&files);
        assert_eq!(found.len(), 2, "{found:#?}");
        assert!(found[0].starts_with("GithubAdmin terraform/shared/role/terragrunt.hcl:11: "));
        assert!(
            found[0].contains("`pull_request`: whoever can open"),
            "{found:#?}"
        );
        assert!(
            found[1].contains("`environment:*`: any workflow job"),
            "{found:#?}"
        );
        assert!(
            found[1].contains("terraform/shared/role/terragrunt.hcl:13"),
            "{found:#?}"
        );
        for policy in ["IAMFullAccess", "PowerUserAccess"] {
            assert_eq!(
                lines(&role_tree(r#"["ref:*"]"#, policy)).len(),
                1,
                "{policy}"
            );
        }
    }

    #[test]
    fn an_admin_role_for_one_protected_environment_or_a_narrow_role_is_clean() {
        for (contexts, policy) in [
            (r#"["environment:production"]"#, "AdministratorAccess"),
            (r#"["ref:refs/heads/main"]"#, "AdministratorAccess"),
            (r#"["pull_request", "environment:*"]"#, "ReadOnlyAccess"),
        ] {
            let files = role_tree(contexts, policy);
            assert_eq!(lines(&files), Vec::<String>::new(), "{contexts} {policy}");
        }
    }

    #[test]
    fn literal_subjects_and_inline_admin_statements_are_read_in_the_module() {
        let module = |subject: &str, action: &str| {
            format!(
                "module \"ci\" {{\n  source  = \"terraform-aws-modules/iam/aws//modules/iam-role\"\n  version = \"6.5.0\"\n\n  enable_github_oidc     = true\n  oidc_wildcard_subjects = [\"{subject}\"]\n\n  create_inline_policy = true\n  inline_policy_permissions = {{\n    all = {{\n      actions   = [\"{action}\"]\n      resources = [\"*\"]\n    }}\n  }}\n}}\n"
            )
        };
        let files = with_module("ci", &module("repo:org/repo:*", "iam:*"));
        assert_eq!(
            places(&files),
            ["GithubAdmin terraform/modules/ci/main.tf:6"]
        );
        assert!(lines(&files)[0].contains("`iam:* on *` (terraform/modules/ci/main.tf:11)"));
        for (subject, action) in [
            ("repo:org/repo:environment:production", "iam:*"),
            ("repo:org/repo:*", "ecr:*"),
        ] {
            assert_eq!(
                places(&with_module("ci", &module(subject, action))),
                Vec::<String>::new()
            );
        }
        // In `oidc_subjects` (StringEquals) a `*` is only a character.
        let exact =
            module("repo:org/repo:*", "*").replace("oidc_wildcard_subjects", "oidc_subjects");
        assert_eq!(places(&with_module("ci", &exact)), Vec::<String>::new());
    }

    #[test]
    fn a_raw_role_trusting_pull_requests_with_an_admin_attachment_is_named() {
        let role = |context: &str| {
            format!(
                "resource \"aws_iam_role\" \"ci\" {{\n  name = \"ci\"\n  assume_role_policy = jsonencode({{\n    Statement = [{{\n      Effect    = \"Allow\"\n      Action    = \"sts:AssumeRoleWithWebIdentity\"\n      Principal = {{ Federated = var.provider_arn }}\n      Condition = {{\n        StringLike = {{\n          \"token.actions.githubusercontent.com:sub\" = \"repo:org/repo:{context}\"\n        }}\n      }}\n    }}]\n  }})\n}}\n\nresource \"aws_iam_role_policy_attachment\" \"admin\" {{\n  role       = aws_iam_role.ci.name\n  policy_arn = \"arn:aws:iam::aws:policy/AdministratorAccess\"\n}}\n"
            )
        };
        assert_eq!(
            places(&with_module("ci", &role("pull_request"))),
            ["GithubAdmin terraform/modules/ci/main.tf:10"]
        );
        assert_eq!(
            places(&with_module("ci", &role("ref:refs/heads/main"))),
            Vec::<String>::new()
        );
    }

    const CDN_POLICY: &str = "data \"aws_iam_policy_document\" \"cloudfront_read\" {\n  statement {\n    actions   = [\"s3:GetObject\"]\n    resources = [RESOURCES]\n\n    principals {\n      type        = \"Service\"\n      identifiers = [\"cloudfront.amazonaws.com\"]\n    }\n  }\n}\n";

    #[test]
    fn cloudfront_reading_the_whole_bucket_is_named_and_public_prefixes_are_not() {
        for whole in [
            r#""arn:aws:s3:::${var.bucket_name}/*""#,
            r#""${module.bucket.s3_bucket_arn}/*""#,
            r#""arn:aws:s3:::media/*""#,
        ] {
            let files = with_module("storage", &CDN_POLICY.replace("RESOURCES", whole));
            assert_eq!(
                places(&files),
                ["CdnWholeBucket terraform/modules/storage/main.tf:4"],
                "{whole}"
            );
        }
        let prefixes = r#""${module.bucket.s3_bucket_arn}/static/*", "arn:aws:s3:::media/media/*""#;
        let files = with_module("storage", &CDN_POLICY.replace("RESOURCES", prefixes));
        assert_eq!(places(&files), Vec::<String>::new());
        // Another principal reading everything is not this rule's business.
        let user = CDN_POLICY
            .replace("RESOURCES", r#""arn:aws:s3:::media/*""#)
            .replace("cloudfront.amazonaws.com", "ec2.amazonaws.com");
        assert_eq!(places(&with_module("storage", &user)), Vec::<String>::new());
    }

    #[test]
    fn an_origin_access_identity_in_a_jsonencode_bucket_policy_is_read_too() {
        let policy = |resource: &str| {
            format!(
                "resource \"aws_s3_bucket_policy\" \"cdn\" {{\n  bucket = aws_s3_bucket.media.id\n  policy = jsonencode({{\n    Version = \"2012-10-17\"\n    Statement = [{{\n      Effect    = \"Allow\"\n      Principal = {{ AWS = aws_cloudfront_origin_access_identity.cdn.iam_arn }}\n      Action    = \"s3:GetObject\"\n      Resource  = \"{resource}\"\n    }}]\n  }})\n}}\n"
            )
        };
        assert_eq!(
            places(&with_module(
                "storage",
                &policy("${aws_s3_bucket.media.arn}/*")
            )),
            ["CdnWholeBucket terraform/modules/storage/main.tf:9"]
        );
        assert_eq!(
            places(&with_module(
                "storage",
                &policy("${aws_s3_bucket.media.arn}/static/*")
            )),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_cache_without_tls_auth_or_encryption_at_rest_is_named() {
        // The shape before issue 15: TLS off in the module call (which defaults it on), no AUTH.
        assert_eq!(
            places(&with_module("cache", OPEN_CACHE)),
            [
                "CacheEncryption terraform/modules/cache/main.tf:1",
                "CacheEncryption terraform/modules/cache/main.tf:7",
                "DatabaseFromCidr terraform/modules/cache/main.tf:11",
            ]
        );
        // A raw replication group defaults everything to off.
        let raw = "resource \"aws_elasticache_replication_group\" \"cache\" {\n  replication_group_id = \"cache\"\n  description          = \"cache\"\n}\n";
        assert_eq!(
            places(&with_module("cache", raw)),
            ["CacheEncryption terraform/modules/cache/main.tf:1"; 3]
        );
        let cluster = "resource \"aws_elasticache_cluster\" \"cache\" {\n  cluster_id = \"cache\"\n  engine     = \"redis\"\n}\n";
        assert_eq!(places(&with_module("cache", cluster)).len(), 2);
    }

    #[test]
    fn a_cache_with_tls_auth_and_a_security_group_source_is_clean() {
        let fixed = OPEN_CACHE
            .replace(
                "transit_encryption_enabled = false",
                "transit_encryption_enabled = true\n  auth_token                 = random_password.auth.result",
            )
            .replace(
                "cidr_ipv4 = var.vpc_cidr_block",
                "referenced_security_group_id = var.node_security_group_id",
            );
        assert_eq!(places(&with_module("cache", &fixed)), Vec::<String>::new());
        let raw = "resource \"aws_elasticache_replication_group\" \"cache\" {\n  replication_group_id       = \"cache\"\n  description                = \"cache\"\n  transit_encryption_enabled = true\n  at_rest_encryption_enabled = true\n  user_group_ids             = [aws_elasticache_user_group.openedx.id]\n}\n";
        assert_eq!(places(&with_module("cache", raw)), Vec::<String>::new());
    }

    #[test]
    fn database_ports_open_to_network_ranges_are_named_in_every_shape() {
        let cases = [
            // terraform-aws-modules/security-group, as mysql, documentdb and mongodb-ec2 write it.
            "module \"security_group\" {\n  source  = \"terraform-aws-modules/security-group/aws\"\n  version = \"5.3.1\"\n\n  ingress_with_cidr_blocks = [{\n    rule        = \"mysql-tcp\"\n    cidr_blocks = var.vpc_cidr_block\n  }]\n}\n",
            "module \"security_group\" {\n  source  = \"terraform-aws-modules/security-group/aws\"\n  version = \"5.3.1\"\n\n  ingress_rules       = [\"postgresql-tcp\"]\n  ingress_cidr_blocks = [\"0.0.0.0/0\"]\n}\n",
            // A raw security group and its rules.
            "resource \"aws_security_group\" \"db\" {\n  name = \"db\"\n\n  ingress {\n    from_port   = 5432\n    to_port     = 5432\n    protocol    = \"tcp\"\n    cidr_blocks = var.private_subnet_cidrs\n  }\n}\n",
            "resource \"aws_security_group_rule\" \"db\" {\n  type              = \"ingress\"\n  from_port         = 0\n  to_port           = 65535\n  protocol          = \"tcp\"\n  security_group_id = aws_security_group.db.id\n  cidr_blocks       = [\"10.0.0.0/16\"]\n}\n",
            "resource \"aws_vpc_security_group_ingress_rule\" \"db\" {\n  security_group_id = aws_security_group.db.id\n  from_port         = var.port\n  to_port           = var.port\n  ip_protocol       = \"tcp\"\n  cidr_ipv4         = var.vpc_cidr\n}\n",
            // ec2-instance's own security group.
            "module \"instance\" {\n  source  = \"terraform-aws-modules/ec2-instance/aws\"\n  version = \"6.4.0\"\n\n  security_group_ingress_rules = {\n    mongodb = {\n      from_port   = 27017\n      ip_protocol = \"tcp\"\n      cidr_ipv4   = \"10.0.0.0/16\"\n    }\n  }\n}\n",
        ];
        for (index, case) in cases.iter().enumerate() {
            let found = places(&with_module("db", case));
            assert_eq!(found.len(), 1, "case {index}: {found:?}");
            assert!(
                found[0].starts_with("DatabaseFromCidr terraform/modules/db/main.tf:"),
                "case {index}"
            );
        }
    }

    #[test]
    fn the_data_store_rules_as_generated_are_clean_and_a_range_in_them_is_named() {
        // Issue 18: MySQL, DocumentDB and MongoDB on EC2 write their rules as plain
        // `aws_security_group_rule`s (for_each over the clients, literal ports) in place of the
        // security-group module, whose rules move to them.
        let rule = |port: &str, source: &str| {
            format!(
                "resource \"aws_security_group\" \"this\" {{\n  name   = \"db\"\n  vpc_id = var.vpc_id\n}}\n\nresource \"aws_security_group_rule\" \"clients\" {{\n  for_each = local.clients\n\n  type              = \"ingress\"\n  security_group_id = aws_security_group.this.id\n  {source}\n  protocol          = \"tcp\"\n  from_port         = {port}\n  to_port           = {port}\n}}\n\nresource \"aws_security_group_rule\" \"outbound\" {{\n  for_each = {{ HTTPS = 443, HTTP = 80 }}\n\n  type              = \"egress\"\n  security_group_id = aws_security_group.this.id\n  cidr_blocks       = [\"0.0.0.0/0\"]\n  ipv6_cidr_blocks  = [\"::/0\"]\n  protocol          = \"tcp\"\n  from_port         = each.value\n  to_port           = each.value\n}}\n"
            )
        };
        for port in ["3306", "27017"] {
            let clean = rule(port, "source_security_group_id = each.value");
            assert_eq!(
                places(&with_module("db", &clean)),
                Vec::<String>::new(),
                "{port}"
            );
            for source in [
                "cidr_blocks = [\"0.0.0.0/0\"]",
                "ipv6_cidr_blocks = [\"::/0\"]",
                "cidr_blocks = [var.vpc_cidr_block]",
            ] {
                assert_eq!(
                    places(&with_module("db", &rule(port, source))),
                    ["DatabaseFromCidr terraform/modules/db/main.tf:11"],
                    "{port} {source}"
                );
            }
        }
    }

    #[test]
    fn database_ports_open_to_security_groups_and_other_ports_to_ranges_are_clean() {
        let cases = [
            "module \"security_group\" {\n  source  = \"terraform-aws-modules/security-group/aws\"\n  version = \"5.3.1\"\n\n  ingress_with_source_security_group_id = [{\n    rule                     = \"mysql-tcp\"\n    source_security_group_id = var.node_security_group_id\n  }]\n  ingress_with_cidr_blocks = [{\n    rule        = \"https-443-tcp\"\n    cidr_blocks = \"0.0.0.0/0\"\n  }]\n}\n",
            "resource \"aws_security_group\" \"db\" {\n  name = \"db\"\n\n  ingress {\n    from_port       = 5432\n    to_port         = 5432\n    protocol        = \"tcp\"\n    security_groups = [var.node_security_group_id, var.bastion_security_group_id]\n  }\n\n  ingress {\n    from_port   = 443\n    to_port     = 443\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
            "resource \"aws_vpc_security_group_ingress_rule\" \"db\" {\n  security_group_id            = aws_security_group.db.id\n  from_port                    = var.port\n  to_port                      = var.port\n  ip_protocol                  = \"tcp\"\n  referenced_security_group_id = var.node_security_group_id\n}\n",
        ];
        for (index, case) in cases.iter().enumerate() {
            assert_eq!(
                places(&with_module("db", case)),
                Vec::<String>::new(),
                "case {index}"
            );
        }
    }

    #[test]
    fn every_example_ships_checkov_configuration_with_only_the_registry_exception() {
        // CI runs `checkov -d . --config-file .checkov.yaml --framework terraform` from the repository
        // root, as users and the pre-commit hook do, with no `--skip-check`: the file has to carry it.
        for (name, files) in examples() {
            let text = std::str::from_utf8(&files[".checkov.yaml"]).unwrap();
            let config: serde_json::Value = serde_saphyr::from_str(text).unwrap();
            assert_eq!(
                config,
                serde_json::json!({ "skip-check": ["CKV_TF_1"] }),
                "example `{name}`"
            );
            assert!(
                text.contains("pinned to an exact version"),
                "the reason, in {name}"
            );
        }
    }
}
