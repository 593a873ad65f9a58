//! The Tutor plugins `tutor_plugins` may name: each one's pinned package, the hosts it serves and
//! the images the build makes for it, read from the plugins' own source at those versions; and
//! the plugins refused, with the reason.

use serde::Serialize;

/// A host a plugin serves: the Tutor setting that holds it and the label put before the LMS
/// host (Tutor's own default, `notes.{{ LMS_HOST }}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PluginHost {
    /// The Tutor setting, e.g. `NOTES_HOST`.
    pub key: &'static str,
    /// The DNS label before the environment's LMS host, e.g. `notes`.
    pub prefix: &'static str,
}

/// An image a plugin builds (`tutor images build <name>`), which our build workflow pushes to
/// ECR and every deploy runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PluginImage {
    /// Tutor's name of the image, e.g. `notes`.
    pub name: &'static str,
    /// The Tutor setting that names the image, e.g. `NOTES_DOCKER_IMAGE`.
    pub key: &'static str,
}

/// One Tutor plugin the generated repository can enable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Plugin {
    /// The answer's word and Tutor's plugin name (PLUGINS), e.g. `notes`.
    pub name: &'static str,
    /// The pip requirement of `ci/tutor-requirements.txt`, pinned to the Tutor major.
    pub requirement: &'static str,
    /// One line for the questionnaire and the README.
    pub help: &'static str,
    pub hosts: &'static [PluginHost],
    pub images: &'static [PluginImage],
    /// A theme: it sets the platform's look, as `theme_repository` does.
    pub theme: bool,
}

/// Every plugin `tutor_plugins` accepts, in the order the questionnaire lists them. Versions:
/// the newest release on PyPI for Tutor 22 (each requires `tutor>=22,<23`).
pub const PLUGINS: &[Plugin] = &[
    Plugin {
        name: "forum",
        requirement: "tutor-forum==22.0.0",
        help: "course discussions: the forum (v2) runs inside the LMS and keeps its posts in MySQL",
        hosts: &[],
        images: &[],
        theme: false,
    },
    Plugin {
        name: "notes",
        requirement: "tutor-notes==22.0.0",
        help: "learners highlight and annotate course text; its own service at notes.<LMS host>",
        hosts: &[PluginHost {
            key: "NOTES_HOST",
            prefix: "notes",
        }],
        images: &[PluginImage {
            name: "notes",
            key: "NOTES_DOCKER_IMAGE",
        }],
        theme: false,
    },
    Plugin {
        name: "discovery",
        requirement: "tutor-discovery==22.0.0",
        help: "course catalogue service for programs and marketing sites; runs Elasticsearch in the cluster",
        hosts: &[PluginHost {
            key: "DISCOVERY_HOST",
            prefix: "discovery",
        }],
        images: &[PluginImage {
            name: "discovery",
            key: "DISCOVERY_DOCKER_IMAGE",
        }],
        theme: false,
    },
    Plugin {
        name: "credentials",
        requirement: "tutor-credentials==22.0.0",
        help: "program certificates and learner records; its own service at credentials.<LMS host>",
        hosts: &[PluginHost {
            key: "CREDENTIALS_HOST",
            prefix: "credentials",
        }],
        images: &[PluginImage {
            name: "credentials",
            key: "CREDENTIALS_DOCKER_IMAGE",
        }],
        theme: false,
    },
    Plugin {
        name: "xqueue",
        requirement: "tutor-xqueue==22.0.0",
        help: "queue for externally graded problems (code graders); its own service at xqueue.<LMS host>",
        hosts: &[PluginHost {
            key: "XQUEUE_HOST",
            prefix: "xqueue",
        }],
        images: &[PluginImage {
            name: "xqueue",
            key: "XQUEUE_DOCKER_IMAGE",
        }],
        theme: false,
    },
    Plugin {
        name: "jupyter",
        requirement: "tutor-jupyter==22.0.0",
        help: "Jupyter notebooks in courses (JupyterHub XBlock); a hub at jupyter.<LMS host> starts one lab per learner",
        hosts: &[PluginHost {
            key: "JUPYTER_HOST",
            prefix: "jupyter",
        }],
        images: &[
            PluginImage {
                name: "jupyterhub",
                key: "JUPYTER_DOCKER_IMAGE_HUB",
            },
            PluginImage {
                name: "jupyterlab",
                key: "JUPYTER_DOCKER_IMAGE_LAB",
            },
        ],
        theme: false,
    },
    Plugin {
        name: "cairn",
        requirement: "tutor-cairn==22.0.0",
        help: "learning analytics: ClickHouse and Superset dashboards in the cluster, at data.<LMS host>",
        hosts: &[PluginHost {
            key: "CAIRN_HOST",
            prefix: "data",
        }],
        images: &[
            PluginImage {
                name: "cairn-clickhouse",
                key: "CAIRN_CLICKHOUSE_DOCKER_IMAGE",
            },
            PluginImage {
                name: "cairn-superset",
                key: "CAIRN_SUPERSET_DOCKER_IMAGE",
            },
        ],
        theme: false,
    },
    Plugin {
        name: "indigo",
        requirement: "tutor-indigo==22.0.0",
        help: "Tutor's Indigo theme for the LMS and the MFEs (instead of a theme_repository)",
        hosts: &[],
        images: &[],
        theme: true,
    },
];

/// Plugins people may try to name that this platform does not run, and why.
pub const REFUSED: &[(&str, &str)] = &[
    (
        "mfe",
        "is always on: the MFEs are part of every platform this generator makes",
    ),
    (
        "minio",
        "replaces Amazon S3, which this platform already uses for files (the storage unit)",
    ),
    (
        "ecommerce",
        "has no release for Tutor 22 (the newest, tutor-ecommerce 19.0.0, needs Tutor 19) and is retired upstream",
    ),
    (
        "webui",
        "is a local web interface for the tutor command line, not a service of the platform",
    ),
    (
        "deck",
        "is a local administration interface for Tutor, not a service of the platform",
    ),
    (
        "codejail",
        "confines learners' code with an AppArmor profile, and EKS's Amazon Linux 2023 nodes have SELinux, not AppArmor: the kubelet refuses its pods, and without the profile it would run that code unconfined",
    ),
    (
        "aspects",
        "(tutor-contrib-aspects) is a separate analytics stack (ClickHouse, Ralph, Superset, dbt) with its own sizing and storage and versions apart from Tutor's; `cairn` is the analytics this generator runs",
    ),
    (
        "android",
        "builds the mobile app on a workstation; it runs no service on the platform",
    ),
];

/// The plugin named `name`, if `tutor_plugins` accepts it.
pub fn plugin(name: &str) -> Option<&'static Plugin> {
    PLUGINS.iter().find(|plugin| plugin.name == name)
}

/// Why `name` is refused, or `None` when it is accepted.
pub fn check_plugin(name: &str) -> Result<&'static Plugin, String> {
    if let Some(plugin) = plugin(name) {
        return Ok(plugin);
    }
    if let Some((_, reason)) = REFUSED.iter().find(|(refused, _)| *refused == name) {
        return Err(format!("`{name}` {reason}"));
    }
    let bare = name
        .strip_prefix("tutor-contrib-")
        .or_else(|| name.strip_prefix("tutor-"))
        .and_then(|rest| rest.split("==").next());
    if let Some(plugin) = bare.and_then(plugin) {
        return Err(format!(
            "`{name}` is a package name: write the plugin's name, `{}`",
            plugin.name
        ));
    }
    let hint = crate::suggest::did_you_mean(name, PLUGINS.iter().map(|plugin| plugin.name));
    Err(format!(
        "`{name}` is not a Tutor plugin this generator can run{hint}; the choices are {}",
        PLUGINS
            .iter()
            .map(|plugin| format!("`{}`", plugin.name))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogue_is_consistent() {
        let mut keys = std::collections::BTreeSet::new();
        let mut images = std::collections::BTreeSet::new();
        for (index, plugin) in PLUGINS.iter().enumerate() {
            assert!(
                !PLUGINS[..index]
                    .iter()
                    .any(|other| other.name == plugin.name),
                "{} twice",
                plugin.name
            );
            assert!(!REFUSED.iter().any(|(name, _)| *name == plugin.name));
            // Pinned to Tutor 22, as ci/tutor-requirements.txt requires of every plugin.
            let (_, version) = plugin.requirement.split_once("==").unwrap();
            assert!(version.starts_with("22."), "{}", plugin.requirement);
            assert!(plugin.help.len() <= 120, "{}", plugin.name);
            for host in plugin.hosts {
                assert!(keys.insert(host.key), "{}", host.key);
                assert!(host.key.ends_with("_HOST"));
            }
            for image in plugin.images {
                assert!(images.insert(image.name), "{}", image.name);
                assert!(keys.insert(image.key), "{}", image.key);
                assert!(!["openedx", "mfe"].contains(&image.name));
            }
        }
    }

    #[test]
    fn names_are_checked_with_reasons_and_suggestions() {
        assert_eq!(check_plugin("notes").unwrap().name, "notes");
        assert!(
            check_plugin("note")
                .unwrap_err()
                .contains("did you mean `notes`")
        );
        assert!(check_plugin("minio").unwrap_err().contains("S3"));
        assert!(
            check_plugin("tutor-forum")
                .unwrap_err()
                .contains("write the plugin's name, `forum`")
        );
        assert!(check_plugin("zzz").unwrap_err().contains("`cairn`"));
    }
}
