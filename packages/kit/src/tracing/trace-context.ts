import { context, isSpanContextValid, ROOT_CONTEXT, trace, type Context, type SpanContext } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** W3C Trace Context header names (https://www.w3.org/TR/trace-context/). */
export const TRACEPARENT_HEADER = 'traceparent';
export const TRACESTATE_HEADER = 'tracestate';

const propagator = new W3CTraceContextPropagator();

/** Header values as HTTP (node, fetch) and Kafka (kafkajs: Buffer, string or arrays of them) carry them. */
export type HeaderValue = string | Buffer | (string | Buffer)[] | undefined;

/** The trace context headers of `ctx`'s span: empty when it has no valid span. */
export function traceHeadersOf(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  const span = trace.getSpanContext(ctx);
  if (!span || !isSpanContextValid(span)) return carrier;
  propagator.inject(ctx, carrier, {
    set: (target, key, value) => {
      target[key] = value;
    },
  });
  return carrier;
}

/** `root` with the remote span these headers name as parent; `root` itself when they name none (or a malformed one). */
export function contextFromHeaders(
  headers: Readonly<Record<string, HeaderValue>> | undefined,
  root: Context = ROOT_CONTEXT,
): Context {
  if (!headers) return root;
  return propagator.extract(root, headers, {
    keys: (carrier) => Object.keys(carrier),
    get: (carrier, key) => headerText(carrier[key] ?? carrier[key.toLowerCase()]),
  });
}

/** The remote span these headers name, if they name a well-formed one. */
export function remoteSpanOf(headers: Readonly<Record<string, HeaderValue>> | undefined): SpanContext | undefined {
  return trace.getSpanContext(contextFromHeaders(headers, ROOT_CONTEXT));
}

function headerText(value: HeaderValue): string | undefined {
  if (value === undefined) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return typeof first === 'string' ? first : first.toString('utf8');
}
