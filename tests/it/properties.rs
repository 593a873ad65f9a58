//! Properties over arbitrary valid answers: every one renders to a tree that passes the checks,
//! rendering is deterministic, and `update` right after `new` changes nothing.

use crate::common::Repo;
use openedx_devops::answers::Answers;
use proptest::prelude::*;
use std::collections::BTreeSet;

const REGIONS: &[&str] = &[
    "us-east-1",
    "eu-west-2",
    "ap-southeast-2",
    "sa-east-1",
    "ca-central-1",
];
const EC2: &[&str] = &[
    "t3.large",
    "t3a.xlarge",
    "m7i.large",
    "c7i.2xlarge",
    "r6i.xlarge",
];
const RDS: &[&str] = &[
    "db.t3.small",
    "db.t4g.medium",
    "db.r7g.large",
    "db.m6i.xlarge",
];
const CACHE: &[&str] = &["cache.t3.small", "cache.t4g.micro", "cache.r7g.large"];

fn slug(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[a-z][a-z0-9]{{0,{}}}", max - 1)).unwrap()
}

/// Answers files as different users would write them: any names, domains, regions, options and
/// one to three environments.
fn answers_yaml() -> impl Strategy<Value = String> {
    (
        slug(12),
        slug(8),
        (slug(10), prop::sample::select(vec!["edu", "org", "ac.uk", "example"])),
        prop::sample::select(REGIONS),
        "[0-9]{12}",
        prop::sample::select(vec!["ec2", "documentdb", "in_cluster"]),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(
            (slug(6), prop::sample::select(EC2), prop::sample::select(RDS), prop::sample::select(CACHE), any::<bool>()),
            1..=3,
        ),
    )
        .prop_map(|(name, region, (domain, tld), aws_region, account, mongodb, spot, bastion, environments)| {
            let mut text = format!(
                "platform_name: {name}\nplatform_region: {region}\nroot_domain: {domain}.{tld}\naws_region: {aws_region}\naws_account_id: \"{account}\"\nmongodb: {mongodb}\nspot_instances: {spot}\nbastion: {bastion}\nenvironments:\n"
            );
            let mut names = BTreeSet::new();
            for (index, (env, ec2, rds, cache, nested)) in environments.into_iter().enumerate() {
                let env = if names.insert(env.clone()) { env } else { format!("{env}{index}") };
                names.insert(env.clone());
                // The first environment sits at `courses`; others nest under it or stand apart.
                let subdomain = match (index, nested) {
                    (0, _) => "courses".to_owned(),
                    (_, true) => format!("{env}.courses"),
                    (_, false) => format!("{env}-courses"),
                };
                text.push_str(&format!(
                    "  - name: {env}\n    subdomain: {subdomain}\n    eks_instance_type: {ec2}\n    mysql_instance_class: {rds}\n    redis_node_type: {cache}\n"
                ));
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn valid_answers_render_deterministically_to_a_tree_that_passes_the_checks(text in answers_yaml()) {
        let raw = openedx_devops::answers::load::parse(&text).unwrap();
        let answers = Answers::validate(&raw);
        prop_assume!(answers.is_ok());
        // render_yaml runs every check before it returns; an error here is a blueprint defect.
        let first = openedx_devops::render_yaml(&text);
        prop_assert!(first.is_ok(), "{text}\n{:#}", first.unwrap_err());
        let second = openedx_devops::render_yaml(&text).unwrap();
        prop_assert_eq!(first.unwrap(), second);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    #[test]
    fn update_right_after_new_is_a_no_op(text in answers_yaml()) {
        let raw = openedx_devops::answers::load::parse(&text).unwrap();
        prop_assume!(Answers::validate(&raw).is_ok());
        let repo = Repo::new().answers_text(&text).generate();
        let before = repo.files();
        repo.run(["update"]).code(0);
        prop_assert_eq!(&before, &repo.files());
        repo.run(["update", "--check"]).code(0);
    }
}
