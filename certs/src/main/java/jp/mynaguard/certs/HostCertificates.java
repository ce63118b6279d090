package jp.mynaguard.certs;

import java.security.GeneralSecurityException;

/**
 * Server certificates per host name, for intercepted TLS: a DNS name (IDN already or still in
 * Unicode) or an IP literal. The production implementation mints with the interception CA and
 * caches; tests may pass {@code host -> ca.issueServerCertificate(host, Instant.now())}.
 */
@FunctionalInterface
public interface HostCertificates {
    CertificateAuthority.ServerCertificate forHost(String host) throws GeneralSecurityException;
}
