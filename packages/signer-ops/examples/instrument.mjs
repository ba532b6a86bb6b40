// Spans and metrics of a Vault Transit signer, read back from the OpenTelemetry SDK's in-memory exporters.
import { CertBuilder, intentHash, LocalSigner } from '@a1/core';
import { startVaultTransit } from '@a1/emulators';
import { VaultTransitSigner } from '@a1/signer-vault';
import { instrument, METRIC } from '@a1/signer-ops';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader, AggregationTemporality } from '@opentelemetry/sdk-metrics';

const vault = await startVaultTransit();
vault.createKey({ name: 'a1-root' });
const spans = new InMemorySpanExporter();
const metrics = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
const reader = new PeriodicExportingMetricReader({ exporter: metrics, exportIntervalMillis: 60_000 });
const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] }).getTracer('example');
const meter = new MeterProvider({ readers: [reader] }).getMeter('example');

const signer = instrument(new VaultTransitSigner({ endpoint: vault.endpoint, keyName: 'a1-root', token: vault.rootToken }), { tracer, meter });
const now = BigInt(Math.floor(Date.now() / 1000));
await new CertBuilder({ delegatePk: LocalSigner.generate().verifyingKey(), scopeRoot: intentHash('trade.equity'), issuedAt: now, expirationUnix: now + 3600n }).buildAsync(signer);

await reader.forceFlush();
const names = metrics.getMetrics().at(-1).scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name));
console.log('spans:', spans.getFinishedSpans().map((s) => `${s.name} ${s.attributes['a1.outcome']}`).join(', '));
console.log('metrics:', names.join(', '), names.includes(METRIC.signatures) ? '' : '(no signatures counter?)');
await signer.close();
await vault.close();
