/**
 * Removes credentials from text that may reach an error message or a log: the user-info part of
 * any postgres:// or postgresql:// URL, `password=…` in a key/value connection string, and every
 * known secret (the password the pool was given) wherever it appears.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text
    .replace(/(postgres(?:ql)?:\/\/)[^@\s/]*@/gi, '$1***@')
    .replace(/(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)/gi, '$1***');
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    out = out.split(secret).join('***');
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join('***');
  }
  return out;
}
