//! TLS with rustls: the certificate from `rsa_cert_file`/`rsa_private_key_file`, loaded at start (as
//! vsftpd does, so a bad certificate stops the server), and one session cache per FTP session so that a
//! data connection can only resume the TLS session of its own control connection (vsftpd keeps one
//! OpenSSL context per session process).

use std::sync::Arc;

use rustls::ServerConfig;
use rustls::server::ServerSessionMemoryCache;
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::startup::oops;

use super::ServeError;
use super::config::SslSettings;

/// Builds the shared TLS configuration.
pub fn server_config(ssl: &SslSettings) -> Result<Arc<ServerConfig>, ServeError> {
    let oops = |text: &str| ServeError::Oops {
        text: text.to_owned(),
    };
    let chain: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&ssl.cert_file)
        .map_err(|_| oops(oops::SSL_CERT))?
        .collect::<Result<_, _>>()
        .map_err(|_| oops(oops::SSL_CERT))?;
    if chain.is_empty() {
        return Err(oops(oops::SSL_CERT));
    }
    let key = PrivateKeyDer::from_pem_file(&ssl.key_file).map_err(|_| oops(oops::SSL_KEY))?;
    let mut versions: Vec<&'static rustls::SupportedProtocolVersion> = Vec::new();
    if ssl.tls13 {
        versions.push(&rustls::version::TLS13);
    }
    if ssl.tls12 {
        versions.push(&rustls::version::TLS12);
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&versions)
        .map_err(|_| oops(oops::SSL_CONTEXT))?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .map_err(|_| oops(oops::SSL_KEY))?;
    Ok(Arc::new(config))
}

/// A copy of the shared configuration with its own session cache and ticket key, for one FTP session.
///
/// Stateless tickets matter: clients (OpenSSL, Python) resume every data connection with the ticket
/// they got on the control connection, and rustls' stateful TLS 1.3 cache hands out single-use
/// tickets, so the second data connection would not resume. OpenSSL, under vsftpd, accepts a ticket
/// again; a per-session ticket key does the same while keeping tickets valid only for this session.
pub fn per_session(base: &Arc<ServerConfig>) -> Arc<ServerConfig> {
    let mut config = ServerConfig::clone(base);
    config.session_storage = ServerSessionMemoryCache::new(64);
    if let Ok(ticketer) = rustls::crypto::ring::Ticketer::new() {
        config.ticketer = ticketer;
    }
    Arc::new(config)
}
