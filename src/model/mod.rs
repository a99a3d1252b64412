//! `Cst` + `Dialect` → `EffectiveConfig`: the effective value and origin of every setting, the way
//! vsftpd will see it at run time.
//!
//! Read-only, and ignorant of its readers: no rule, output format, firewall or socket type appears here.

mod effective;
mod origin;
pub mod passive;
pub mod value;

pub use effective::{
    Effective, EffectiveConfig, Outcome, READ_LIMIT_BYTES, Reading, Truncation, default_value,
};
pub use origin::Origin;
pub use passive::PassiveRange;
pub use value::Value;
