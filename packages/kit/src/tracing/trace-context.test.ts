import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { contextFromHeaders, remoteSpanOf, traceHeadersOf } from './trace-context';

const SPAN = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
const TRACEPARENT = `00-${SPAN.traceId}-${SPAN.spanId}-01`;

describe('trace context carriers', () => {
  it('writes the W3C traceparent of a context’s span, and nothing for a context without one', () => {
    expect(traceHeadersOf(trace.setSpanContext(ROOT_CONTEXT, SPAN))).toEqual({ traceparent: TRACEPARENT });
    expect(traceHeadersOf(ROOT_CONTEXT)).toEqual({});
    expect(traceHeadersOf(trace.setSpanContext(ROOT_CONTEXT, { ...SPAN, traceId: '0'.repeat(32) }))).toEqual({});
  });

  it('reads it back from Kafka headers (Buffers) and from HTTP headers (strings, arrays)', () => {
    for (const headers of [
      { traceparent: Buffer.from(TRACEPARENT) },
      { traceparent: TRACEPARENT },
      { traceparent: [TRACEPARENT] },
    ]) {
      expect(remoteSpanOf(headers)).toEqual({ ...SPAN, isRemote: true });
    }
  });

  it('round-trips through the headers a producer writes', () => {
    const written = traceHeadersOf(trace.setSpanContext(ROOT_CONTEXT, SPAN));
    const kafkaHeaders = Object.fromEntries(Object.entries(written).map(([key, value]) => [key, Buffer.from(value)]));
    expect(trace.getSpanContext(contextFromHeaders(kafkaHeaders))).toMatchObject(SPAN);
  });

  it('ignores a missing or malformed traceparent, leaving the context it was given', () => {
    expect(remoteSpanOf(undefined)).toBeUndefined();
    expect(remoteSpanOf({})).toBeUndefined();
    expect(remoteSpanOf({ traceparent: 'not-a-traceparent' })).toBeUndefined();
    expect(remoteSpanOf({ traceparent: `00-${'0'.repeat(32)}-${SPAN.spanId}-01` })).toBeUndefined();
    expect(contextFromHeaders({ traceparent: 'garbage' }, context.active())).toBe(context.active());
  });
});
