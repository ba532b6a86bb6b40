/**
 * `instrument(signer, { tracer?, meter? })`: a span per `verifyingKey` and `signMessage`, latency
 * histograms and counters of signatures, errors by code, throttles and retries. Attributes are the
 * provider, the key id, the outcome and the SignerError code and retryable flag — never a message
 * (a third-party signer's message may hold anything). With no OpenTelemetry SDK installed, the
 * API is a no-op and so is this wrapper.
 */
import { metrics, SpanKind, SpanStatusCode, trace, type Attributes, type Meter, type Tracer } from '@opentelemetry/api';
import { SignerError, type AsyncSigner, type SignOptions } from '@a1/core';
import { OpsEvents } from './ops-events.js';
import { identityOf, type WrappedSigner } from './signer-identity.js';
import { ATTR, INSTRUMENTATION_SCOPE, METRIC } from './telemetry-names.js';

export interface InstrumentOptions {
  /** Default: the global tracer provider's tracer for `@a1/signer-ops`. */
  tracer?: Tracer;
  /** Default: the global meter provider's meter for `@a1/signer-ops`. */
  meter?: Meter;
}

export function instrument(signer: AsyncSigner, options: InstrumentOptions = {}): WrappedSigner {
  const identity = identityOf(signer);
  const tracer = options.tracer ?? trace.getTracer(INSTRUMENTATION_SCOPE);
  const meter = options.meter ?? metrics.getMeter(INSTRUMENTATION_SCOPE);
  const duration = meter.createHistogram(METRIC.signerDuration, { unit: 's', description: 'Duration of signer calls (verifyingKey, signMessage)' });
  const signatures = meter.createCounter(METRIC.signatures, { description: 'Signatures the signer returned' });
  const errors = meter.createCounter(METRIC.errors, { description: 'Failed signer calls, by SignerError code' });
  const throttles = meter.createCounter(METRIC.throttles, { description: 'Calls the backend throttled, and quota governors easing off' });
  const retries = meter.createCounter(METRIC.retries, { description: 'Calls sent again to another failover member (failover or hedge)' });
  const base: Attributes = { [ATTR.provider]: identity.provider, ...(identity.keyId ? { [ATTR.keyId]: identity.keyId } : {}) };

  const events = new OpsEvents([signer]);
  events.subscribe((event) => {
    if (event.kind === 'retry') retries.add(1, { ...base, [ATTR.retryReason]: event.reason });
    else throttles.add(1, { ...base, [ATTR.retryReason]: 'quota' });
  });

  async function traced<T>(operation: 'verifyingKey' | 'signMessage', call: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const attributes: Attributes = { ...base, [ATTR.operation]: operation };
    return tracer.startActiveSpan(`a1.signer ${operation}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      try {
        const result = await call();
        span.setAttribute(ATTR.outcome, 'ok');
        span.setStatus({ code: SpanStatusCode.OK });
        duration.record((performance.now() - started) / 1000, { ...attributes, [ATTR.outcome]: 'ok' });
        if (operation === 'signMessage') signatures.add(1, base);
        return result;
      } catch (error) {
        const code = error instanceof SignerError ? error.code : 'UnknownError';
        const failure: Attributes = { [ATTR.outcome]: 'error', [ATTR.errorType]: code };
        if (error instanceof SignerError) failure[ATTR.retryable] = error.retryable;
        span.setAttributes(failure);
        span.setStatus({ code: SpanStatusCode.ERROR, message: code });
        duration.record((performance.now() - started) / 1000, { ...attributes, ...failure });
        errors.add(1, { ...attributes, ...failure });
        if (code === 'Throttled') throttles.add(1, { ...base, [ATTR.retryReason]: 'backend' });
        throw error;
      } finally {
        span.end();
      }
    });
  }

  return {
    ...identity,
    verifyingKey: () => traced('verifyingKey', () => signer.verifyingKey()),
    signMessage: (message: Uint8Array, opts?: SignOptions) => traced('signMessage', () => signer.signMessage(message, opts)),
    onOpsEvent: (listener) => events.subscribe(listener),
  };
}
