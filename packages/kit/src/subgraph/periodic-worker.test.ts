import { PeriodicWorker } from './periodic-worker';

const logger = () => ({ error: jest.fn() });

describe('a periodic worker', () => {
  it('runs one task at a time: a call during a run joins it', async () => {
    let release: () => void = () => undefined;
    const task = jest.fn(() => new Promise<number>((resolve) => (release = () => resolve(task.mock.calls.length))));
    const worker = new PeriodicWorker({ name: 'test', everyMs: 60_000, task, logger: logger() as never });
    const first = worker.runOnce();
    const joined = worker.runOnce();
    release();
    expect(await first).toBe(1);
    expect(await joined).toBe(1);
    expect(task).toHaveBeenCalledTimes(1);
    const second = worker.runOnce();
    release();
    expect(await second).toBe(2);
  });

  it('logs a failed run and runs again next time; stop waits for a run under way', async () => {
    const log = logger();
    let calls = 0;
    const worker = new PeriodicWorker({
      name: 'test',
      everyMs: 60_000,
      logger: log as never,
      task: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database away');
        await new Promise((resolve) => setTimeout(resolve, 20));
        return calls;
      },
    });
    await expect(worker.runOnce()).rejects.toThrow('database away');
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ worker: 'test' }), 'a periodic task failed');
    const running = worker.runOnce();
    let done = false;
    void running.then(() => (done = true));
    await worker.stop();
    expect(done).toBe(true);
  });
});
