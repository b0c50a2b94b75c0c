import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Context } from '@opentelemetry/api';
import type { Tracing } from './tracing';

export { SpanKind };

export interface SpanOptions {
  kind: SpanKind;
  /** The parent: a remote span extracted from headers, or (by default) the active one. */
  parent?: Context;
  attributes?: Attributes;
}

/**
 * Runs `work` in a span that ends when it settles, a failure recorded on it. With tracing
 * disabled it only runs `work`: no span, no context switch.
 */
export async function inSpan<T>(tracing: Tracing, name: string, options: SpanOptions, work: () => Promise<T>): Promise<T> {
  if (!tracing.enabled) return work();
  const parent = options.parent ?? context.active();
  return tracing.tracer.startActiveSpan(
    name,
    { kind: options.kind, attributes: options.attributes ?? {} },
    parent,
    async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : undefined });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** The active span's ids for a log line, or nothing when no valid span is active. */
export function activeTraceIds(): { traceId: string; spanId: string } | undefined {
  const span = trace.getSpanContext(context.active());
  if (!span || !trace.isSpanContextValid(span)) return undefined;
  return { traceId: span.traceId, spanId: span.spanId };
}

export interface OpenSpan {
  /** The context with this span active: run the work inside it. */
  context: Context;
  setAttributes(attributes: Attributes): void;
  end(failed?: boolean): void;
}

/** A span for work that does not settle as one promise (an HTTP request ending on `finish`); undefined when tracing is disabled. */
export function startSpan(tracing: Tracing, name: string, options: SpanOptions): OpenSpan | undefined {
  if (!tracing.enabled) return undefined;
  const parent = options.parent ?? context.active();
  const span = tracing.tracer.startSpan(name, { kind: options.kind, attributes: options.attributes ?? {} }, parent);
  let ended = false;
  return {
    context: trace.setSpan(parent, span),
    setAttributes: (attributes) => span.setAttributes(attributes),
    end: (failed = false) => {
      if (ended) return;
      ended = true;
      if (failed) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}
