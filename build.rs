//! Links the `vsconf` binary as a position-dependent executable.
//!
//! A PIE `vsconf` carried 9,154 relative relocations that the dynamic loader applied on every start,
//! writing (and so copying) every page of `.data.rel.ro` they touch: `vsconf --version` took 200 page
//! faults against 49 for `/bin/true`, and a single-file `lint` is mostly process start. Without PIE
//! those addresses are fixed at link time. The trade-off: the executable's own image is not
//! randomised (shared libraries, heap and stack still are); vsconf reads configs, it is not a daemon
//! facing the network except in `serve`, a test stand-in. BENCHMARKS.md has the measurement.

fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
    println!("cargo:rerun-if-changed=build.rs");
}
