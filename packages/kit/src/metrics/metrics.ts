import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface ServiceMetrics {
  registry: Registry;
  httpDuration: Histogram<'route' | 'status'>;
}

/** A registry per service instance (not the global one), so in-process tests can run several. */
export function createMetrics(service: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by route and status.',
    labelNames: ['route', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

/** The registry's counter of that name, made on first use (a restarted part finds its old one). */
export function counterOf<Label extends string>(
  metrics: ServiceMetrics,
  spec: { name: string; help: string; labelNames: readonly Label[] },
): Counter<Label> {
  const existing = metrics.registry.getSingleMetric(spec.name);
  if (existing instanceof Counter) return existing;
  return new Counter({ ...spec, labelNames: [...spec.labelNames], registers: [metrics.registry] });
}

/** A gauge read when Prometheus scrapes: `read` is called then, never on a hot path. */
export function scrapedGauge(
  metrics: ServiceMetrics,
  spec: { name: string; help: string; labelNames: readonly string[] },
  read: (gauge: Gauge) => Promise<void>,
): void {
  if (metrics.registry.getSingleMetric(spec.name)) metrics.registry.removeSingleMetric(spec.name);
  new Gauge({
    ...spec,
    labelNames: [...spec.labelNames],
    registers: [metrics.registry],
    async collect() {
      await read(this);
    },
  });
}

/** The registry's histogram of that name, made on first use. */
export function histogramOf<Label extends string>(
  metrics: ServiceMetrics,
  spec: { name: string; help: string; labelNames: readonly Label[]; buckets: number[] },
): Histogram<Label> {
  const existing = metrics.registry.getSingleMetric(spec.name);
  if (existing instanceof Histogram) return existing as Histogram<Label>;
  return new Histogram({ ...spec, labelNames: [...spec.labelNames], registers: [metrics.registry] });
}
