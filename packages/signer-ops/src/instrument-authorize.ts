/**
 * `instrumentAuthorize(authorize, …)`: the verifier path's counterpart of `instrument()` — wraps
 * `authorize` (or any function of the same shape, e.g. `authorizeBatch`) with a span, a latency
 * histogram and a count by outcome: `ok` or the A1Error code it failed with.
 */
import { metrics, SpanStatusCode, trace } from '@opentelemetry/api';
import { A1Error } from '@a1/core';
import type { InstrumentOptions } from './instrument.js';
import { ATTR, INSTRUMENTATION_SCOPE, METRIC } from './telemetry-names.js';

export function instrumentAuthorize<A extends unknown[], R>(authorize: (...args: A) => Promise<R>, options: InstrumentOptions = {}): (...args: A) => Promise<R> {
  const tracer = options.tracer ?? trace.getTracer(INSTRUMENTATION_SCOPE);
  const meter = options.meter ?? metrics.getMeter(INSTRUMENTATION_SCOPE);
  const duration = meter.createHistogram(METRIC.authorizeDuration, { unit: 's', description: 'Duration of authorize calls, by outcome' });
  const count = meter.createCounter(METRIC.authorizations, { description: 'authorize calls, by outcome' });

  return (...args: A) =>
    tracer.startActiveSpan('a1.authorize', async (span) => {
      const started = performance.now();
      let outcome = 'ok';
      try {
        return await authorize(...args);
      } catch (error) {
        outcome = error instanceof A1Error ? error.code : 'UnknownError';
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
        throw error;
      } finally {
        span.setAttribute(ATTR.outcome, outcome);
        duration.record((performance.now() - started) / 1000, { [ATTR.outcome]: outcome });
        count.add(1, { [ATTR.outcome]: outcome });
        span.end();
      }
    });
}
