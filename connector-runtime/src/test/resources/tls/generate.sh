#!/bin/sh
# Regenerates the test certificates of connector-runtime (see README.md). Test material only:
# the private keys are public by design and must never be trusted outside these tests.
set -eu
cd "$(dirname "$0")"
rm -f ca.p12 ca.pem localhost.p12 wrong-host.p12 expired.p12 untrusted.p12 ./*.csr ./*.crt
P=changeit

# 1. The test CA, and its certificate as PEM (what an instance's caCertificate would hold)
keytool -genkeypair -alias ca -keyalg RSA -keysize 2048 -dname "CN=Connector SDK Test CA" \
  -ext bc:c -validity 10950 -keystore ca.p12 -storetype PKCS12 -storepass $P
keytool -exportcert -alias ca -rfc -keystore ca.p12 -storepass $P -file ca.pem

# 2. Server key pairs signed by the test CA: name, subject, SAN, extra -gencert options
signed() {
  keytool -genkeypair -alias server -keyalg RSA -keysize 2048 -dname "CN=$2" -validity 10950 \
    -keystore "$1.p12" -storetype PKCS12 -storepass $P
  keytool -certreq -alias server -keystore "$1.p12" -storepass $P -file "$1.csr"
  # shellcheck disable=SC2086
  keytool -gencert -alias ca -keystore ca.p12 -storepass $P -infile "$1.csr" -outfile "$1.crt" -rfc \
    -ext "san=$3" -ext eku=serverAuth $4
  keytool -importcert -noprompt -alias ca -keystore "$1.p12" -storepass $P -file ca.pem
  keytool -importcert -alias server -keystore "$1.p12" -storepass $P -file "$1.crt"
  keytool -delete -alias ca -keystore "$1.p12" -storepass $P
  rm -f "$1.csr" "$1.crt"
}
signed localhost   localhost          "dns:localhost,ip:127.0.0.1"  "-validity 10950"
signed wrong-host  wrong-host.example "dns:wrong-host.example"      "-validity 10950"
signed expired     localhost          "dns:localhost,ip:127.0.0.1"  "-startdate 2020/01/01 -validity 30"

# 3. A self-signed certificate no one trusts
keytool -genkeypair -alias server -keyalg RSA -keysize 2048 -dname "CN=localhost" \
  -ext "san=dns:localhost,ip:127.0.0.1" -validity 10950 -keystore untrusted.p12 -storetype PKCS12 -storepass $P
