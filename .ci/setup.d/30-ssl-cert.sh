# Debian's default certificate pair (/etc/ssl/certs/ssl-cert-snakeoil.pem and its key), which
# `vsconf new --dialect debian-3.0.3` names when no --tls-cert is given; the system test
# edit::new_profiles_with_every_option_start_every_live_build starts vsftpd with it. Idempotent.
if ! dpkg -s ssl-cert >/dev/null 2>&1; then
  echo "ci: installing ssl-cert" >&2
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ssl-cert >/dev/null
fi
if [ ! -f /etc/ssl/certs/ssl-cert-snakeoil.pem ]; then
  make-ssl-cert generate-default-snakeoil
fi
