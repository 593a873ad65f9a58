//! Rebuilds the binary whenever a blueprint changes (they are embedded with include_dir).
fn main() {
    println!("cargo:rerun-if-changed=blueprints");
}
