import { Writable } from 'node:stream';
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createLogger } from './logger';
import { runWithRequestContext } from './request-context';

describe('logger and traces', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => {
    manager.disable();
    context.disable();
  });

  function capture() {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    return { logger: createLogger({ service: 'test', destination }), lines };
  }

  it('adds the active span’s trace and span ids beside the correlation id', () => {
    const { logger, lines } = capture();
    const span = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
    runWithRequestContext({ correlationId: 'corr-1' }, () =>
      context.with(trace.setSpanContext(ROOT_CONTEXT, span), () => logger.info('inside a span')),
    );
    expect(JSON.parse(lines[0]!)).toMatchObject({ correlationId: 'corr-1', traceId: span.traceId, spanId: span.spanId });
  });

  it('writes no trace ids when no span is active', () => {
    const { logger, lines } = capture();
    runWithRequestContext({ correlationId: 'corr-2' }, () => logger.info('no span'));
    const line = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(line['correlationId']).toBe('corr-2');
    expect(line).not.toHaveProperty('traceId');
  });
});
