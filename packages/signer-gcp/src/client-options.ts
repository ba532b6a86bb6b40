/**
 * Client options for a custom endpoint. `http://host:port` means a plaintext loopback server
 * (the emulator): insecure channel credentials plus google-auth-library's PassThroughClient,
 * which attaches no token and stops the client from searching for Application Default
 * Credentials or probing the metadata server. `https://host[:port]` (or `host[:port]`) keeps
 * TLS and normal credentials, e.g. for a Private Service Connect endpoint.
 */
import { PassThroughClient } from 'google-auth-library';
import { grpc, type ClientOptions } from 'google-gax';
import { misconfigured } from './errors.js';

export function clientOptionsForEndpoint(endpoint: string): ClientOptions {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint) ? endpoint : `https://${endpoint}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    // Not echoed: an endpoint may carry user:password@ or a pasted token.
    throw misconfigured('endpoint (not shown) is not host:port or an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw misconfigured(`endpoint scheme ${url.protocol} is not http: (plaintext emulator) or https:`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.username || url.password) {
    throw misconfigured('endpoint must be just scheme://host:port');
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (url.protocol === 'http:') {
    if (!url.port) throw misconfigured('a plaintext endpoint needs an explicit port (http://127.0.0.1:PORT)');
    return {
      apiEndpoint: host,
      port: Number(url.port),
      sslCreds: grpc.credentials.createInsecure(),
      authClient: new PassThroughClient(),
    };
  }
  return { apiEndpoint: host, port: url.port ? Number(url.port) : 443 };
}
