//! TLS for the probe: a rustls client configuration whose certificate verifier accepts any
//! certificate (test servers have self-signed ones) but records whether normal verification against
//! the system's trust store would have failed, so the report can say so.

use std::sync::{Arc, Mutex};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error as TlsError, RootCertStore, SignatureScheme};

/// The system trust store (Debian's bundle).
const SYSTEM_ROOTS: &str = "/etc/ssl/certs/ca-certificates.crt";

/// Accepts every certificate; remembers what the normal verifier said about the last one.
#[derive(Debug)]
pub struct RecordingVerifier {
    inner: Option<Arc<WebPkiServerVerifier>>,
    algorithms: WebPkiSupportedAlgorithms,
    last_problem: Mutex<Option<String>>,
}

impl RecordingVerifier {
    /// What normal verification said about the last certificate: `None` when it would pass.
    pub fn last_problem(&self) -> Option<String> {
        self.last_problem.lock().map(|g| g.clone()).unwrap_or(None)
    }
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, TlsError> {
        let problem = match &self.inner {
            Some(v) => v
                .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
                .err()
                .map(|e| e.to_string()),
            None => Some(format!("no system trust store at {SYSTEM_ROOTS}")),
        };
        if let Ok(mut g) = self.last_problem.lock() {
            *g = problem;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, TlsError> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A client configuration and its verifier.
pub struct TlsClient {
    /// For `TlsConnector::from`. One configuration per probe, so data connections can resume the
    /// control connection's session (vsftpd's `require_ssl_reuse=YES`).
    pub config: Arc<rustls::ClientConfig>,
    /// The verifier, to read what it recorded.
    pub verifier: Arc<RecordingVerifier>,
}

/// Builds the probe's TLS client.
pub fn tls_client() -> Result<TlsClient, TlsError> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore::empty();
    if let Ok(bytes) = std::fs::read(SYSTEM_ROOTS) {
        use rustls::pki_types::pem::PemObject;
        for cert in CertificateDer::pem_slice_iter(&bytes).flatten() {
            let _ = roots.add(cert);
        }
    }
    let inner = if roots.is_empty() {
        None
    } else {
        WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
            .build()
            .ok()
    };
    let verifier = Arc::new(RecordingVerifier {
        inner,
        algorithms: provider.signature_verification_algorithms,
        last_problem: Mutex::new(None),
    });
    let config =
        rustls::ClientConfig::builder_with_provider(provider.clone() as Arc<CryptoProvider>)
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_no_client_auth();
    Ok(TlsClient {
        config: Arc::new(config),
        verifier,
    })
}

/// The TLS server name for a host (an IP address or a DNS name).
pub fn server_name(host: &str) -> Result<ServerName<'static>, String> {
    ServerName::try_from(host.to_string())
        .map_err(|e| format!("{host} is not a valid TLS server name: {e}"))
}
