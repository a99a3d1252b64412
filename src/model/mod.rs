//! `Cst` + `Dialect` → `EffectiveConfig`: the effective value and origin of every setting, the way
//! vsftpd will see it at run time, and the facts vsftpd derives from them — the listener, the passive
//! range and data ports, the TLS requirements — each computed here once for every reader.
//!
//! Read-only, and ignorant of its readers: no rule, output format, firewall or socket type appears here.

mod effective;
mod listener;
mod origin;
pub mod passive;
mod tls;
pub mod value;

pub use effective::{
    Effective, EffectiveConfig, FirstFatal, Outcome, Override, OverrideReading, READ_LIMIT_BYTES,
    Reading, Truncation, default_value,
};
pub use listener::{BindAddress, Family, ListenMode, Listener, ListenerError};
pub use origin::Origin;
pub use passive::{ActiveSource, DataPorts, PassiveRange};
pub use tls::{TlsMode, TlsRequired, TlsRequirements};
pub use value::Value;
