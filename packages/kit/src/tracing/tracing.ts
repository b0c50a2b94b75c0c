import { context, trace, type Tracer } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface TracingOptions {
  /** The `service.name` of every span this process part records. */
  service: string;
  /** OTEL_EXPORTER_OTLP_ENDPOINT: the collector's base URL; spans go to `<endpoint>/v1/traces` as OTLP/HTTP JSON. */
  otlpEndpoint?: string | undefined;
}

/** A service's tracer. Without an endpoint it records nothing, exports nothing and propagates nothing. */
export interface Tracing {
  readonly enabled: boolean;
  readonly tracer: Tracer;
  /** Exports what is still buffered, then stops. */
  shutdown(): Promise<void>;
}

const DISABLED: Tracing = {
  enabled: false,
  tracer: trace.getTracer('messngr-disabled'),
  shutdown: async () => undefined,
};

/**
 * A tracer provider of the service's own (not the global one): the test stack runs the
 * gateway and the four subgraphs in one process, and each must report its own service name.
 * The context manager is global (one per process), as the async context it follows is.
 */
export function createTracing({ service, otlpEndpoint }: TracingOptions): Tracing {
  if (!otlpEndpoint) return DISABLED;
  ensureContextManager();
  const exporter = new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new BasicTracerProvider({
    resource: new Resource({ 'service.name': service }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1_000 })],
  });
  return {
    enabled: true,
    tracer: provider.getTracer('messngr'),
    shutdown: () => provider.shutdown(),
  };
}

let contextManagerSet = false;

function ensureContextManager(): void {
  if (contextManagerSet) return;
  // False when another library registered one already: theirs follows async context too.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  contextManagerSet = true;
}

/** For code paths without a service (tools, unit tests). */
export const NO_TRACING: Tracing = DISABLED;
