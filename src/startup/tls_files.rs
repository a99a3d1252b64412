//! The TLS files vsftpd loads at startup when `ssl_enable=YES`: what OpenSSL makes of their bytes, in
//! the order vsftpd asks it. Pure: bytes in, [`Load`] out; the files are read by [`super::host`].
//!
//! The facts (docs/host-checks.md, measured on the debian-3.0.3, debian-3.0.5 and upstream-3.0.5
//! binaries with OpenSSL 3.0 at its default security level 2):
//! - vsftpd loads the RSA pair (`rsa_cert_file`; the key from `rsa_private_key_file`, else from the cert
//!   file), then the DSA pair when `dsa_cert_file` is set, and stops at the first failure.
//! - The certificate file: the first certificate block (other blocks skipped) must read, and so must
//!   every later certificate block (the chain); every certificate must pass the security level.
//! - The key file: the first private-key block. Encrypted → refused (no terminal to ask the pass phrase
//!   on). A key of the same type as a loaded certificate must belong to it → else refused. A key of
//!   another type is accepted at startup, and every handshake then fails.
//!
//! This module knows no tunable and no vsftpd text; it does not parse more DER than these facts need.

use base64::Engine;
use rustls_pki_types::{PrivatePkcs8KeyDer, SubjectPublicKeyInfoDer};

/// The PEM labels OpenSSL reads as a certificate.
const CERTIFICATE_LABELS: [&[u8]; 3] =
    [b"CERTIFICATE", b"X509 CERTIFICATE", b"TRUSTED CERTIFICATE"];

/// A file as vsconf could read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Material<'a> {
    /// The bytes.
    Bytes(&'a [u8]),
    /// Missing, a directory, or unreadable for vsftpd too.
    Missing,
    /// vsconf may not read it, but vsftpd (running as root) may: nothing can be said.
    NotReadableByVsconf,
}

/// Which of vsftpd's two pairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pair {
    /// `rsa_cert_file` / `rsa_private_key_file`.
    Rsa,
    /// `dsa_cert_file` / `dsa_private_key_file`.
    Dsa,
}

/// Why a certificate file does not load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateProblem {
    /// The file is missing, a directory or empty of bytes vsftpd can open.
    Unreadable,
    /// No certificate block in the file.
    NoCertificate,
    /// A certificate block (1-based) that is not a DER certificate.
    Malformed(usize),
    /// A certificate (1-based) whose key is under OpenSSL's security level 2.
    WeakKey {
        /// Which certificate in the file.
        index: usize,
        /// The key type.
        kind: KeyType,
        /// Its size in bits.
        bits: u32,
    },
    /// A certificate (1-based), not self-signed, signed with SHA-1 or MD5.
    WeakSignature(usize),
}

/// Why a key file does not load.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyProblem {
    /// The file is missing, a directory or empty.
    Unreadable,
    /// No private-key block in the file.
    NoKey,
    /// The key is protected by a pass phrase.
    Encrypted,
    /// The key block is not a DER private key.
    Malformed,
    /// The key does not belong to the certificate of its type.
    Mismatch(KeyType),
}

/// A key algorithm, as OpenSSL keeps one certificate/key pair per algorithm.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    /// RSA.
    Rsa,
    /// RSA-PSS.
    RsaPss,
    /// DSA.
    Dsa,
    /// Any EC curve.
    Ec,
    /// Ed25519.
    Ed25519,
    /// Ed448.
    Ed448,
    /// Anything else.
    Other,
}

impl KeyType {
    /// The name people use.
    pub fn name(self) -> &'static str {
        match self {
            KeyType::Rsa => "RSA",
            KeyType::RsaPss => "RSA-PSS",
            KeyType::Dsa => "DSA",
            KeyType::Ec => "EC",
            KeyType::Ed25519 => "Ed25519",
            KeyType::Ed448 => "Ed448",
            KeyType::Other => "unknown",
        }
    }
}

/// What loading the TLS files gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Load {
    /// Everything loads. `unusable_key` is set when no loaded certificate has its key: vsftpd starts
    /// and every TLS handshake fails. `unchecked` lists what could not be judged.
    Loads {
        /// The key type loaded without a certificate of its type, when no pair is complete.
        unusable_key: Option<(KeyType, KeyType)>,
        /// Facts vsconf could not establish (human text).
        unchecked: Vec<String>,
    },
    /// vsftpd refuses to start: the certificate of `pair` does not load.
    Certificate(Pair, CertificateProblem),
    /// vsftpd refuses to start: the key of `pair` does not load.
    Key(Pair, KeyProblem),
    /// A file vsconf may not read decides it.
    Unknown(String),
}

/// One pair to load: the certificate file and, when the key setting is set, the key file.
pub struct PairFiles<'a> {
    /// Which pair.
    pub pair: Pair,
    /// The certificate file's path (for messages).
    pub cert_path: &'a [u8],
    /// The certificate file.
    pub cert: Material<'a>,
    /// The key file's path (for messages).
    pub key_path: &'a [u8],
    /// The key file (the certificate file when no key setting is set).
    pub key: Material<'a>,
}

/// Loads the pairs in order as vsftpd and OpenSSL do, and stops at the first failure.
pub fn load(pairs: &[PairFiles<'_>]) -> Load {
    let mut slots = Slots::default();
    let mut unchecked = Vec::new();
    for files in pairs {
        let cert = match files.cert {
            Material::Bytes(b) => b,
            Material::Missing => {
                return Load::Certificate(files.pair, CertificateProblem::Unreadable);
            }
            Material::NotReadableByVsconf => return Load::Unknown(not_readable(files.cert_path)),
        };
        if let Err(problem) = slots.use_certificate_chain(cert) {
            return Load::Certificate(files.pair, problem);
        }
        let key = match files.key {
            Material::Bytes(b) => b,
            Material::Missing => return Load::Key(files.pair, KeyProblem::Unreadable),
            Material::NotReadableByVsconf => return Load::Unknown(not_readable(files.key_path)),
        };
        match slots.use_private_key(key) {
            Ok(None) => {}
            Ok(Some(note)) => unchecked.push(note),
            Err(problem) => return Load::Key(files.pair, problem),
        }
    }
    let complete = slots
        .certificates
        .iter()
        .any(|(t, _)| slots.keys.iter().any(|(k, _)| k == t));
    let unusable_key = if complete {
        None
    } else {
        slots
            .certificates
            .first()
            .zip(slots.keys.first())
            .map(|((c, _), (k, _))| (*c, *k))
    };
    Load::Loads {
        unusable_key,
        unchecked,
    }
}

/// Whether the first private-key block of a PEM file is a key OpenSSL loads without asking for a pass
/// phrase: what vsftpd needs from a cert file when no key file is set.
pub fn holds_loadable_private_key(file: &[u8]) -> bool {
    Slots::default().use_private_key(file).is_ok()
}

fn not_readable(path: &[u8]) -> String {
    format!(
        "vsconf may not read {} (vsftpd reads it as root): run the host checks as root",
        String::from_utf8_lossy(path)
    )
}

/// The certificates and keys loaded so far, one per key type (OpenSSL's `CERT_PKEY` slots).
#[derive(Default)]
struct Slots {
    certificates: Vec<(KeyType, PublicKey)>,
    keys: Vec<(KeyType, Option<PublicKey>)>,
}

impl Slots {
    fn use_certificate_chain(&mut self, file: &[u8]) -> Result<(), CertificateProblem> {
        let mut certificates = pem_blocks(file)
            .into_iter()
            .filter(|b| CERTIFICATE_LABELS.contains(&b.label))
            .enumerate()
            .map(|(i, block)| (i.saturating_add(1), block));
        let Some((_, leaf)) = certificates.next() else {
            return Err(CertificateProblem::NoCertificate);
        };
        let leaf = read_certificate(&leaf, 1)?;
        let mut chain = Vec::new();
        for (index, block) in certificates {
            chain.push(read_certificate(&block, index)?);
        }
        let kind = leaf.key.kind();
        // Loading a certificate drops a key of its type that does not match it (no error).
        self.keys
            .retain(|(t, k)| *t != kind || k.as_ref().is_none_or(|k| *k == leaf.key));
        self.certificates.retain(|(t, _)| *t != kind);
        self.certificates.push((kind, leaf.key));
        Ok(())
    }

    fn use_private_key(&mut self, file: &[u8]) -> Result<Option<String>, KeyProblem> {
        let Some(block) = pem_blocks(file)
            .into_iter()
            .find(|b| b.label.ends_with(b"PRIVATE KEY"))
        else {
            return Err(KeyProblem::NoKey);
        };
        if block.encrypted || block.label == b"ENCRYPTED PRIVATE KEY" {
            return Err(KeyProblem::Encrypted);
        }
        let der = block.der.as_deref().ok_or(KeyProblem::Malformed)?;
        let (kind, public) = read_private_key(block.label, der).ok_or(KeyProblem::Malformed)?;
        let mut note = None;
        if let Some((_, cert_key)) = self.certificates.iter().find(|(t, _)| *t == kind) {
            match &public {
                Some(p) if p != cert_key => return Err(KeyProblem::Mismatch(kind)),
                Some(_) => {}
                None => {
                    note = Some(format!(
                        "the {} key holds no public value: vsconf cannot tell whether it belongs to the certificate",
                        kind.name()
                    ));
                }
            }
        }
        self.keys.retain(|(t, _)| *t != kind);
        self.keys.push((kind, public));
        Ok(note)
    }
}

/// A PEM block: its label, whether its headers say it is encrypted, its DER (`None` when the
/// base64 is bad or the block never ends).
struct PemBlock<'a> {
    label: &'a [u8],
    encrypted: bool,
    der: Option<Vec<u8>>,
}

fn trim(line: &[u8]) -> &[u8] {
    let end = line
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i.saturating_add(1));
    line.get(..end).unwrap_or_default()
}

/// Every `-----BEGIN X-----` … `-----END X-----` block, as OpenSSL's PEM reader finds them: lines
/// outside blocks are ignored, RFC 1421 headers (`Proc-Type`, `DEK-Info`) precede the base64.
fn pem_blocks(file: &[u8]) -> Vec<PemBlock<'_>> {
    let mut out = Vec::new();
    let mut lines = file.split(|b| *b == b'\n').map(trim);
    while let Some(line) = lines.next() {
        let Some(label) = line
            .strip_prefix(b"-----BEGIN ")
            .and_then(|l| l.strip_suffix(b"-----"))
        else {
            continue;
        };
        let mut base64 = Vec::new();
        let mut encrypted = false;
        let mut ended = false;
        let mut in_headers = true;
        for line in lines.by_ref() {
            if let Some(end) = line
                .strip_prefix(b"-----END ")
                .and_then(|l| l.strip_suffix(b"-----"))
            {
                ended = end == label;
                break;
            }
            if in_headers && line.contains(&b':') {
                encrypted |= line.starts_with(b"Proc-Type:") && line.ends_with(b"ENCRYPTED");
                continue;
            }
            in_headers = false;
            base64.extend(line.iter().filter(|b| !b.is_ascii_whitespace()));
        }
        let der = ended
            .then(|| {
                base64::engine::general_purpose::STANDARD
                    .decode(&base64)
                    .ok()
            })
            .flatten();
        out.push(PemBlock {
            label,
            encrypted,
            der,
        });
    }
    out
}

/// A public key, as much of it as decides whether a private key belongs to it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum PublicKey {
    /// Modulus and exponent, without leading zeros.
    Rsa { pss: bool, n: Vec<u8>, e: Vec<u8> },
    /// The public value y, without leading zeros, and the size of p in bits.
    Dsa { y: Vec<u8>, p_bits: u32 },
    /// The curve's OID (DER contents) and the encoded point.
    Ec { curve: Vec<u8>, point: Vec<u8> },
    /// The 32-byte public key.
    Ed25519(Vec<u8>),
    /// Another algorithm (its OID), compared as whole bytes.
    Other(KeyType, Vec<u8>),
}

impl PublicKey {
    fn kind(&self) -> KeyType {
        match self {
            PublicKey::Rsa { pss: false, .. } => KeyType::Rsa,
            PublicKey::Rsa { pss: true, .. } => KeyType::RsaPss,
            PublicKey::Dsa { .. } => KeyType::Dsa,
            PublicKey::Ec { .. } => KeyType::Ec,
            PublicKey::Ed25519(_) => KeyType::Ed25519,
            PublicKey::Other(t, _) => *t,
        }
    }

    /// The key size in bits where OpenSSL's security level judges it, else `None`.
    fn judged_bits(&self) -> Option<u32> {
        match self {
            PublicKey::Rsa { n, .. } => Some(bit_length(n)),
            PublicKey::Dsa { p_bits, .. } => Some(*p_bits),
            PublicKey::Ec { curve, .. } => curve_bits(curve),
            PublicKey::Ed25519(_) | PublicKey::Other(..) => None,
        }
    }

    /// Whether OpenSSL's security level 2 (112 bits) refuses the key.
    fn weak(&self) -> Option<u32> {
        let bits = self.judged_bits()?;
        let minimum = if matches!(self, PublicKey::Ec { .. }) {
            224
        } else {
            2048
        };
        (bits < minimum).then_some(bits)
    }
}

// Object identifiers, as DER contents.
const OID_RSA: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];
const OID_RSA_PSS: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a];
const OID_DSA: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x01];
const OID_EC: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const OID_ED25519: &[u8] = &[0x2b, 0x65, 0x70];
const OID_ED448: &[u8] = &[0x2b, 0x65, 0x71];
/// Signature algorithms under 80 bits of security: md2, md5, sha1 with RSA; DSA and ECDSA with SHA-1.
const WEAK_SIGNATURES: [&[u8]; 5] = [
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x02],
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04],
    &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05],
    &[0x2a, 0x86, 0x48, 0xce, 0x38, 0x04, 0x03],
    &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01],
];

/// The order size of the named curves OpenSSL knows by these OIDs.
fn curve_bits(oid: &[u8]) -> Option<u32> {
    Some(match oid {
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x01] => 192, // prime192v1
        [0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07] => 256, // prime256v1
        [0x2b, 0x81, 0x04, 0x00, 0x21] => 224,                   // secp224r1
        [0x2b, 0x81, 0x04, 0x00, 0x22] => 384,                   // secp384r1
        [0x2b, 0x81, 0x04, 0x00, 0x23] => 521,                   // secp521r1
        [0x2b, 0x81, 0x04, 0x00, 0x0a] => 256,                   // secp256k1
        [0x2b, 0x81, 0x04, 0x00, 0x09] | [0x2b, 0x81, 0x04, 0x00, 0x08] => 160, // secp160k1/r1
        _ => return None,
    })
}

fn bit_length(unsigned: &[u8]) -> u32 {
    let Some((first, rest)) = unsigned.split_first() else {
        return 0;
    };
    let rest_bits = u32::try_from(rest.len())
        .unwrap_or(u32::MAX)
        .saturating_mul(8);
    rest_bits.saturating_add(8 - first.leading_zeros())
}

/// A certificate's key, and whether its signature is one the security level refuses.
struct Certificate {
    key: PublicKey,
}

fn read_certificate(block: &PemBlock<'_>, index: usize) -> Result<Certificate, CertificateProblem> {
    let malformed = CertificateProblem::Malformed(index);
    let der = block.der.as_deref().ok_or(malformed.clone())?;
    let facts = certificate_facts(der).ok_or(malformed)?;
    if let Some(bits) = facts.key.weak() {
        return Err(CertificateProblem::WeakKey {
            index,
            kind: facts.key.kind(),
            bits,
        });
    }
    if facts.weak_signature && !facts.self_signed {
        return Err(CertificateProblem::WeakSignature(index));
    }
    Ok(Certificate { key: facts.key })
}

struct CertificateFacts {
    key: PublicKey,
    weak_signature: bool,
    self_signed: bool,
}

/// `Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }`, `tbsCertificate
/// ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject,
/// subjectPublicKeyInfo, … }` (RFC 5280 §4.1).
fn certificate_facts(der: &[u8]) -> Option<CertificateFacts> {
    let mut outer = Der::new(der).sequence()?;
    let mut tbs = outer.sequence()?;
    let mut algorithm = outer.sequence()?;
    let signature_oid = algorithm.take(OID)?;
    outer.take(BIT_STRING)?;
    if tbs.peek() == Some(0xa0) {
        tbs.any()?;
    }
    tbs.take(INTEGER)?;
    tbs.sequence()?;
    let issuer = tbs.take(SEQUENCE)?;
    tbs.sequence()?;
    let subject = tbs.take(SEQUENCE)?;
    let spki = tbs.take_whole(SEQUENCE)?;
    Some(CertificateFacts {
        key: public_key_of_spki(spki)?,
        weak_signature: WEAK_SIGNATURES.contains(&signature_oid),
        self_signed: issuer == subject,
    })
}

/// `SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING }`.
fn public_key_of_spki(spki: &[u8]) -> Option<PublicKey> {
    let mut info = Der::new(spki).sequence()?;
    let mut algorithm = info.sequence()?;
    let oid = algorithm.take(OID)?;
    let bits = bit_string(info.take(BIT_STRING)?)?;
    Some(match oid {
        OID_RSA | OID_RSA_PSS => {
            let mut key = Der::new(bits).sequence()?;
            PublicKey::Rsa {
                pss: oid == OID_RSA_PSS,
                n: unsigned(key.take(INTEGER)?),
                e: unsigned(key.take(INTEGER)?),
            }
        }
        OID_DSA => {
            let mut params = algorithm.sequence()?;
            PublicKey::Dsa {
                p_bits: bit_length(&unsigned(params.take(INTEGER)?)),
                y: unsigned(Der::new(bits).take(INTEGER)?),
            }
        }
        OID_EC => PublicKey::Ec {
            curve: algorithm.take(OID)?.to_vec(),
            point: bits.to_vec(),
        },
        OID_ED25519 => PublicKey::Ed25519(bits.to_vec()),
        OID_ED448 => PublicKey::Other(KeyType::Ed448, bits.to_vec()),
        _ => PublicKey::Other(KeyType::Other, spki.to_vec()),
    })
}

/// The key type of a private key block and, where the key holds it, its public key.
fn read_private_key(label: &[u8], der: &[u8]) -> Option<(KeyType, Option<PublicKey>)> {
    match label {
        b"RSA PRIVATE KEY" => rsa_private_key(der, false),
        b"EC PRIVATE KEY" => ec_private_key(der, None),
        b"DSA PRIVATE KEY" => {
            // SEQUENCE { version, p, q, g, y, x }
            let mut key = Der::new(der).sequence()?;
            key.take(INTEGER)?;
            let p = unsigned(key.take(INTEGER)?);
            key.take(INTEGER)?;
            key.take(INTEGER)?;
            let y = unsigned(key.take(INTEGER)?);
            let p_bits = bit_length(&p);
            Some((KeyType::Dsa, Some(PublicKey::Dsa { y, p_bits })))
        }
        b"PRIVATE KEY" => pkcs8_private_key(der),
        _ => None,
    }
}

/// `RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent, … }` (RFC 8017 A.1.2).
fn rsa_private_key(der: &[u8], pss: bool) -> Option<(KeyType, Option<PublicKey>)> {
    let mut key = Der::new(der).sequence()?;
    key.take(INTEGER)?;
    let n = unsigned(key.take(INTEGER)?);
    let e = unsigned(key.take(INTEGER)?);
    let public = PublicKey::Rsa { pss, n, e };
    Some((public.kind(), Some(public)))
}

/// `ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] parameters OPTIONAL, [1]
/// publicKey BIT STRING OPTIONAL }` (RFC 5915).
fn ec_private_key(der: &[u8], curve: Option<&[u8]>) -> Option<(KeyType, Option<PublicKey>)> {
    let mut key = Der::new(der).sequence()?;
    key.take(INTEGER)?;
    key.take(OCTET_STRING)?;
    let mut curve = curve.map(<[u8]>::to_vec);
    let mut point = None;
    while let Some((tag, contents)) = key.any() {
        match tag {
            0xa0 => curve = Some(Der::new(contents).take(OID)?.to_vec()),
            0xa1 => point = Some(bit_string(Der::new(contents).take(BIT_STRING)?)?.to_vec()),
            _ => {}
        }
    }
    let public = curve
        .zip(point)
        .map(|(curve, point)| PublicKey::Ec { curve, point });
    Some((KeyType::Ec, public))
}

/// `PrivateKeyInfo ::= SEQUENCE { version, privateKeyAlgorithm, privateKey OCTET STRING, … }`
/// (RFC 5958).
fn pkcs8_private_key(der: &[u8]) -> Option<(KeyType, Option<PublicKey>)> {
    let mut info = Der::new(der).sequence()?;
    info.take(INTEGER)?;
    let mut algorithm = info.sequence()?;
    let oid = algorithm.take(OID)?;
    let inner = info.take(OCTET_STRING)?;
    match oid {
        OID_RSA => rsa_private_key(inner, false),
        OID_RSA_PSS => rsa_private_key(inner, true),
        OID_EC => {
            let curve = algorithm.take(OID)?;
            ec_private_key(inner, Some(curve))
        }
        // A PKCS#8 DSA key holds only x: its public value needs arithmetic vsconf does not do.
        OID_DSA => Some((KeyType::Dsa, None)),
        OID_ED25519 => {
            // The public key is derived from the seed by the TLS library vsconf already uses.
            let key =
                rustls::crypto::ring::sign::any_eddsa_type(&PrivatePkcs8KeyDer::from(der)).ok()?;
            let public = key
                .public_key()
                .map(|spki: SubjectPublicKeyInfoDer<'_>| public_key_of_spki(spki.as_ref()));
            Some((KeyType::Ed25519, public.flatten()))
        }
        OID_ED448 => Some((KeyType::Ed448, None)),
        _ => Some((KeyType::Other, None)),
    }
}

const INTEGER: u8 = 0x02;
const BIT_STRING: u8 = 0x03;
const OCTET_STRING: u8 = 0x04;
const OID: u8 = 0x06;
const SEQUENCE: u8 = 0x30;

/// A BIT STRING's bytes, when it has no unused bits.
fn bit_string(contents: &[u8]) -> Option<&[u8]> {
    match contents.split_first() {
        Some((0, rest)) => Some(rest),
        _ => None,
    }
}

/// An INTEGER's magnitude without leading zero bytes.
fn unsigned(contents: &[u8]) -> Vec<u8> {
    let start = contents
        .iter()
        .position(|b| *b != 0)
        .unwrap_or(contents.len());
    contents.get(start..).unwrap_or_default().to_vec()
}

/// Reads one DER element (definite length of up to four bytes): its tag, its contents and what
/// follows it, or `None` when the bytes end first.
pub fn der_element(data: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, after_tag) = data.split_first()?;
    let (&first, after_length) = after_tag.split_first()?;
    let (length, body) = if first < 0x80 {
        (usize::from(first), after_length)
    } else {
        let count = usize::from(first & 0x7f);
        if count == 0 || count > 4 {
            return None;
        }
        let digits = after_length.get(..count)?;
        let length = digits.iter().try_fold(0usize, |n, d| {
            n.checked_mul(256)?.checked_add(usize::from(*d))
        })?;
        (length, after_length.get(count..)?)
    };
    Some((tag, body.get(..length)?, body.get(length..)?))
}

/// A cursor over DER elements; every read is bounds-checked and returns `None` on bad input.
struct Der<'a> {
    rest: &'a [u8],
}

impl<'a> Der<'a> {
    fn new(bytes: &'a [u8]) -> Der<'a> {
        Der { rest: bytes }
    }

    fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// The next element's tag, contents and whole encoding.
    fn next_element(&mut self) -> Option<(u8, &'a [u8], &'a [u8])> {
        let all = self.rest;
        let (tag, contents, rest) = der_element(all)?;
        let whole = all.get(..all.len().checked_sub(rest.len())?)?;
        self.rest = rest;
        Some((tag, contents, whole))
    }

    fn any(&mut self) -> Option<(u8, &'a [u8])> {
        self.next_element()
            .map(|(tag, contents, _)| (tag, contents))
    }

    fn take(&mut self, tag: u8) -> Option<&'a [u8]> {
        let (found, contents, _) = self.next_element()?;
        (found == tag).then_some(contents)
    }

    fn take_whole(&mut self, tag: u8) -> Option<&'a [u8]> {
        let (found, _, whole) = self.next_element()?;
        (found == tag).then_some(whole)
    }

    fn sequence(&mut self) -> Option<Der<'a>> {
        self.take(SEQUENCE).map(Der::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // tests/fixtures/tls/README.md says how these were made.
    const X_CERT: &[u8] = include_bytes!("../../tests/fixtures/tls/p256-a.crt");
    const X_KEY: &[u8] = include_bytes!("../../tests/fixtures/tls/p256-a.key");
    const Y_CERT: &[u8] = include_bytes!("../../tests/fixtures/tls/p256-b.crt");
    const Y_KEY_SEC1: &[u8] = include_bytes!("../../tests/fixtures/tls/p256-b-sec1.key");
    const P192_CERT: &[u8] = include_bytes!("../../tests/fixtures/tls/p192.crt");
    const P192_KEY: &[u8] = include_bytes!("../../tests/fixtures/tls/p192.key");
    const ED_CERT: &[u8] = include_bytes!("../../tests/fixtures/tls/ed25519.crt");
    const ED_KEY: &[u8] = include_bytes!("../../tests/fixtures/tls/ed25519.key");

    #[test]
    fn pem_blocks_see_labels_headers_and_bad_base64() {
        let file = b"junk\r\n-----BEGIN RSA PRIVATE KEY-----\r\nProc-Type: 4,ENCRYPTED\r\nDEK-Info: AES-256-CBC,00\r\n\r\nAAAA\r\n-----END RSA PRIVATE KEY-----\r\n-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nAAAA\n";
        let blocks = pem_blocks(file);
        assert_eq!(blocks.len(), 3);
        assert_eq!(blocks[0].label, b"RSA PRIVATE KEY");
        assert!(blocks[0].encrypted);
        assert_eq!(blocks[0].der.as_deref(), Some(&[0u8, 0, 0][..]));
        assert_eq!(blocks[1].der, None, "bad base64");
        assert_eq!(blocks[2].der, None, "never ends");
    }

    #[test]
    fn der_reader_refuses_lengths_past_the_end() {
        assert_eq!(Der::new(&[0x30, 0x05, 0x02]).any(), None);
        assert_eq!(Der::new(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).any(), None);
        assert_eq!(Der::new(&[0x30, 0x80]).any(), None);
        assert_eq!(
            Der::new(&[0x02, 0x01, 0x05, 0xff]).take(INTEGER),
            Some(&[5u8][..])
        );
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_length(&[]), 0);
        assert_eq!(bit_length(&[1]), 1);
        assert_eq!(bit_length(&[0x80, 0]), 16);
        assert_eq!(bit_length(&unsigned(&[0, 0x7f, 0])), 15);
    }

    #[test]
    fn nothing_is_a_missing_certificate() {
        let load = load(&[PairFiles {
            pair: Pair::Rsa,
            cert_path: b"/c",
            cert: Material::Bytes(b"hello"),
            key_path: b"/c",
            key: Material::Bytes(b"hello"),
        }]);
        assert_eq!(
            load,
            Load::Certificate(Pair::Rsa, CertificateProblem::NoCertificate)
        );
    }

    fn rsa_pair<'a>(cert: &'a [u8], key: Option<&'a [u8]>) -> Load {
        load(&[PairFiles {
            pair: Pair::Rsa,
            cert_path: b"/c",
            cert: Material::Bytes(cert),
            key_path: b"/k",
            key: Material::Bytes(key.unwrap_or(cert)),
        }])
    }

    fn loads() -> Load {
        Load::Loads {
            unusable_key: None,
            unchecked: vec![],
        }
    }

    #[test]
    fn matching_pairs_load_in_every_key_form() {
        assert_eq!(rsa_pair(X_CERT, Some(X_KEY)), loads());
        assert_eq!(rsa_pair(Y_CERT, Some(Y_KEY_SEC1)), loads());
        assert_eq!(rsa_pair(ED_CERT, Some(ED_KEY)), loads());
        // The key is read from the cert file, in either order.
        assert_eq!(rsa_pair(&[X_CERT, X_KEY].concat(), None), loads());
        assert_eq!(rsa_pair(&[X_KEY, X_CERT].concat(), None), loads());
        let crlf: Vec<u8> = [X_CERT, X_KEY]
            .concat()
            .iter()
            .flat_map(|b| {
                if *b == b'\n' {
                    vec![b'\r', b'\n']
                } else {
                    vec![*b]
                }
            })
            .collect();
        assert_eq!(rsa_pair(&crlf, None), loads());
    }

    #[test]
    fn a_key_of_another_certificate_of_its_type_is_refused() {
        assert_eq!(
            rsa_pair(X_CERT, Some(Y_KEY_SEC1)),
            Load::Key(Pair::Rsa, KeyProblem::Mismatch(KeyType::Ec))
        );
        assert_eq!(
            rsa_pair(Y_CERT, Some(X_KEY)),
            Load::Key(Pair::Rsa, KeyProblem::Mismatch(KeyType::Ec))
        );
    }

    #[test]
    fn a_key_of_another_type_loads_and_no_handshake_can_work() {
        assert_eq!(
            rsa_pair(X_CERT, Some(ED_KEY)),
            Load::Loads {
                unusable_key: Some((KeyType::Ec, KeyType::Ed25519)),
                unchecked: vec![],
            }
        );
    }

    #[test]
    fn certificate_files_without_a_good_certificate_are_refused() {
        assert_eq!(
            rsa_pair(X_KEY, None),
            Load::Certificate(Pair::Rsa, CertificateProblem::NoCertificate)
        );
        assert_eq!(
            rsa_pair(
                b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                Some(X_KEY)
            ),
            Load::Certificate(Pair::Rsa, CertificateProblem::Malformed(1))
        );
        assert_eq!(
            rsa_pair(
                &[
                    X_CERT,
                    b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
                ]
                .concat(),
                Some(X_KEY)
            ),
            Load::Certificate(Pair::Rsa, CertificateProblem::Malformed(2))
        );
        // Plain text after the certificate is ignored; another certificate is the chain.
        assert_eq!(
            rsa_pair(&[X_CERT, b"text\n"].concat(), Some(X_KEY)),
            loads()
        );
        assert_eq!(rsa_pair(&[X_CERT, ED_CERT].concat(), Some(X_KEY)), loads());
        assert_eq!(
            rsa_pair(P192_CERT, Some(P192_KEY)),
            Load::Certificate(
                Pair::Rsa,
                CertificateProblem::WeakKey {
                    index: 1,
                    kind: KeyType::Ec,
                    bits: 192
                }
            )
        );
        assert_eq!(
            rsa_pair(&[X_CERT, P192_CERT].concat(), Some(X_KEY)),
            Load::Certificate(
                Pair::Rsa,
                CertificateProblem::WeakKey {
                    index: 2,
                    kind: KeyType::Ec,
                    bits: 192
                }
            )
        );
    }

    #[test]
    fn key_files_without_a_usable_key_are_refused() {
        assert_eq!(
            rsa_pair(X_CERT, None),
            Load::Key(Pair::Rsa, KeyProblem::NoKey)
        );
        assert_eq!(
            rsa_pair(X_CERT, Some(b"-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n")),
            Load::Key(Pair::Rsa, KeyProblem::Encrypted)
        );
        assert_eq!(
            rsa_pair(X_CERT, Some(b"-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,AA\n\nAAAA\n-----END EC PRIVATE KEY-----\n")),
            Load::Key(Pair::Rsa, KeyProblem::Encrypted)
        );
        assert_eq!(
            rsa_pair(
                X_CERT,
                Some(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
            ),
            Load::Key(Pair::Rsa, KeyProblem::Malformed)
        );
    }

    #[test]
    fn loadable_private_keys() {
        assert!(holds_loadable_private_key(&[X_CERT, X_KEY].concat()));
        assert!(holds_loadable_private_key(Y_KEY_SEC1));
        assert!(!holds_loadable_private_key(X_CERT));
        let proc_type = b"-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n\nAAAA\n-----END EC PRIVATE KEY-----\n";
        assert!(!holds_loadable_private_key(proc_type));
    }

    #[test]
    fn missing_and_unreadable_files() {
        let missing_key = load(&[PairFiles {
            pair: Pair::Dsa,
            cert_path: b"/c",
            cert: Material::Bytes(X_CERT),
            key_path: b"/k",
            key: Material::Missing,
        }]);
        assert_eq!(missing_key, Load::Key(Pair::Dsa, KeyProblem::Unreadable));
        let private = load(&[PairFiles {
            pair: Pair::Rsa,
            cert_path: b"/c",
            cert: Material::Bytes(X_CERT),
            key_path: b"/k",
            key: Material::NotReadableByVsconf,
        }]);
        assert!(matches!(private, Load::Unknown(m) if m.contains("/k")));
    }

    #[test]
    fn the_second_pair_sees_the_first() {
        let files = |key: &'static [u8]| {
            load(&[
                PairFiles {
                    pair: Pair::Rsa,
                    cert_path: b"/c",
                    cert: Material::Bytes(X_CERT),
                    key_path: b"/k",
                    key: Material::Bytes(X_KEY),
                },
                PairFiles {
                    pair: Pair::Dsa,
                    cert_path: b"/d",
                    cert: Material::Bytes(ED_CERT),
                    key_path: b"/dk",
                    key: Material::Bytes(key),
                },
            ])
        };
        assert_eq!(files(ED_KEY), loads());
        assert_eq!(
            files(Y_KEY_SEC1),
            Load::Key(Pair::Dsa, KeyProblem::Mismatch(KeyType::Ec))
        );
    }
}
