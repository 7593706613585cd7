#!/usr/bin/env bash
# Makes a throwaway PKI for the TLS tests in DIR (created if missing), valid for one day:
#   ca.pem, ca.key                 the test CA
#   server.pem, server.key         signed by it, for 127.0.0.1, ::1 and localhost
#   client.pem, client.key         a client certificate signed by it (mTLS)
#   other-ca.pem                   an unrelated CA (a client trusting only it must fail)
#   other-client.pem, other-client.key   a client certificate signed by the other CA
# Nothing here is a real key: the tests make a new set each run. Usage: make_test_pki.sh DIR
set -euo pipefail
dir=$1
mkdir -p "$dir"
cd "$dir"

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }

ca() {  # NAME SUBJECT
  key "$1.key"
  openssl req -x509 -new -key "$1.key" -out "$1.pem" -days 1 -subj "$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
}

leaf() {  # NAME CA SUBJECT EXTENSIONS
  key "$1.key"
  openssl req -new -key "$1.key" -out "$1.csr" -subj "$3"
  printf '%s\n' "$4" >"$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial -days 1 \
    -extfile "$1.ext" -out "$1.pem" 2>/dev/null
  rm -f "$1.csr" "$1.ext"
}

ca ca "/CN=blubridge test CA"
ca other-ca "/CN=another test CA"
leaf server ca "/CN=localhost" "subjectAltName=IP:127.0.0.1,IP:::1,DNS:localhost
extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature"
leaf client ca "/CN=legacy integration" "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature"
leaf other-client other-ca "/CN=stranger" "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature"
