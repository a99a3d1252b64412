//! The generated corpus: realistic configs and every mutation of issue 3 (case, whitespace at every
//! position, CRLF, `=` variants, bad booleans, garbage numbers, indented comments, BOM, NUL bytes,
//! non-UTF-8, very long lines, duplicates, no final newline, truncation at 100,000 bytes), plus the
//! startup checks that depend on the file alone (listeners, listen addresses, whitespace-only strings,
//! session-only checks). Deterministic: the same seed gives the same bytes.

use vsconf::dialect::{Default, Dialect, Kind, TUNABLES};

use super::prng::Rng;

/// The seed of the corpus the test runs.
pub const SEED: u64 = 0x5653_434F_4E46_0003;
/// How many randomly mutated configs the test runs.
pub const RANDOM: usize = 420;

/// One generated config.
pub struct Case {
    /// `family-NNN`, unique.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The uid that owns the file (vsftpd runs as root, uid 0, and refuses a file it does not own).
    pub owner_uid: u32,
    /// `-oNAME=VALUE` overrides on vsftpd's command line (the whole argument, `-o` included).
    pub args: Vec<Vec<u8>>,
    /// Whether `args` come before the file on the command line (else after it).
    pub args_before_file: bool,
}

/// Debian 12's stock /etc/vsftpd.conf settings, made standalone IPv4 (stock is `listen=NO`,
/// `listen_ipv6=YES`), with some of its comments.
const STOCK: &[&str] = &[
    "# Example config file /etc/vsftpd.conf",
    "#",
    "# Run standalone?  vsftpd can run either from an inetd or as a standalone",
    "listen=YES",
    "listen_ipv6=NO",
    "",
    "# Allow anonymous FTP? (Disabled by default).",
    "anonymous_enable=NO",
    "local_enable=YES",
    "#write_enable=YES",
    "#local_umask=022",
    "dirmessage_enable=YES",
    "use_localtime=YES",
    "xferlog_enable=YES",
    "connect_from_port_20=YES",
    "#ftpd_banner=Welcome to blah FTP service.",
    "secure_chroot_dir=/var/run/vsftpd/empty",
    "pam_service_name=vsftpd",
    "rsa_cert_file=/etc/ssl/certs/ssl-cert-snakeoil.pem",
    "rsa_private_key_file=/etc/ssl/private/ssl-cert-snakeoil.key",
    "ssl_enable=NO",
    "",
    "# Uncomment this to indicate that vsftpd use a utf8 filesystem.",
    "#utf8_filesystem=YES",
];

/// An anonymous download server.
const ANON: &[&str] = &[
    "# anonymous download mirror",
    "listen=YES",
    "anonymous_enable=YES",
    "local_enable=NO",
    "anon_root=/srv/ftp",
    "no_anon_password=YES",
    "hide_ids=YES",
    "pasv_min_port=50000",
    "pasv_max_port=50100",
    "ftpd_banner=Welcome to the anonymous FTP service.",
    "max_clients=50",
    "max_per_ip=5",
    "anon_max_rate=102400",
    "anon_umask=077",
];

/// Local users, chrooted, on a high port.
const LOCAL: &[&str] = &[
    "listen=YES",
    "listen_port=2121",
    "anonymous_enable=NO",
    "local_enable=YES",
    "write_enable=YES",
    "local_umask=022",
    "chroot_local_user=YES",
    "allow_writeable_chroot=YES",
    "user_sub_token=$USER",
    "local_root=/home/$USER/ftp",
    "userlist_enable=YES",
    "userlist_file=/etc/vsftpd.userlist",
    "userlist_deny=NO",
    "pasv_enable=YES",
    "pasv_address=192.0.2.10",
    "idle_session_timeout=600",
    "data_connection_timeout=120",
    "ascii_upload_enable=YES",
    "file_open_mode=0666",
];

/// An IPv6 listener on loopback.
const IPV6: &[&str] = &[
    "listen_ipv6=YES",
    "listen_address6=::1",
    "listen_port=990",
    "anonymous_enable=YES",
    "anon_upload_enable=NO",
    "ftpd_banner=  spaced banner  ",
    "utf8_filesystem=YES",
    "seccomp_sandbox=NO",
    "isolate_network=NO",
];

const BASES: &[&[&str]] = &[STOCK, ANON, LOCAL, IPV6];

/// vsftpd's read limit.
const LIMIT: usize = 100_000;

/// C `isspace` bytes other than `\n`.
const SPACES: &[u8] = b" \t\r\x0b\x0c";

const BAD_BOOLS: &[&str] = &[
    "on",
    "off",
    "Y",
    "N",
    "2",
    "01",
    "00",
    "-1",
    " 1",
    "1 ",
    "YES\t",
    "YES ",
    " YES",
    "yes\r",
    "NO NO",
    "YES#on",
    "y e s",
    "\u{ff39}ES",
    "YE",
    "YESS",
    "+1",
    "true!",
    "nope",
    "\"YES\"",
    "'NO'",
    "0x1",
];

const GOOD_BOOLS: &[&str] = &[
    "YES", "yes", "Yes", "yEs", "TRUE", "true", "True", "tRUE", "1", "NO", "no", "No", "FALSE",
    "false", "0",
];

const NUMBERS: &[&str] = &[
    "2121",
    "21abc",
    "abc",
    "-1",
    "+21",
    " 21",
    "\t21",
    "\x0b21",
    "\r21",
    "99999",
    "65557",
    "65536",
    "65535",
    "4294967296",
    "4294967317",
    "99999999999999999999",
    "-99999999999999999999",
    "021",
    "0021",
    " 021",
    "+021",
    "08",
    "0x10",
    "00",
    "0",
    "019",
    "0778",
    "1e3",
    "1 2",
    "2121 ",
    "2121\t",
    "2121#c",
    "\u{ff12}\u{ff11}",
    "2121\r",
    "021\r",
    "-65515",
    "--21",
    "+-21",
    "- 21",
    "0000000000000000000000021",
    "1024",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "  +0021",
];

const LISTEN_ADDRESSES: &[&str] = &[
    "127.0.0.1",
    "127.1",
    "0x7f.1",
    "0X7F.0.0.1",
    "0177.1",
    "0177.0.0.01",
    "2130706433",
    "0x7f000001",
    "017700000001",
    "127.0.0.1 junk",
    "127.0.0.1\tjunk",
    "127.0.1",
    "127.1.1",
    "0.0.0.0",
    "0",
    "0x0",
    " 127.0.0.1",
    "127.0.0.1 ",
    "127.0.0.1\r",
    "127.255.255.254",
    "::1",
    "localhost",
    "bogus",
    "1.2.3.4.5",
    "256.1.1.1",
    "127.0.0.1x",
    "09",
    "0x",
    "127..1",
    "127.0.0.1/8",
    "0x100000000",
    "4294967296",
    "4294967295",
    "127.0.0.256",
    "127.0.0.1.",
    ".1",
    "127.0.0.1,",
    "127.0.0.1\x0bjunk",
    "127.0.0.1\x0cjunk",
    "1.2.3.4",
    "192.0.2.1",
    "127.1.2.3.4",
    "0x7f.0x0.0x0.0x1",
    "0x7g.1",
    "08.1",
    "127.0.0.0x1",
    "+127.0.0.1",
    "-1",
    "127.0.0.1\u{a0}",
    "\u{ff11}27.0.0.1",
];

const LISTEN_ADDRESSES6: &[&str] = &[
    "::1",
    "::",
    "0::1",
    "0:0:0:0:0:0:0:1",
    "0000:0000:0000:0000:0000:0000:0000:0001",
    "::0:1",
    "00000::1",
    "zz",
    "127.0.0.1",
    "::1%lo",
    "[::1]",
    ":::1",
    "::1 junk",
    "::1\t",
    " ::1",
    "2001:db8::1",
    "::1.2.3.4",
    "::ffff:1.2.3.4",
    "::1.2.3.04",
    "::1.2.3",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    "::FFFF:127.0.0.1",
    "fe80::1",
    "::g",
    "1:2:3:4:5:6:7::",
    "::2:3:4:5:6:7:8",
    "1:2:3:4:5:6:1.2.3.4",
    "::1/128",
    "0::",
    "::0",
    "::ffff:0:0",
    "1:2:3:4:5:6:7:",
    ":1::",
    "::1.2.3.4.5",
    "::256.1.1.1",
];

/// Builds the whole corpus.
pub fn generate(seed: u64, random: usize) -> Vec<Case> {
    let mut g = Generator {
        rng: Rng::new(seed),
        cases: Vec::new(),
        counters: Vec::new(),
    };
    g.bases();
    g.whitespace_everywhere();
    g.case_changes();
    g.crlf();
    g.equals_variants();
    g.booleans();
    g.numbers();
    g.comments();
    g.bom();
    g.nul();
    g.non_utf8();
    g.long_lines();
    g.truncation();
    g.duplicates();
    g.final_newline();
    g.listeners();
    g.listen_addresses();
    g.blank_strings();
    g.session_checks();
    g.host();
    g.tunables();
    g.builds();
    g.overrides();
    g.bytes_everywhere();
    g.random_mutations(random);
    g.cases
}

struct Generator {
    rng: Rng,
    cases: Vec<Case>,
    counters: Vec<(&'static str, usize)>,
}

fn lines(base: &[&str]) -> Vec<Vec<u8>> {
    base.iter().map(|l| l.as_bytes().to_vec()).collect()
}

fn join(lines: &[Vec<u8>], final_newline: bool) -> Vec<u8> {
    let mut out = lines.join(&b"\n"[..]);
    if final_newline {
        out.push(b'\n');
    }
    out
}

/// `listen=YES` followed by the lines.
fn standalone(extra: &[&[u8]]) -> Vec<u8> {
    let mut out = b"listen=YES\n".to_vec();
    for line in extra {
        out.extend_from_slice(line);
        out.push(b'\n');
    }
    out
}

fn kind_of(line: &[u8]) -> Option<Kind> {
    let eq = line.iter().position(|b| *b == b'=')?;
    Dialect::Debian303.lookup(&line[..eq]).map(|s| s.kind)
}

impl Generator {
    fn push(&mut self, family: &'static str, bytes: Vec<u8>) {
        let n = match self.counters.iter_mut().find(|(f, _)| *f == family) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                self.counters.push((family, 0));
                0
            }
        };
        self.cases.push(Case {
            name: format!("{family}-{n:03}"),
            bytes,
            owner_uid: 0,
            args: Vec::new(),
            args_before_file: false,
        });
    }

    fn bases(&mut self) {
        for base in BASES {
            self.push("base", join(&lines(base), true));
        }
        self.push("base", Vec::new());
        self.push("base", b"listen=YES\n".to_vec());
    }

    /// Each whitespace byte at every position of a boolean, a number and a string line.
    fn whitespace_everywhere(&mut self) {
        for line in [
            "listen=YES",
            "listen_port=2121",
            "ftpd_banner=hi there",
            "anonymous_enable=NO",
        ] {
            let is_listen = line.starts_with("listen=");
            for pos in 0..=line.len() {
                for &ws in SPACES {
                    let mut mutated = line.as_bytes().to_vec();
                    mutated.insert(pos, ws);
                    let bytes = if is_listen {
                        let mut b = mutated;
                        b.push(b'\n');
                        b
                    } else {
                        standalone(&[&mutated])
                    };
                    self.push("ws", bytes);
                }
            }
        }
        // Runs of whitespace around every part at once.
        for line in [
            "  listen=YES",
            "\t\tlisten=YES",
            " \x0b\x0c\tlisten=YES",
            "listen=YES  ",
            "listen  =YES",
        ] {
            self.push("ws", format!("{line}\n").into_bytes());
        }
    }

    fn case_changes(&mut self) {
        for line in ["LISTEN=YES", "Listen=YES", "lISTEN=YES", "listeN=YES"] {
            self.push("case", format!("{line}\n").into_bytes());
        }
        for value in GOOD_BOOLS {
            self.push("case", format!("listen={value}\n").into_bytes());
        }
        for _ in 0..30 {
            let base = lines(BASES[self.rng.below(BASES.len())]);
            let mut out = base.clone();
            let i = self.rng.below(out.len());
            let line = &mut out[i];
            let upto = line.iter().position(|b| *b == b'=').unwrap_or(line.len());
            if upto > 0 {
                let at = self.rng.below(upto);
                line[at] = if line[at].is_ascii_lowercase() {
                    line[at].to_ascii_uppercase()
                } else {
                    line[at].to_ascii_lowercase()
                };
            }
            self.push("case", join(&out, true));
        }
        self.push(
            "case",
            b"listen=YES\nftpd_banner=MiXeD CaSe\nANON_ROOT=/srv\n".to_vec(),
        );
    }

    fn crlf(&mut self) {
        for base in BASES {
            let text = join(&lines(base), true);
            self.push("crlf", crlf_all(&text));
        }
        for line in [
            "listen_port=2121",
            "ftpd_banner=crlf",
            "anon_root=/srv/ftp",
            "listen_address=127.0.0.1",
            "ftpd_banner=",
            "max_clients=021",
        ] {
            let mut b = b"listen=YES\n".to_vec();
            b.extend_from_slice(format!("{line}\r\n").as_bytes());
            self.push("crlf", b);
        }
        // A CRLF blank line, a CRLF comment, an indented CRLF comment, a lone CR line ending (one long line).
        self.push("crlf", b"listen=YES\n\r\n#c\r\n".to_vec());
        self.push("crlf", b"listen=YES\n  #c\r\n".to_vec());
        self.push("crlf", b"listen=YES\rlisten_port=21\r".to_vec());
        self.push("crlf", b"ftpd_banner=x\r\nlisten=YES\n".to_vec());
        self.push("crlf", b"listen_port=21\r\nlisten=YES\r\n".to_vec());
        self.push("crlf", b"listen=YES\n\r".to_vec());
        self.push("crlf", b"listen=YES\n\r\r\r\n".to_vec());
        self.push("crlf", b"\r\nlisten=YES\n\n\r\n".to_vec());
    }

    fn equals_variants(&mut self) {
        let forms = [
            "N = V", "N =V", "N= V", "N==V", "N", "N=", "=V", "=", "==", "N=V=W", "N:V", "N V",
            " =V", "N\t=V", "N=\tV",
        ];
        for (name, value) in [
            ("listen", "YES"),
            ("listen_port", "2121"),
            ("ftpd_banner", "hi"),
            ("foo", "bar"),
            ("anon_root", "/srv"),
        ] {
            for form in forms {
                let line = form
                    .replace('N', name)
                    .replace('V', value)
                    .replace('W', "x");
                let bytes = if name == "listen" {
                    format!("{line}\n").into_bytes()
                } else {
                    standalone(&[line.as_bytes()])
                };
                self.push("equals", bytes);
            }
        }
    }

    fn booleans(&mut self) {
        for value in BAD_BOOLS {
            self.push(
                "bool",
                standalone(&[format!("anonymous_enable={value}").as_bytes()]),
            );
        }
        for value in ["on", "Y", "YES ", "yes\r"] {
            self.push("bool", format!("listen={value}\n").into_bytes());
        }
        for value in GOOD_BOOLS {
            self.push(
                "bool",
                standalone(&[
                    format!("one_process_model={value}").as_bytes(),
                    b"local_enable=NO",
                ]),
            );
        }
    }

    fn numbers(&mut self) {
        for value in NUMBERS {
            self.push(
                "number",
                standalone(&[format!("listen_port={value}").as_bytes()]),
            );
        }
        for value in [
            "abc",
            "-1",
            "0778",
            "99999999999999999999",
            "1e3",
            "\u{ff12}",
        ] {
            for name in [
                "max_clients",
                "pasv_min_port",
                "local_umask",
                "idle_session_timeout",
            ] {
                self.push(
                    "number",
                    standalone(&[format!("{name}={value}").as_bytes()]),
                );
            }
        }
        // Integer values of other kinds: a bool given a number and a string given a number.
        self.push("number", standalone(&[b"anonymous_enable=2121"]));
        self.push("number", standalone(&[b"listen_address=2130706433"]));
        self.push("number", standalone(&[b"listen_port="]));
        self.push("number", standalone(&[b"listen_port"]));
    }

    fn comments(&mut self) {
        for line in [
            "#listen=NO",
            "  # hello world",
            "\t# x",
            "  #listen=NO",
            " #",
            "#",
            "\x0b# x",
            "# x = y",
            "##",
            "#\t",
            "\x0c#listen=YES",
            "  #=",
            " # a=b=c",
            "#=",
            "\r#x",
        ] {
            self.push("comment", standalone(&[line.as_bytes()]));
        }
        self.push("comment", b"  # indented first\nlisten=YES\n".to_vec());
        self.push("comment", b"listen=YES # trailing comment\n".to_vec());
        self.push(
            "comment",
            b"listen=YES\nftpd_banner=hi # not a comment\n".to_vec(),
        );
        self.push("comment", b"listen=YES\nlisten_port=2121 # port\n".to_vec());
    }

    fn bom(&mut self) {
        const BOM: &[u8] = b"\xef\xbb\xbf";
        for rest in [
            &b"listen=YES\n"[..],
            b"# c\nlisten=YES\n",
            b"\nlisten=YES\n",
            b"#listen=NO\n",
            b"  listen=YES\n",
            b"=\n",
        ] {
            self.push("bom", [BOM, rest].concat());
        }
        self.push(
            "bom",
            [b"listen=YES\n", BOM, b"anonymous_enable=YES\n"].concat(),
        );
        self.push(
            "bom",
            [b"listen=YES\nftpd_banner=", BOM, b"hello\n"].concat(),
        );
        self.push(
            "bom",
            [b"listen=YES\nanonymous_enable=", BOM, b"YES\n"].concat(),
        );
        self.push("bom", [b"listen=YES\nlisten_port=", BOM, b"21\n"].concat());
        self.push("bom", [b"listen=YES\n", BOM].concat());
        self.push("bom", [b"listen=YES\n", BOM, b"\n"].concat());
        self.push("bom", [b"\xfe\xff", &b"listen=YES\n"[..]].concat());
    }

    fn nul(&mut self) {
        let cases: &[&[u8]] = &[
            b"listen=YES\0junk\n",
            b"listen=YES\nanonymous_enable=YES\0NO\n",
            b"listen=YES\n\0\n",
            b"listen=YES\n\0listen=NO\n",
            b"listen\0=YES\n",
            b"lis\0ten=YES\n",
            b"listen=YES\n#\0 comment\n",
            b"listen=YES\n  #\0\n",
            b"listen=YES\nftpd_banner=hi\0 there\n",
            b"listen=YES\nftpd_banner=\0hidden\n",
            b"listen=YES\nftpd_banner= \0hidden\n",
            b"listen=YES\nlisten_port=21\x0021\n",
            b"listen=YES\n \0\n",
            b"listen=YES\n\t\0x=y\n",
            b"listen=YES\n\0",
            b"listen=YES\0",
            b"listen=\0YES\n",
            b"listen=YES\nanonymous_enable=\0\n",
            b"listen=YES\n\0\0\0\n",
            b"listen=YES\nlisten_address=127.0.0.1\0junk\n",
        ];
        for c in cases {
            self.push("nul", c.to_vec());
        }
    }

    fn non_utf8(&mut self) {
        let cases: &[&[u8]] = &[
            b"listen=YES\nf\xffoo=1\n",
            b"listen=YES\nftpd_banner=\xff\xfe latin-1 caf\xe9\n",
            b"listen=YES\nanonymous_enable=YES\xff\n",
            b"listen=YES\nlisten_port=21\xff\n",
            b"listen=YES\n# caf\xe9 comment\n",
            b"listen=YES\n  # caf\xe9\n",
            b"listen=YES\n\xa0listen_port=21\n",
            b"listen=YES\n\x85listen_port=21\n",
            b"listen=YES\nlisten_port=\xa021\n",
            b"listen=YES\nftpd_banner=\xa0\n",
            b"listen=YES\nftpd_banner=\xc0\x80 overlong\n",
            b"listen=YES\nanon_root=/srv/\xe2\x82\xac\n",
            b"\xff\n",
            b"listen=YES\n\x80=\x80\n",
            b"listen=YES\nanonymous_enable=\xd9\x85\n",
        ];
        for c in cases {
            self.push("nonutf8", c.to_vec());
        }
    }

    fn long_lines(&mut self) {
        let long = |n: usize, b: u8| vec![b; n];
        self.push(
            "long",
            [
                b"listen=YES\nftpd_banner=".to_vec(),
                long(60_000, b'x'),
                b"\n".to_vec(),
            ]
            .concat(),
        );
        self.push(
            "long",
            [
                b"listen=YES\n".to_vec(),
                long(50_000, b'n'),
                b"=1\n".to_vec(),
            ]
            .concat(),
        );
        self.push(
            "long",
            [b"listen=YES\n".to_vec(), long(5_000, b'n'), b"\n".to_vec()].concat(),
        );
        self.push(
            "long",
            [
                b"listen=YES\n#".to_vec(),
                long(90_000, b'c'),
                b"\n".to_vec(),
            ]
            .concat(),
        );
        self.push(
            "long",
            [
                b"listen=YES\nanonymous_enable=".to_vec(),
                long(20_000, b'Y'),
                b"\n".to_vec(),
            ]
            .concat(),
        );
        self.push(
            "long",
            [
                b"listen=YES\nlisten_port=".to_vec(),
                long(30_000, b'7'),
                b"\n".to_vec(),
            ]
            .concat(),
        );
        self.push(
            "long",
            [
                b"listen=YES\nlisten_port=0".to_vec(),
                long(30_000, b'7'),
                b"\n".to_vec(),
            ]
            .concat(),
        );
        self.push(
            "long",
            [
                b"listen=YES\n".to_vec(),
                long(40_000, b' '),
                b"listen_port=2121\n".to_vec(),
            ]
            .concat(),
        );
        // A 1 MB single line: only its first 100,000 bytes are read.
        self.push(
            "long",
            [b"listen=YES\n".to_vec(), long(1_000_000, b'z')].concat(),
        );
        self.push(
            "long",
            [
                b"listen=YES\nftpd_banner=".to_vec(),
                long(1_000_000, b'b'),
                b"\n".to_vec(),
            ]
            .concat(),
        );
    }

    /// Files over 100,000 bytes, with a line cut at every position by the read limit.
    fn truncation(&mut self) {
        let padded = |tail: &[u8], cut_at: usize| -> Vec<u8> {
            // `listen=YES\n`, comment lines, then `tail` so that the limit falls `cut_at` bytes into it.
            let head = b"listen=YES\n";
            [
                &head[..],
                &comment_padding(LIMIT - cut_at - head.len()),
                tail,
                b"listen=NO\nbogus\n",
            ]
            .concat()
        };
        for tail in [
            &b"anonymous_enable=YES\n"[..],
            b"listen_port=2121\n",
            b"ftpd_banner=cut here\n",
            b"listen_port=2121\r\n",
        ] {
            for cut in 0..=tail.len() {
                self.push("truncate", padded(tail, cut));
            }
        }
        // Exactly at the limit, one past it, and the last line without a newline at the limit.
        let mut exact = b"listen=YES\n".to_vec();
        exact.resize(LIMIT - 1, b'#');
        exact.push(b'\n');
        self.push("truncate", exact.clone());
        let mut over = exact.clone();
        over.push(b'x');
        self.push("truncate", over);
        let mut no_newline = exact;
        no_newline.pop();
        no_newline.extend_from_slice(b"listen_port");
        self.push("truncate", no_newline);
        let mut blank_cut = b"listen=YES\n".to_vec();
        blank_cut.resize(LIMIT - 3, b' ');
        blank_cut.extend_from_slice(b"   x=1\n");
        self.push("truncate", blank_cut);
    }

    fn duplicates(&mut self) {
        let cases: &[&[u8]] = &[
            b"listen=NO\nlisten=YES\n",
            b"listen=YES\nlisten=NO\n",
            b"listen=YES\nlisten_port=21\nlisten_port=2121\n",
            b"listen=YES\nlisten_port=2121\nlisten_port=021\n",
            b"listen=YES\nftpd_banner=a\nftpd_banner=\n",
            b"listen=YES\nftpd_banner=a\nftpd_banner=  \n",
            b"listen=YES\nlisten_address=bogus\nlisten_address=127.0.0.1\n",
            b"listen=YES\nlisten_address=127.0.0.1\nlisten_address=bogus\n",
            b"listen=YES\nlisten_address=bogus\nlisten_address=\n",
            b"listen=YES\nlisten_ipv6=YES\nlisten_ipv6=NO\n",
            b"listen=YES\nlisten=YES\nlisten=yes\nlisten=1\n",
            b"listen_ipv6=YES\nlisten=YES\nlisten=NO\n",
        ];
        for c in cases {
            self.push("dup", c.to_vec());
        }
        for base in BASES {
            let text = join(&lines(base), true);
            self.push("dup", [text.clone(), text].concat());
        }
    }

    fn final_newline(&mut self) {
        let cases: &[&[u8]] = &[
            b"listen=YES",
            b"listen=YES\nlisten_port=2121",
            b"listen=YES\nftpd_banner=no newline",
            b"listen=YES\n#comment",
            b"listen=YES\n   ",
            b"listen=YES\n\t",
            b"listen=YES\nlisten",
            b"listen=YES\n\r",
            b"listen=YES\n  # x",
            b"listen=YES\nftpd_banner= ",
            b"listen=YES\nlisten_port=",
            b"listen=YES\nftpd_banner",
        ];
        for c in cases {
            self.push("eof", c.to_vec());
        }
    }

    fn listeners(&mut self) {
        let values = [None, Some("YES"), Some("NO")];
        for listen in values {
            for listen6 in values {
                let mut b = Vec::new();
                if let Some(v) = listen {
                    b.extend_from_slice(format!("listen={v}\n").as_bytes());
                }
                if let Some(v) = listen6 {
                    b.extend_from_slice(format!("listen_ipv6={v}\n").as_bytes());
                }
                self.push("listeners", b.clone());
                b.extend_from_slice(b"listen_address=bogus\nlisten_address6=bogus\n");
                self.push("listeners", b);
            }
        }
    }

    fn listen_addresses(&mut self) {
        for addr in LISTEN_ADDRESSES {
            self.push(
                "addr4",
                format!("listen=YES\nlisten_address={addr}\n").into_bytes(),
            );
        }
        for addr in LISTEN_ADDRESSES6 {
            self.push(
                "addr6",
                format!("listen_ipv6=YES\nlisten_address6={addr}\n").into_bytes(),
            );
        }
        // The other family's address is never looked at.
        self.push("addr4", b"listen_ipv6=YES\nlisten_address=bogus\n".to_vec());
        self.push("addr6", b"listen=YES\nlisten_address6=bogus\n".to_vec());
        self.push(
            "addr6",
            b"listen_ipv6=YES\nlisten_address6=::1\nlisten_port=2121\n".to_vec(),
        );
    }

    /// Whitespace-only string values: the Debian binary crashes with SIGSEGV.
    fn blank_strings(&mut self) {
        for line in [
            "ftpd_banner= ",
            "ftpd_banner=\t",
            "anon_root=  ",
            "banner_file=\x0b",
            "listen_address= ",
            "ftpd_banner=\r",
            "ftpd_banner=\x0c \t",
            "pam_service_name= ",
        ] {
            self.push("blank", standalone(&[line.as_bytes()]));
        }
        self.push("blank", b"ftpd_banner= \n".to_vec());
        self.push("blank", b"ftpd_banner= \nlisten=maybe\n".to_vec());
        self.push("blank", b"listen=maybe\nftpd_banner= \n".to_vec());
        self.push("blank", b"listen=YES\r\nftpd_banner=\r\n".to_vec());
    }

    /// Checks that a standalone vsftpd makes only per session: it starts.
    fn session_checks(&mut self) {
        for one_process in ["YES", "NO"] {
            for local in ["YES", "NO"] {
                for anon in ["YES", "NO"] {
                    let text = format!(
                        "listen=YES\none_process_model={one_process}\nlocal_enable={local}\nanonymous_enable={anon}\n"
                    );
                    self.push("session", text.clone().into_bytes());
                    // The same without a listener: inetd mode stops before the session checks.
                    self.push(
                        "session",
                        text.replace("listen=YES", "listen=NO").into_bytes(),
                    );
                }
            }
        }
        self.push("session", b"listen=YES\nftp_enable=NO\n".to_vec());
        self.push("session", b"listen=YES\nhttp_enable=YES\n".to_vec());
        self.push(
            "session",
            b"listen=YES\nsecure_chroot_dir=/nonexistent\n".to_vec(),
        );
        self.push("session", b"listen=YES\nnopriv_user=nosuchuser\n".to_vec());
        self.push(
            "session",
            b"listen=YES\nftp_username=nosuchuser\nguest_enable=YES\n".to_vec(),
        );
    }

    /// Settings whose startup result depends on the machine, predicted through `startup::host`: the
    /// file's owner, the TLS certificate and key, and resolving `pasv_address`.
    fn host(&mut self) {
        for text in [
            &b"listen=YES\n"[..],
            b"bogus\n",
            b"listen=YES\nftpd_banner= \n",
        ] {
            self.push("host", text.to_vec());
            if let Some(case) = self.cases.last_mut() {
                case.owner_uid = 65534;
            }
        }
        const CERT: &str = "/etc/ssl/certs/ssl-cert-snakeoil.pem";
        const KEY: &str = "/etc/ssl/private/ssl-cert-snakeoil.key";
        for extra in [
            String::new(),
            format!("rsa_cert_file={CERT}\nrsa_private_key_file={KEY}\n"),
            format!("rsa_cert_file={CERT}\n"),
            format!("rsa_cert_file={KEY}\n"),
            "rsa_cert_file=/nonexistent.pem\n".to_owned(),
            format!("rsa_cert_file={CERT}\nrsa_private_key_file=/nonexistent.key\n"),
            format!("rsa_cert_file={CERT}\nrsa_private_key_file={KEY}\nlisten_ipv6=YES\n"),
            "listen_address=bogus\n".to_owned(),
            "ssl_enable=maybe\n".to_owned(),
        ] {
            self.push(
                "host",
                format!("listen=YES\nssl_enable=YES\n{extra}").into_bytes(),
            );
        }
        for address in [
            "localhost",
            "127.0.0.1",
            "no.such.host.invalid",
            "LOCALHOST",
            "::1",
            " localhost",
        ] {
            let text = format!("listen=YES\npasv_addr_resolve=YES\npasv_address={address}\n");
            self.push("host", text.into_bytes());
        }
        self.push("host", b"listen=YES\npasv_addr_resolve=YES\n".to_vec());
        // inetd mode (Debian's default): the TLS context and the name come before the socket check.
        self.push("host", b"ssl_enable=YES\n".to_vec());
        self.push(
            "host",
            b"pasv_addr_resolve=YES\npasv_address=nope.invalid\n".to_vec(),
        );
        self.push(
            "host",
            b"listen=NO\npasv_addr_resolve=YES\npasv_address=localhost\n".to_vec(),
        );
        self.push(
            "host",
            b"listen=YES\npasv_address=no.such.host.invalid\n".to_vec(),
        );
        self.push(
            "host",
            b"listen=YES\npasv_addr_resolve=YES\npasv_address=nope.invalid\nssl_enable=YES\n"
                .to_vec(),
        );
    }

    /// Every name in the tunable table: set to its Debian default (the file then equals no file), set
    /// to a value of the wrong shape, and the names only other dialects know. This checks the table's
    /// names and types against the binary.
    fn tunables(&mut self) {
        // Settings whose non-default value makes startup depend on the host: a TLS context is built
        // from certificate files, and `background` makes the parent exit before binding.
        const HOST: &[&str] = &["ssl_enable", "background"];
        for spec in TUNABLES.iter() {
            let name = spec.name;
            let Some(default) = spec.default_in(Dialect::Debian303) else {
                let value = match spec.kind {
                    Kind::Bool => "YES",
                    Kind::Uint => "1",
                    Kind::Str => "x",
                };
                self.push(
                    "tunable",
                    standalone(&[format!("{name}={value}").as_bytes()]),
                );
                continue;
            };
            let value = match default {
                Default::Bool(b) => if b { "YES" } else { "NO" }.to_owned(),
                Default::Uint(n) if spec.octal => format!("0{n:o}"),
                Default::Uint(n) => n.to_string(),
                Default::Str(s) => s.unwrap_or_default().to_owned(),
            };
            if name != "listen" {
                self.push(
                    "tunable",
                    standalone(&[format!("{name}={value}").as_bytes()]),
                );
            }
            let wrong = match spec.kind {
                Kind::Bool => "maybe",
                Kind::Uint => "",
                Kind::Str => "\t",
            };
            self.push(
                "tunable",
                standalone(&[format!("{name}={wrong}").as_bytes()]),
            );
            if spec.kind == Kind::Uint {
                // Accepted as 0 by an integer, refused by a boolean: tells the two types apart.
                self.push("tunable", standalone(&[format!("{name}=maybe").as_bytes()]));
            }
            if let Default::Bool(b) = default {
                if !HOST.contains(&name) {
                    let flipped = if b { "no" } else { "yes" };
                    self.push(
                        "tunable",
                        standalone(&[format!("{name}={flipped}").as_bytes()]),
                    );
                }
            }
        }
        for name in [
            "ssl_tlsv1_1",
            "ssl_tlsv1_2",
            "ssl_tlsv1_3",
            "dh_param_file",
            "ecdh_param_file",
            "Listen_port",
        ] {
            self.push("tunable", standalone(&[format!("{name}=1").as_bytes()]));
        }
    }

    /// The rows of the recorded oracle's table of how builds differ (shared/reference/oracle/README.md),
    /// each in a few variants: listener lines, `background`, names only some builds know, whitespace-only
    /// and space-padded strings (`listen_address` included), CRLF.
    fn builds(&mut self) {
        let listener_lines: [&[u8]; 6] = [
            b"",
            b"listen_ipv6=YES\n",
            b"listen=NO\nlisten_ipv6=YES\n",
            b"listen=YES\n",
            b"listen=YES\nlisten_ipv6=NO\n",
            b"listen_ipv6=YES\nlisten_address6=::1\n",
        ];
        let extras: [&[u8]; 18] = [
            b"",
            b"background=NO\n",
            b"background=YES\n",
            b"utf8_filesystem=YES\n",
            b"upload_file=*.txt\n",
            b"download_file=*\n",
            b"ssl_tlsv11=NO\n",
            b"ssl_tlsv12=YES\nssl_tlsv13=NO\n",
            b"ssl_tlsv1_2=YES\n",
            b"reverse_lookup_enable=NO\n",
            b"bind_retries=3\n",
            b"ssl_sni_hostname=ftp.example.com\n",
            b"listen_address= 127.0.0.1\n",
            b"listen_address=127.0.0.1 \n",
            b"listen_address= \n",
            b"pasv_address= \n",
            b"secure_chroot_dir=\t\n",
            b"ftpd_banner=hello\r\n",
        ];
        for listener in listener_lines {
            for extra in extras {
                self.push("builds", [listener, extra].concat());
            }
        }
        // The same rows as CRLF files.
        for extra in extras {
            self.push("builds", crlf_all(&[b"listen=YES\n", extra].concat()));
        }
    }

    /// vsftpd's `-o` command-line overrides, after and before the file: ones that fix a file (inetd mode
    /// made standalone, a bad line overridden — which does not help: vsftpd stops at the line first),
    /// ones that break it (unknown names, bad booleans, blank strings, both listeners), and the parse
    /// edges of an argument (leading whitespace and newlines, `#`, empty, a trailing newline).
    fn overrides(&mut self) {
        let files: [&[u8]; 5] = [
            b"listen=YES\n",
            b"listen=NO\nanonymous_enable=YES\n",
            b"listen=YES\nlisten_ipv6=YES\n",
            b"listen=maybe\n",
            b"anonymous_enable=YES\n",
        ];
        let args: [&[&[u8]]; 20] = [
            &[b"-olisten=YES"],
            &[b"-olisten=NO"],
            &[b"-olisten_ipv6=YES"],
            &[b"-olisten_ipv6=NO"],
            &[b"-oLISTEN=YES"],
            &[b"-olisten=maybe"],
            &[b"-o"],
            &[b"-o "],
            &[b"-o#listen=YES"],
            &[b"-o listen=YES"],
            &[b"-o\n\tlisten=YES"],
            &[b"-olisten=YES\n"],
            &[b"-oftpd_banner= "],
            &[b"-olisten_address= 127.0.0.1"],
            &[b"-olisten_port=21abc", b"-olisten=YES"],
            &[b"-outf8_filesystem=YES"],
            &[b"-ossl_tlsv13=NO"],
            &[
                b"-olisten=YES",
                b"-olisten_ipv6=NO",
                b"-oanonymous_enable=NO",
            ],
            &[
                b"-oanonymous_enable=NO",
                b"-olocal_enable=NO",
                b"-olisten=YES",
            ],
            &[b"-o=YES"],
        ];
        for file in files {
            for arg in args {
                for before in [false, true] {
                    self.cases.push(Case {
                        name: format!("override-{:03}", self.cases.len()),
                        bytes: file.to_vec(),
                        owner_uid: 0,
                        args: arg.iter().map(|a| a.to_vec()).collect(),
                        args_before_file: before,
                    });
                }
            }
        }
    }

    /// A NUL, a high byte, a `#` and an `=` at every position of a boolean, a number and a string line.
    fn bytes_everywhere(&mut self) {
        for line in [
            "anonymous_enable=YES",
            "listen_port=2121",
            "ftpd_banner=hi there",
        ] {
            for pos in 0..=line.len() {
                for byte in [0u8, 0xff, b'#', b'='] {
                    let mut mutated = line.as_bytes().to_vec();
                    mutated.insert(pos, byte);
                    self.push("bytes", standalone(&[&mutated]));
                }
            }
        }
    }

    /// Realistic configs with one to three random mutations each.
    fn random_mutations(&mut self, count: usize) {
        for _ in 0..count {
            let base = *self.rng.pick(BASES);
            let mut ls = lines(base);
            let mut final_newline = true;
            let mut crlf = false;
            let mut bom = false;
            let mut pad = None;
            for _ in 0..self.rng.range(1, 3) {
                let i = self.rng.below(ls.len());
                match self.rng.below(15) {
                    0 => {
                        let line = &mut ls[i];
                        if !line.is_empty() {
                            let at = self.rng.below(line.len());
                            line[at] = if line[at].is_ascii_lowercase() {
                                line[at].to_ascii_uppercase()
                            } else {
                                line[at].to_ascii_lowercase()
                            };
                        }
                    }
                    1 => {
                        let ws = *self.rng.pick(SPACES);
                        let at = self.rng.below(ls[i].len() + 1);
                        ls[i].insert(at, ws);
                    }
                    2 => crlf = true,
                    3 => {
                        let form = *self.rng.pick(&[" = ", " =", "= ", "==", ""]);
                        let line = &mut ls[i];
                        if let Some(eq) = line.iter().position(|b| *b == b'=') {
                            line.splice(eq..=eq, form.bytes());
                        }
                    }
                    4 => {
                        if let Some(j) = ls.iter().position(|l| kind_of(l) == Some(Kind::Bool)) {
                            let eq = ls[j].iter().position(|b| *b == b'=').unwrap_or(0);
                            let v = if self.rng.chance(50) {
                                *self.rng.pick(BAD_BOOLS)
                            } else {
                                *self.rng.pick(GOOD_BOOLS)
                            };
                            ls[j].truncate(eq + 1);
                            ls[j].extend_from_slice(v.as_bytes());
                        }
                    }
                    5 => {
                        if let Some(j) = ls.iter().position(|l| kind_of(l) == Some(Kind::Uint)) {
                            let eq = ls[j].iter().position(|b| *b == b'=').unwrap_or(0);
                            let v = *self.rng.pick(NUMBERS);
                            ls[j].truncate(eq + 1);
                            ls[j].extend_from_slice(v.as_bytes());
                        }
                    }
                    6 => {
                        let c = *self.rng.pick(&[
                            "  # indented comment",
                            "\t#x",
                            " #listen=NO",
                            "#ok",
                            "",
                        ]);
                        ls.insert(i, c.as_bytes().to_vec());
                    }
                    7 => bom = true,
                    8 => {
                        let at = self.rng.below(ls[i].len() + 1);
                        ls[i].insert(at, 0);
                    }
                    9 => {
                        let b = *self.rng.pick(&[0xffu8, 0xa0, 0xe9, 0x80, 0xc3]);
                        let at = self.rng.below(ls[i].len() + 1);
                        ls[i].insert(at, b);
                    }
                    10 => {
                        let n = self.rng.range(1_000, 20_000);
                        let at = self.rng.below(ls[i].len() + 1);
                        let filler = *self.rng.pick(b"x #9");
                        ls[i].splice(at..at, std::iter::repeat_n(filler, n));
                    }
                    11 => {
                        let line = ls[i].clone();
                        let to = self.rng.below(ls.len() + 1);
                        ls.insert(to, line);
                    }
                    12 => final_newline = false,
                    13 => {
                        if let Some(j) = ls.iter().position(|l| kind_of(l) == Some(Kind::Str)) {
                            let eq = ls[j].iter().position(|b| *b == b'=').unwrap_or(0);
                            ls[j].truncate(eq + 1);
                            let ws = *self.rng.pick(SPACES);
                            ls[j].push(ws);
                        }
                    }
                    _ => pad = Some(self.rng.below(40)),
                }
            }
            let mut text = join(&ls, final_newline);
            if crlf {
                text = crlf_all(&text);
            }
            if bom {
                text.splice(0..0, *b"\xef\xbb\xbf");
            }
            if let Some(into_line) = pad {
                // Comment lines in front, so that the limit cuts `into_line` bytes into the config.
                let target = LIMIT.saturating_sub(into_line.min(text.len()));
                text.splice(0..0, comment_padding(target));
            }
            self.push("random", text);
        }
    }
}

/// Exactly `len` bytes of comment lines (a lone `\n` when only one byte is left).
fn comment_padding(len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let n = (len - out.len()).min(72);
        if n > 1 {
            out.push(b'#');
            out.extend(std::iter::repeat_n(b'-', n - 2));
        }
        out.push(b'\n');
    }
    out
}

fn crlf_all(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    for &b in text {
        if b == b'\n' {
            out.push(b'\r');
        }
        out.push(b);
    }
    out
}

#[test]
fn corpus_is_deterministic_large_and_covers_every_family() {
    let a = generate(SEED, RANDOM);
    let b = generate(SEED, RANDOM);
    assert!(a.len() >= 600, "only {} configs", a.len());
    assert_eq!(a.len(), b.len());
    assert!(
        a.iter()
            .zip(&b)
            .all(|(x, y)| x.name == y.name && x.bytes == y.bytes)
    );
    let mut names: Vec<&str> = a.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), a.len(), "case names are unique");
    for family in [
        "base",
        "ws",
        "case",
        "crlf",
        "equals",
        "bool",
        "number",
        "comment",
        "bom",
        "nul",
        "nonutf8",
        "long",
        "truncate",
        "dup",
        "eof",
        "listeners",
        "addr4",
        "addr6",
        "blank",
        "session",
        "tunable",
        "builds",
        "override",
        "bytes",
        "random",
    ] {
        assert!(
            a.iter().any(|c| c.name.starts_with(&format!("{family}-"))),
            "{family}"
        );
    }
    assert!(a.iter().any(|c| c.bytes.len() > 100_000));
}
