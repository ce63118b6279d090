/** The HTTP/HTTPS forward proxy: absolute-form requests, CONNECT tunnels, interception, inspection. */
package jp.mynaguard.proxy.http;
