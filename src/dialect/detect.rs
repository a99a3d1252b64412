//! Which vsftpd build a host runs, from what the host says about it: the package manager's version of
//! the `vsftpd` package, the banner of `vsftpd -v` and `/etc/os-release`.
//!
//! Pure: the caller (the command line) gathers the [`HostFacts`] — running `dpkg-query`, `rpm` and
//! `vsftpd -v`, reading the file — and this module only decides. Every decision carries the sentence that
//! explains it, shown to the operator in the human header and in JSON (`dialect_source`).

use super::Dialect;

/// The package manager that reported the installed `vsftpd` package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageManager {
    /// `dpkg-query -W -f '${Version}' vsftpd` (Debian, Ubuntu).
    Dpkg,
    /// `rpm -q --qf '%{VERSION}-%{RELEASE}' vsftpd` (RHEL, Fedora, Rocky, Alma).
    Rpm,
}

impl PackageManager {
    fn name(self) -> &'static str {
        match self {
            PackageManager::Dpkg => "dpkg",
            PackageManager::Rpm => "rpm",
        }
    }
}

/// What the host told about its vsftpd.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostFacts {
    /// The installed package's version (`3.0.3-13+b2`, `3.0.5-6.el9`) and who reported it.
    pub package: Option<(PackageManager, String)>,
    /// What `vsftpd -v` printed (`vsftpd: version 3.0.5`), if a binary was found.
    pub binary_banner: Option<String>,
    /// The contents of `/etc/os-release`.
    pub os_release: Option<String>,
}

/// The outcome of detection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detection {
    /// The installed build is one vsconf models.
    Installed {
        /// The build.
        dialect: Dialect,
        /// Why, in an operator's words: `installed vsftpd 3.0.3-13+b2 (dpkg)`.
        source: String,
        /// A caveat about the mapping (an Ubuntu build mapped onto Debian 13's), if any.
        note: Option<String>,
    },
    /// vsftpd is installed, but its build is none that vsconf models: a warning, never a silent guess.
    Unknown {
        /// What was found.
        found: String,
    },
    /// No vsftpd on this host.
    NotInstalled,
}

/// Decides which build the host runs.
pub fn detect(facts: &HostFacts) -> Detection {
    let os = facts.os_release.as_deref().map(OsRelease::read);
    let os_name = os.as_ref().map(OsRelease::describe);
    let on = |s: String| match &os_name {
        Some(name) => format!("{s} on {name}"),
        None => s,
    };
    if let Some((manager, version)) = &facts.package {
        let version = version.trim();
        let upstream = upstream_version(version);
        let source = on(format!("installed vsftpd {version} ({})", manager.name()));
        let ubuntu = version.contains("ubuntu") || os.as_ref().is_some_and(|o| o.id == "ubuntu");
        let dialect = match (manager, upstream) {
            (PackageManager::Dpkg, "3.0.3") if !ubuntu => Some(Dialect::Debian303),
            (PackageManager::Dpkg, "3.0.5") => Some(Dialect::Debian305),
            (PackageManager::Rpm, "3.0.3") => Some(Dialect::Rhel303),
            (PackageManager::Rpm, "3.0.5") => Some(Dialect::Rhel305),
            _ => None,
        };
        return match dialect {
            Some(dialect) => Detection::Installed {
                dialect,
                source,
                note: ubuntu.then(|| {
                    "Ubuntu's package is built from Debian's packaging; that it reads configs like Debian 13's was not checked against an Ubuntu binary".to_owned()
                }),
            },
            None => Detection::Unknown { found: source },
        };
    }
    if let Some(banner) = &facts.binary_banner {
        let version = banner
            .trim()
            .rsplit(' ')
            .next()
            .unwrap_or_default()
            .to_owned();
        let source = on(format!(
            "vsftpd {version} not installed by a package manager (`vsftpd -v`)"
        ));
        // A binary outside any package is a source build: pristine upstream. Only 3.0.5 is modelled.
        return if version == "3.0.5" {
            Detection::Installed {
                dialect: Dialect::Upstream305,
                source,
                note: None,
            }
        } else {
            Detection::Unknown { found: source }
        };
    }
    Detection::NotInstalled
}

/// `3.0.3` from `3.0.3-13+b2`, `1:3.0.5-0.2` or `3.0.5-6.el9_2.1`.
fn upstream_version(package_version: &str) -> &str {
    let without_epoch = package_version
        .split_once(':')
        .map_or(package_version, |(_, v)| v);
    without_epoch.split('-').next().unwrap_or(without_epoch)
}

/// The fields of `/etc/os-release` detection uses.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct OsRelease {
    id: String,
    pretty_name: Option<String>,
    version_id: Option<String>,
}

impl OsRelease {
    fn read(text: &str) -> OsRelease {
        let mut out = OsRelease::default();
        for line in text.lines() {
            let Some((key, value)) = line.split_once('=') else {
                continue;
            };
            let value = value.trim().trim_matches('"').trim_matches('\'').to_owned();
            match key.trim() {
                "ID" => out.id = value,
                "PRETTY_NAME" => out.pretty_name = Some(value),
                "VERSION_ID" => out.version_id = Some(value),
                _ => {}
            }
        }
        out
    }

    fn describe(&self) -> String {
        match (&self.pretty_name, &self.version_id) {
            (Some(pretty), _) => pretty.clone(),
            (None, Some(version)) => format!("{} {version}", self.id),
            (None, None) => self.id.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(package: Option<(PackageManager, &str)>, banner: Option<&str>, os: &str) -> HostFacts {
        HostFacts {
            package: package.map(|(m, v)| (m, v.to_owned())),
            binary_banner: banner.map(str::to_owned),
            os_release: Some(os.to_owned()),
        }
    }

    const DEBIAN_12: &str =
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n";
    const UBUNTU: &str = "PRETTY_NAME=\"Ubuntu 24.04.1 LTS\"\nID=ubuntu\nVERSION_ID=\"24.04\"\n";
    const RHEL_8: &str = "NAME=\"Red Hat Enterprise Linux\"\nID=\"rhel\"\nVERSION_ID=\"8.9\"\n";

    fn dialect(d: &Detection) -> Option<Dialect> {
        match d {
            Detection::Installed { dialect, .. } => Some(*dialect),
            _ => None,
        }
    }

    #[test]
    fn debian_12_package_is_debian_303_and_says_why() {
        let d = detect(&facts(
            Some((PackageManager::Dpkg, "3.0.3-13+b2")),
            Some("vsftpd: version 3.0.3"),
            DEBIAN_12,
        ));
        assert_eq!(
            d,
            Detection::Installed {
                dialect: Dialect::Debian303,
                source: "installed vsftpd 3.0.3-13+b2 (dpkg) on Debian GNU/Linux 12 (bookworm)"
                    .to_owned(),
                note: None
            }
        );
    }

    #[test]
    fn each_package_maps_to_its_build() {
        let cases = [
            (
                PackageManager::Dpkg,
                "3.0.5-0.2",
                DEBIAN_12,
                Dialect::Debian305,
            ),
            (
                PackageManager::Rpm,
                "3.0.3-49.el8",
                RHEL_8,
                Dialect::Rhel303,
            ),
            (PackageManager::Rpm, "3.0.5-6.el9", RHEL_8, Dialect::Rhel305),
            (
                PackageManager::Dpkg,
                "3.0.5-0ubuntu3",
                UBUNTU,
                Dialect::Debian305,
            ),
        ];
        for (manager, version, os, want) in cases {
            assert_eq!(
                dialect(&detect(&facts(Some((manager, version)), None, os))),
                Some(want),
                "{version}"
            );
        }
    }

    #[test]
    fn ubuntu_carries_a_note_and_an_old_ubuntu_build_is_unknown() {
        let d = detect(&facts(
            Some((PackageManager::Dpkg, "3.0.5-0ubuntu3")),
            None,
            UBUNTU,
        ));
        assert!(matches!(d, Detection::Installed { note: Some(_), .. }));
        let old = detect(&facts(
            Some((PackageManager::Dpkg, "3.0.3-12ubuntu1")),
            None,
            UBUNTU,
        ));
        assert!(matches!(old, Detection::Unknown { .. }), "{old:?}");
    }

    #[test]
    fn a_source_build_is_upstream_only_for_305() {
        assert_eq!(
            dialect(&detect(&facts(
                None,
                Some("vsftpd: version 3.0.5\n"),
                DEBIAN_12
            ))),
            Some(Dialect::Upstream305)
        );
        assert!(matches!(
            detect(&facts(None, Some("vsftpd: version 3.0.2"), DEBIAN_12)),
            Detection::Unknown { .. }
        ));
    }

    #[test]
    fn unknown_versions_and_absence_are_not_guessed() {
        assert!(matches!(
            detect(&facts(
                Some((PackageManager::Rpm, "3.0.2-25.el7")),
                None,
                RHEL_8
            )),
            Detection::Unknown { .. }
        ));
        assert_eq!(detect(&HostFacts::default()), Detection::NotInstalled);
        assert_eq!(upstream_version("1:3.0.5-0.2"), "3.0.5");
    }
}
