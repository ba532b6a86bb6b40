// The client is all a user imports; the service lives at the "./key-server" entry (it needs node:http).
export { HttpRemoteSigner, HTTP_REMOTE_PROVIDER, type HttpRemoteSignerOptions } from './http-remote-signer.js';
