package jp.mynaguard.proxy.http;

/**
 * Who is uploading: the Proxy-Authorization user, or the user the client address maps to.
 *
 * @param login   the user name (lower case), or {@code null} when unknown
 * @param address the user's mail address for policy and approvals, or {@code null}
 */
public record ProxyUser(String login, String address) {
    public static final ProxyUser ANONYMOUS = new ProxyUser(null, null);
}
