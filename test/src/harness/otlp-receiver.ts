import { gunzipSync } from 'node:zlib';
import { sendJson, startLoopbackServer } from './loopback-server';

/** One span as an OTLP/HTTP exporter sent it, with the `service.name` of its resource. */
export interface ReceivedSpan {
  service: string;
  traceId: string;
  spanId: string;
  /** Empty for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, string | number | boolean>;
}

export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3, PRODUCER: 4, CONSUMER: 5 } as const;

export interface OtlpReceiver {
  /** The base URL, as OTEL_EXPORTER_OTLP_ENDPOINT takes it (spans arrive at `<url>/v1/traces`). */
  url: string;
  spans: ReceivedSpan[];
  /** Export requests refused (not JSON, wrong path): a test expects none. */
  refused: string[];
  stop(): Promise<void>;
}

/**
 * A real OTLP/HTTP trace endpoint on loopback: `POST /v1/traces` with the JSON encoding of
 * ExportTraceServiceRequest (what `@opentelemetry/exporter-trace-otlp-http` sends), gzip or
 * not; it answers as a collector does (200 with an empty partial success). Protobuf is refused
 * with 415, so a misconfigured exporter shows up in `refused`.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const refused: string[] = [];
  const server = await startLoopbackServer(async (request, response) => {
    if (request.method !== 'POST' || request.url?.split('?')[0] !== '/v1/traces') {
      refused.push(`${request.method} ${request.url}`);
      return sendJson(response, 404, { error: 'not found' });
    }
    const type = request.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) {
      refused.push(`content-type ${type}`);
      return sendJson(response, 415, { error: 'only the JSON encoding is accepted here' });
    }
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const body = request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
    spans.push(...spansOf(JSON.parse(body.toString('utf8')) as ExportRequest));
    sendJson(response, 200, { partialSuccess: {} });
  });
  return { url: server.url, spans, refused, stop: server.stop };
}

interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
}
interface KeyValue {
  key: string;
  value: AnyValue;
}
interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: {
      spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind?: number; attributes?: KeyValue[] }[];
    }[];
  }[];
}

/** The spans of one export request; ids as lower-case hex (the JSON encoding's form). */
export function spansOf(request: ExportRequest): ReceivedSpan[] {
  const received: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    const service = String(resource['service.name'] ?? 'unknown');
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        received.push({
          service,
          traceId: span.traceId.toLowerCase(),
          spanId: span.spanId.toLowerCase(),
          parentSpanId: (span.parentSpanId ?? '').toLowerCase(),
          name: span.name,
          kind: span.kind ?? 0,
          attributes: attributesOf(span.attributes),
        });
      }
    }
  }
  return received;
}

function attributesOf(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  const attributes: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    const plain = value.stringValue ?? value.boolValue ?? value.doubleValue ?? value.intValue;
    if (plain !== undefined) attributes[key] = typeof plain === 'string' && value.intValue !== undefined ? Number(plain) : plain;
  }
  return attributes;
}
