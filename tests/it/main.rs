//! The integration tests: one binary (as in casey/just), one module per area. Each test runs
//! the real binary or the library on answers of its own; none reads anything outside the
//! repository.

mod app_scaling;
mod chart_crds;
mod check;
mod ci_runners;
mod cli;
mod common;
mod currency;
mod data_tier;
mod envcommon_migration;
mod hardening_answers;
mod hostile;
mod import;
mod node_scaling;
mod openedx_layer;
mod pipeline_tree;
mod platform_review;
mod precommit;
mod properties;
mod provider_schema;
mod release_upgrade;
mod schema;
mod school_platform;
mod secrets;
mod snapshots;
mod terminal;
mod terraform_tree;
mod update;
