//! `-oNAME=VALUE`: vsftpd's command-line overrides, for the commands that model a config (`lint`,
//! `show`, `firewall`, `serve`, `verify`). vsftpd applies its arguments left to right, so an override
//! after the file wins over it and one before the file is overridden by it; vsconf keeps that order by
//! looking at where each `-o` stands against the config path on its own command line.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use vsconf::model::Override;

/// `-o NAME=VALUE`, repeatable.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct OverrideArgs {
    /// Apply a setting as `vsftpd FILE -oNAME=VALUE` does: after FILE it overrides the file, before
    /// FILE the file overrides it (repeatable; checked exactly as the build reads it)
    #[arg(short = 'o', value_name = "NAME=VALUE", allow_hyphen_values = true)]
    pub overrides: Vec<OsString>,
}

impl OverrideArgs {
    /// The overrides in command-line order, each placed before or after `file` as it was typed.
    pub fn resolve(&self, file: &Path) -> Vec<Override> {
        let before = positions(std::env::args_os().skip(1), file.as_os_str());
        self.overrides
            .iter()
            .enumerate()
            .map(|(i, text)| Override {
                text: text.as_bytes().to_vec(),
                before_file: before.get(i).copied().unwrap_or(false),
            })
            .collect()
    }
}

/// For each `-o` on a command line, in order, whether it comes before the first argument equal to
/// `file`.
fn positions(args: impl Iterator<Item = OsString>, file: &OsStr) -> Vec<bool> {
    let mut seen_file = false;
    let mut out = Vec::new();
    let mut value_follows = false;
    for arg in args {
        let bytes = arg.as_bytes();
        if value_follows {
            value_follows = false;
            continue;
        }
        if bytes == b"-o" {
            out.push(!seen_file);
            value_follows = true;
        } else if bytes.starts_with(b"-o") {
            out.push(!seen_file);
        } else if arg.as_os_str() == file {
            seen_file = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn overrides_are_placed_against_the_file_as_typed() {
        let file = OsStr::new("a.conf");
        assert_eq!(
            positions(
                args(&["lint", "-olisten=YES", "a.conf", "-o", "x=1", "-oy=2"]).into_iter(),
                file
            ),
            vec![true, false, false]
        );
        assert_eq!(
            positions(args(&["show", "a.conf", "-o", "a.conf"]).into_iter(), file),
            vec![false]
        );
    }
}
