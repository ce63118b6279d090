package jp.mynaguard.proxy.http;

import java.util.concurrent.ExecutorService;

import jp.mynaguard.proxy.audit.AuditSink;

/**
 * What every client connection shares: the config, the worker pool (scans, decisions, password
 * checks, DNS, the hold store), the authenticator, the decider, the origin connector, the
 * approval button's handler, the audit sink, the CONNECT handler if one is configured ({@code null}: CONNECT is
 * answered 501), and the memory budget of request bodies.
 */
record ProxyServices(HttpProxyConfig config, ExecutorService workers, ProxyAuthenticator authenticator,
                     UploadDecider decider, OriginConnector connector, ApprovalRequests approvals,
                     AuditSink audit, ConnectTunnels tunnels, BodyMemory bodyMemory) {
}
