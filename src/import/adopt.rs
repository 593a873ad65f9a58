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

/// The resources that continue. Today one kind: an Amazon SES domain identity the old
/// repository verified for the same domain the new environment sends from. Amazon SES keeps
/// one identity per domain and account, so creating it again fails (`AlreadyExistsException`);
/// importing it keeps its DKIM keys and its verified status, and mail flows throughout.
pub fn adoptions(peer: &Peer, answers: &Answers) -> Vec<Adoption> {
    let mut found = Vec::new();
    let Some((root_domain, _)) = peer.global.text("root_domain") else {
        return found;
    };
    for old in &peer.environments {
        if !old.units.iter().any(|unit| unit == "ses") {
            continue;
        }
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
        let file = format!("terraform/environments/{}/ses/imports.tf", new.name);
        let text = format!(
            "# Written by `openedx-devops import --import-existing`: the Amazon SES identity of\n\
             # {old_domain} that the old repository (terraform/environments/{folder}/ses) verified\n\
             # continues here, with its DKIM keys. Terraform imports it on the next apply of this\n\
             # unit; delete this file after that apply (and `terraform state rm` the identity from\n\
             # the old repository's `ses` unit, so that destroying the old one keeps it).\n\
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
