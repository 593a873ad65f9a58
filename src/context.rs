//! The template context: validated answers plus what follows from them (hosts, resource names,
//! DNS delegation, idle cost), the pinned versions and the generator's version. Pure data, no I/O.

use crate::answers::plugins::{self, Plugin};
use crate::answers::scaling::{self, Allocatable, ServiceScaling};
use crate::answers::{Answers, Environment, aws, openedx};
use crate::cost::{self, Cost};
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// Namespace Open edX runs in; every environment has its own cluster.
const NAMESPACE: &str = "openedx";

/// Every DNS name an environment uses.
#[derive(Debug, Clone, Serialize)]
pub struct Hosts {
    pub lms: String,
    pub studio: String,
    pub mfe: String,
    pub meilisearch: String,
    pub cdn: String,
    pub grafana: String,
    pub mysql: String,
    pub mongodb: String,
    pub redis: String,
    pub bastion: String,
}

/// A host a Tutor plugin serves in one environment.
#[derive(Debug, Clone, Serialize)]
pub struct PluginHost {
    /// Its key among the environment's web hosts (Terraform's `hosts` map): `notes`, `cairn`.
    pub name: String,
    /// The plugin's Tutor setting, `NOTES_HOST`.
    pub key: String,
    pub host: String,
    pub plugin: String,
}

/// An image the build workflow makes and every deploy runs.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    /// Tutor's name of it (`tutor images build <name>`): `openedx`, `mfe`, `notes`.
    pub name: String,
    /// The Tutor setting that names it: `DOCKER_IMAGE_OPENEDX`.
    pub key: String,
    /// Its ECR repository after `<platform>-<region>-`: `openedx`, `openedx-notes`.
    pub repository: String,
}

/// The theme repository the build clones, if any.
#[derive(Debug, Clone, Serialize)]
pub struct Theme {
    pub repository: String,
    /// Branch, tag or commit.
    pub git_ref: String,
    /// Its folder in the image, and its name in Open edX.
    pub name: String,
}

/// One environment as templates see it (`env`).
#[derive(Debug, Clone, Serialize)]
pub struct EnvironmentContext {
    pub name: String,
    pub subdomain: String,
    pub domain: String,
    pub resource_prefix: String,
    pub namespace: String,
    pub is_production: bool,
    pub vpc_cidr: String,
    pub eks_instance_type: String,
    pub mysql_instance_class: String,
    pub redis_node_type: String,
    pub mongodb_instance_type: String,
    pub documentdb_instance_class: String,
    /// Whether RDS for MySQL supports Performance Insights on `mysql_instance_class`.
    pub mysql_performance_insights: bool,
    pub eks_node_min_size: u32,
    /// The README's idle-cost column for this environment.
    pub cost: Cost,
    pub hosts: Hosts,
    pub dns_parent_zone: String,
    pub dns_parent_env: Option<String>,
    /// Pods of the Open edX services and their sizes (Tutor's POD_AUTOSCALING_EXTRA_SERVICES).
    pub scaling: Scaling,
    /// The hosts of the chosen plugins, in the order of the plugins.
    pub plugin_hosts: Vec<PluginHost>,
    /// CONTACT_EMAIL, and the sender of the platform's e-mail.
    pub contact_email: String,
    pub email_from: String,
}

/// The app tier of one environment as the Tutor configuration renders it.
#[derive(Debug, Clone, Serialize)]
pub struct Scaling {
    /// vCPUs and memory of `eks_instance_type`, and what its pods can request.
    pub node_vcpus: u32,
    /// `8 GiB`, `0.5 GiB`.
    pub node_memory: String,
    /// Memory of `eks_instance_type` in MiB: the least a node of Karpenter's may have (the sizes
    /// below assume it).
    pub node_memory_mib: u32,
    pub node: Allocatable,
    pub services: Vec<ServiceScaling>,
    /// Celery processes per worker pod and uWSGI processes per LMS or Studio pod.
    pub worker_concurrency: u32,
    pub uwsgi_workers: u32,
}

fn scaling_of(environment: &Environment) -> Scaling {
    // Every EC2 type the answers accept has a known capacity (a test in answers::aws says so).
    let capacity = aws::ec2_capacity(&environment.eks_instance_type).unwrap_or(aws::Capacity {
        vcpus: 2,
        memory_mib: 8192,
    });
    let (node, services) = scaling::environment_services(
        &environment.eks_instance_type,
        environment.lms_min_pods,
        environment.lms_max_pods,
    )
    .unwrap_or_else(|| (scaling::allocatable(capacity), Vec::new()));
    Scaling {
        node_vcpus: capacity.vcpus,
        node_memory: if capacity.memory_mib.is_multiple_of(1024) {
            format!("{} GiB", capacity.memory_mib / 1024)
        } else {
            format!("{:.1} GiB", f64::from(capacity.memory_mib) / 1024.0)
        },
        node_memory_mib: capacity.memory_mib,
        node,
        worker_concurrency: scaling::worker_concurrency(&services),
        uwsgi_workers: scaling::uwsgi_workers(&services),
        services,
    }
}

/// What every template sees.
#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub answers: Value,
    pub environments: Vec<EnvironmentContext>,
    /// The chosen Tutor plugins, in catalogue order.
    pub plugins: Vec<Plugin>,
    /// The openedx and MFE images, then the plugins' images.
    pub images: Vec<Image>,
    pub theme: Option<Theme>,
    /// The account's ECR pull-through cache of public.ecr.aws (shared/ecr):
    /// `<account>.dkr.ecr.<region>.amazonaws.com/ecr-public`. Images of `_versions.yml` written
    /// as `public.ecr.aws/<path>` are pulled as `<ecr_public_cache>/<path>`.
    pub ecr_public_cache: String,
    pub versions: Value,
    pub generator: Generator,
}

#[derive(Debug, Clone, Serialize)]
pub struct Generator {
    pub version: String,
}

impl Context {
    pub fn new(answers: &Answers, versions: &Value) -> Context {
        let environments = answers
            .environments
            .iter()
            .map(|environment| environment_context(answers, environment))
            .collect::<Vec<_>>();
        // Domain -> environment name, so that each environment finds its parent in as many
        // look-ups as its domain has labels, not by comparing it with every other environment.
        let names_by_domain: HashMap<String, String> = environments
            .iter()
            .map(|environment| (environment.domain.clone(), environment.name.clone()))
            .collect();
        let environments = environments
            .into_iter()
            .map(|mut environment| {
                if let Some((name, zone)) = parent_zone(&environment.domain, &names_by_domain) {
                    environment.dns_parent_env = Some(name.to_owned());
                    environment.dns_parent_zone = zone.to_owned();
                }
                environment
            })
            .collect();
        let mut raw = answers.to_raw();
        if let Some(map) = raw.as_object_mut() {
            map.remove("environments");
        }
        let chosen: Vec<Plugin> = answers
            .tutor_plugins
            .iter()
            .filter_map(|name| plugins::plugin(name).copied())
            .collect();
        let images = [
            ("openedx", "DOCKER_IMAGE_OPENEDX", "openedx".to_owned()),
            ("mfe", "MFE_DOCKER_IMAGE", "openedx-mfe".to_owned()),
        ]
        .into_iter()
        .chain(chosen.iter().flat_map(|plugin| {
            plugin
                .images
                .iter()
                .map(|image| (image.name, image.key, format!("openedx-{}", image.name)))
        }))
        .map(|(name, key, repository)| Image {
            name: name.to_owned(),
            key: key.to_owned(),
            repository,
        })
        .collect();
        let theme = answers.theme_repository.as_ref().map(|repository| Theme {
            repository: repository.clone(),
            git_ref: answers.theme_ref.clone(),
            name: openedx::theme_name(repository),
        });
        Context {
            answers: raw,
            environments,
            plugins: chosen,
            images,
            theme,
            ecr_public_cache: format!(
                "{}.dkr.ecr.{}.amazonaws.com/ecr-public",
                answers.aws_account_id, answers.aws_region
            ),
            versions: versions.clone(),
            generator: Generator {
                version: env!("CARGO_PKG_VERSION").to_owned(),
            },
        }
    }
}

fn environment_context(answers: &Answers, environment: &Environment) -> EnvironmentContext {
    let domain = answers.environment_domain(environment);
    let host = |prefix: &str| format!("{prefix}.{domain}");
    EnvironmentContext {
        name: environment.name.clone(),
        subdomain: environment.subdomain.clone(),
        resource_prefix: answers.resource_prefix(environment),
        namespace: NAMESPACE.to_owned(),
        is_production: environment.production,
        vpc_cidr: environment.vpc_cidr.clone(),
        eks_instance_type: environment.eks_instance_type.clone(),
        mysql_instance_class: environment.mysql_instance_class.clone(),
        redis_node_type: environment.redis_node_type.clone(),
        mongodb_instance_type: environment.mongodb_instance_type.clone(),
        documentdb_instance_class: environment.documentdb_instance_class.clone(),
        mysql_performance_insights: aws::mysql_supports_performance_insights(
            &environment.mysql_instance_class,
        ),
        eks_node_min_size: cost::EKS_NODE_MIN_SIZE,
        cost: cost::idle_cost(answers, environment),
        hosts: Hosts {
            lms: domain.clone(),
            studio: host("studio"),
            mfe: host("apps"),
            meilisearch: host("meilisearch"),
            cdn: host("cdn"),
            grafana: host("grafana"),
            mysql: host("mysql"),
            mongodb: host("mongodb"),
            redis: host("redis"),
            bastion: host("bastion"),
        },
        dns_parent_zone: answers.root_domain.clone(),
        dns_parent_env: None,
        scaling: scaling_of(environment),
        plugin_hosts: plugin_hosts(answers, &domain),
        contact_email: answers
            .contact_email
            .clone()
            .unwrap_or_else(|| format!("support@{domain}")),
        email_from: answers
            .contact_email
            .clone()
            .unwrap_or_else(|| format!("no-reply@{domain}")),
        domain,
    }
}

/// The hosts the chosen plugins serve under `domain` (the environment's LMS host).
fn plugin_hosts(answers: &Answers, domain: &str) -> Vec<PluginHost> {
    answers
        .tutor_plugins
        .iter()
        .filter_map(|name| plugins::plugin(name))
        .flat_map(|plugin| {
            plugin.hosts.iter().map(move |host| PluginHost {
                name: host
                    .key
                    .strip_suffix("_HOST")
                    .unwrap_or(host.key)
                    .to_ascii_lowercase(),
                key: host.key.to_owned(),
                host: format!("{}.{domain}", host.prefix),
                plugin: plugin.name.to_owned(),
            })
        })
        .collect()
}

/// The closest other environment whose domain contains this one, if any: its name and domain.
/// The longest enclosing domain is the one after the first dot that names an environment.
fn parent_zone<'a>(
    domain: &str,
    names_by_domain: &'a HashMap<String, String>,
) -> Option<(&'a str, &'a str)> {
    domain
        .match_indices('.')
        .find_map(|(dot, _)| names_by_domain.get_key_value(&domain[dot + 1..]))
        .map(|(zone, name)| (name.as_str(), zone.as_str()))
}

/// The values templates and plan conditions see: built once per render, then one cheap clone
/// per file, with `env` set for per-environment files.
pub(crate) struct TemplateValues {
    shared: minijinja::Value,
    per_environment: Vec<minijinja::Value>,
}

impl TemplateValues {
    pub(crate) fn new(context: &Context) -> TemplateValues {
        let answers = minijinja::Value::from(minijinja::value::Serde(&context.answers));
        let environments = minijinja::Value::from(minijinja::value::Serde(&context.environments));
        let versions = minijinja::Value::from(minijinja::value::Serde(&context.versions));
        let generator = minijinja::Value::from(minijinja::value::Serde(&context.generator));
        let plugins = minijinja::Value::from(minijinja::value::Serde(&context.plugins));
        let images = minijinja::Value::from(minijinja::value::Serde(&context.images));
        let theme = minijinja::Value::from(minijinja::value::Serde(&context.theme));
        let ecr_public_cache = minijinja::Value::from(context.ecr_public_cache.as_str());
        let with_env = |env: minijinja::Value| {
            minijinja::context! {
                answers => answers.clone(),
                environments => environments.clone(),
                plugins => plugins.clone(),
                images => images.clone(),
                theme => theme.clone(),
                ecr_public_cache => ecr_public_cache.clone(),
                versions => versions.clone(),
                generator => generator.clone(),
                env => env,
            }
        };
        TemplateValues {
            shared: with_env(minijinja::Value::UNDEFINED),
            per_environment: context
                .environments
                .iter()
                .map(|environment| {
                    with_env(minijinja::Value::from(minijinja::value::Serde(environment)))
                })
                .collect(),
        }
    }

    /// The values for a file of environment `index`, or for a file of no environment.
    pub(crate) fn get(&self, environment: Option<usize>) -> minijinja::Value {
        environment
            .and_then(|index| self.per_environment.get(index))
            .unwrap_or(&self.shared)
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::load;

    fn context(extra: &[&str]) -> Context {
        let mut raw = load::demo_defaults();
        for assignment in extra {
            load::apply_set(&mut raw, assignment).unwrap();
        }
        let answers = Answers::validate(&raw).unwrap();
        Context::new(&answers, &Value::Null)
    }

    #[test]
    fn hosts_and_names_follow_the_answers() {
        let context = context(&["platform_region=emea"]);
        let prod = &context.environments[0];
        assert_eq!(prod.resource_prefix, "yourschool-emea-prod");
        assert_eq!(prod.hosts.studio, "studio.courses.yourschool.example");
        assert_eq!(prod.hosts.mfe, "apps.courses.yourschool.example");
        assert!(prod.is_production);
        assert_eq!(prod.dns_parent_zone, "yourschool.example");
        assert_eq!(prod.dns_parent_env, None);
    }

    #[test]
    fn a_nested_environment_is_delegated_from_the_closest_enclosing_one() {
        let context = context(&[
            "environments.1.name=dev",
            "environments.1.subdomain=dev.courses",
            "environments.2.name=qa",
            "environments.2.subdomain=qa.dev.courses",
            "environments.3.name=other",
            "environments.3.subdomain=learn",
        ]);
        let parent = |index: usize| context.environments[index].dns_parent_env.clone();
        assert_eq!(parent(1).as_deref(), Some("prod"));
        assert_eq!(parent(2).as_deref(), Some("dev"));
        assert_eq!(
            context.environments[2].dns_parent_zone,
            "dev.courses.yourschool.example"
        );
        assert_eq!(parent(3), None);
        assert!(!context.environments[1].is_production);
    }

    #[test]
    fn each_of_fifty_nested_environments_is_delegated_from_the_one_it_is_in() {
        // A tree three wide and four deep: deeper chains make the CDN host longer than ACM
        // certifies (64 characters), which the answers refuse.
        let parent_of = |index: usize| (index - 1) / 3;
        let mut subdomains = vec!["courses".to_owned()];
        let mut assignments = Vec::new();
        for index in 1..50 {
            let subdomain = format!("x{index}.{}", subdomains[parent_of(index)]);
            assignments.push(format!("environments.{index}.name=e{index}"));
            assignments.push(format!("environments.{index}.subdomain={subdomain}"));
            subdomains.push(subdomain);
        }
        let assignments: Vec<&str> = assignments.iter().map(String::as_str).collect();
        let context = context(&assignments);
        assert_eq!(context.environments.len(), 50);
        assert_eq!(context.environments[0].dns_parent_env, None);
        for index in 1..50 {
            let environment = &context.environments[index];
            let parent = &context.environments[parent_of(index)];
            assert_eq!(environment.dns_parent_env.as_ref(), Some(&parent.name));
            assert_eq!(environment.dns_parent_zone, parent.domain);
        }
    }
}
