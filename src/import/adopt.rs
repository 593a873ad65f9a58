//! Resources of the old repository that the new one takes over instead of creating again:
//! Terraform `import {}` blocks, written into the new repository's units by
//! `import --import-existing` (Terragrunt copies a unit folder's files over its module).

use super::peer::Peer;
use crate::answers::Answers;

/// One `imports.tf` for a unit of the new repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adoption {
    /// Where it goes in the new repository: `terraform/environments/<env>/ses/imports.tf`.
    pub file: String,
    pub text: String,
    /// What continues, for the report.
    pub what: String,
}

/// The resources that continue, for every new environment on the domain of an old one:
/// - the environment's hosted zone and its NS delegation in the root zone, which the old
///   repository's `vpc` unit created (`aws_route53_zone.environment_domain`,
///   `aws_route53_record.environment_domain-ns`): the new `dns` unit takes both over, so the
///   name servers resolvers know stay the same and the cut-over is a change of records in it;
/// - the Amazon SES domain identity of the old `ses` unit: SES keeps one identity per domain
///   and account, so creating it again fails (`AlreadyExistsException`); importing it keeps its
///   DKIM keys and verified status.
pub fn adoptions(peer: &Peer, answers: &Answers) -> Vec<Adoption> {
    let mut found = Vec::new();
    let Some((root_domain, _)) = peer.global.text("root_domain") else {
        return found;
    };
    for old in &peer.environments {
        let Some((subdomain, _)) = old.locals.text("environment_subdomain") else {
            continue;
        };
        let old_domain = format!("{subdomain}.{root_domain}").to_ascii_lowercase();
        let Some(new) = answers
            .environments
            .iter()
            .find(|new| answers.environment_domain(new).to_ascii_lowercase() == old_domain)
        else {
            continue;
        };
        if old.units.iter().any(|unit| unit == "vpc") {
            found.push(Adoption {
                file: format!("terraform/environments/{}/dns/imports.tf", new.name),
                text: format!(
                    "# Written by `openedx-devops import --import-existing`: the hosted zone of {old_domain}\n\
                     # and its NS delegation, which the old repository created\n\
                     # (terraform/environments/{folder}/vpc), continue here. Terraform imports them on\n\
                     # the next apply of this unit; delete this file after that apply (and first\n\
                     # `terragrunt state rm` both from the old repository's `vpc` unit, so that destroying\n\
                     # the old one keeps them).\n\
                     data \"aws_route53_zone\" \"adopted\" {{\n  name         = \"{old_domain}\"\n  private_zone = false\n}}\n\n\
                     data \"aws_route53_zone\" \"adopted_parent\" {{\n  name         = \"{root}\"\n  private_zone = false\n}}\n\n\
                     import {{\n  to = aws_route53_zone.this\n  id = data.aws_route53_zone.adopted.zone_id\n}}\n\n\
                     import {{\n  to = aws_route53_record.delegation\n  id = \"${{data.aws_route53_zone.adopted_parent.zone_id}}_{old_domain}_NS\"\n}}\n",
                    root = root_domain.to_ascii_lowercase(),
                    folder = old.folder,
                ),
                what: format!(
                    "the hosted zone of {old_domain} with its delegation (terraform/environments/{}/vpc)",
                    old.folder
                ),
            });
        }
        if !old.units.iter().any(|unit| unit == "ses") {
            continue;
        }
        let file = format!("terraform/environments/{}/ses/imports.tf", new.name);
        let text = format!(
            "# Written by `openedx-devops import --import-existing`: the Amazon SES identity of\n\
             # {old_domain} that the old repository (terraform/environments/{folder}/ses) verified\n\
             # continues here, with its DKIM keys. Terraform imports it on the next apply of this\n\
             # unit; delete this file after that apply (and first `terragrunt state rm` the identity\n\
             # and its DKIM from the old repository's `ses` unit, so that destroying the old one keeps\n\
             # them).\n\
             import {{\n  to = aws_sesv2_email_identity.domain\n  id = \"{old_domain}\"\n}}\n",
            folder = old.folder,
        );
        found.push(Adoption {
            file,
            text,
            what: format!(
                "the Amazon SES identity of {old_domain} (terraform/environments/{}/ses)",
                old.folder
            ),
        });
    }
    found
}
