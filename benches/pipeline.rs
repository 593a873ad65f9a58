//! In-process cost of each stage of `new` for the fullest example and for 1, 5 and 20
//! environments: validate answers, plan, render, check, and the whole pipeline.
//! Run with `cargo bench --bench pipeline`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use openedx_devops::answers::{Answers, load};
use openedx_devops::blueprints::BlueprintSet;
use openedx_devops::context::Context;
use std::hint::black_box;

/// Demo answers with `count` environments.
fn answers_with(count: usize) -> Answers {
    let mut raw = load::demo_defaults();
    for index in 1..count {
        load::apply_set(&mut raw, &format!("environments.{index}.name=env{index}")).unwrap();
        load::apply_set(
            &mut raw,
            &format!("environments.{index}.subdomain=env{index}.courses"),
        )
        .unwrap();
    }
    Answers::validate(&raw).unwrap()
}

fn stages(criterion: &mut Criterion) {
    let blueprints = BlueprintSet::embedded().unwrap();
    let example =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/full.yml")).unwrap();
    let raw = load::parse(&example).unwrap();
    let answers = Answers::validate(&raw).unwrap();
    let context = Context::new(&answers, blueprints.versions());
    let plan = openedx_devops::plan::plan(&blueprints, &context).unwrap();
    let tree = openedx_devops::render::render(&blueprints, &plan, &context).unwrap();

    let mut group = criterion.benchmark_group("stages (examples/full.yml)");
    group.bench_function("load embedded blueprints", |b| {
        b.iter(|| BlueprintSet::embedded().unwrap())
    });
    group.bench_function("validate answers", |b| {
        b.iter(|| Answers::validate(black_box(&raw)))
    });
    group.bench_function("plan", |b| {
        b.iter(|| openedx_devops::plan::plan(&blueprints, black_box(&context)).unwrap())
    });
    group.bench_function("render", |b| {
        b.iter(|| openedx_devops::render::render(&blueprints, &plan, black_box(&context)).unwrap())
    });
    group.bench_function("check rendered tree", |b| {
        b.iter(|| openedx_devops::validate::check_render(black_box(&tree)))
    });
    group.bench_function("whole pipeline", |b| {
        b.iter(|| openedx_devops::generate::generate(black_box(&answers), &blueprints).unwrap())
    });
    group.finish();

    let mut group = criterion.benchmark_group("whole pipeline by environments");
    for count in [1, 5, 20] {
        let answers = answers_with(count);
        group.bench_with_input(
            BenchmarkId::from_parameter(count),
            &answers,
            |b, answers| {
                b.iter(|| openedx_devops::generate::generate(answers, &blueprints).unwrap())
            },
        );
    }
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
