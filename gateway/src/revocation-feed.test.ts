import { ConsumedPositions } from './consumed-positions';
import { FreshSnapshots } from './fresh-snapshots';
import { revocationFencePlugin } from './revocation-fence-plugin';

const ends = (entries: Record<string, number>) => new Map(Object.entries(entries).map(([key, value]) => [key, BigInt(value)]));

describe('where the revocation feed stands', () => {
  it('has reached ends once every partition was read up to them; unknown partitions count as empty', () => {
    const positions = new ConsumedPositions();
    positions.advance('identity:0', 5n);
    expect(positions.reached(ends({ 'identity:0': 5 }))).toBe(true);
    expect(positions.reached(ends({ 'identity:0': 6 }))).toBe(false);
    expect(positions.reached(ends({ 'identity:0': 5, 'tenant:0': 0 }))).toBe(true);
    expect(positions.reached(ends({ 'identity:0': 5, 'tenant:0': 1 }))).toBe(false);
  });

  it('never moves back (a seek re-reads older offsets)', () => {
    const positions = new ConsumedPositions();
    positions.advance('identity:0', 9n);
    positions.advance('identity:0', 3n);
    expect(positions.reached(ends({ 'identity:0': 9 }))).toBe(true);
  });

  it('resolves a waiter when the last needed partition is read, and false after its timeout', async () => {
    const positions = new ConsumedPositions();
    const both = positions.whenReached(ends({ 'identity:0': 2, 'tenant:1': 1 }));
    const never = positions.whenReached(ends({ 'identity:0': 100 }), 20);
    let settled = false;
    void both.then(() => (settled = true));
    positions.advance('identity:0', 2n);
    await Promise.resolve();
    expect(settled).toBe(false);
    positions.advance('tenant:1', 1n);
    await expect(both).resolves.toBe(true);
    await expect(never).resolves.toBe(false);
  });
});

describe('fresh snapshots', () => {
  function deferredFetches() {
    const pending: ((value: number) => void)[] = [];
    let calls = 0;
    const snapshots = new FreshSnapshots(
      () =>
        new Promise<number>((resolve) => {
          calls += 1;
          pending.push(resolve);
        }),
    );
    return { snapshots, pending, calls: () => calls };
  }

  it('gives a caller arriving during a fetch the one after it, shared with the others arriving then', async () => {
    const { snapshots, pending, calls } = deferredFetches();
    const first = snapshots.next();
    const second = snapshots.next();
    const third = snapshots.next();
    expect(calls()).toBe(1);
    pending[0]!(1);
    await expect(first).resolves.toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls()).toBe(2);
    pending[1]!(2);
    await expect(second).resolves.toBe(2);
    await expect(third).resolves.toBe(2);
  });

  it('fetches again after a failure', async () => {
    let calls = 0;
    const snapshots = new FreshSnapshots(async () => {
      calls += 1;
      if (calls === 1) throw new Error('broker away');
      return calls;
    });
    await expect(snapshots.next()).rejects.toThrow('broker away');
    await expect(snapshots.next()).resolves.toBe(2);
  });
});

describe('the revocation fence plugin', () => {
  async function responseHook(feed: { fence: (timeoutMs?: number) => Promise<boolean> }, warn = jest.fn()) {
    const plugin = revocationFencePlugin(feed, { warn } as never, 50);
    const listener = await plugin.requestDidStart!({} as never);
    return { willSendResponse: listener!.willSendResponse!, warn };
  }

  it('fences before answering a request a subgraph signalled as a revocation, and only then', async () => {
    const fence = jest.fn(async () => true);
    const { willSendResponse, warn } = await responseHook({ fence });
    await willSendResponse({ operation: { operation: 'mutation' }, contextValue: { revocation: { signalled: false } } } as never);
    expect(fence).not.toHaveBeenCalled();
    await willSendResponse({ operation: { operation: 'mutation' }, contextValue: { revocation: { signalled: true } } } as never);
    expect(fence).toHaveBeenCalledWith(50);
    expect(warn).not.toHaveBeenCalled();
  });

  it('answers anyway, with a warning, when the fence times out', async () => {
    const { willSendResponse, warn } = await responseHook({ fence: async () => false });
    await willSendResponse({ contextValue: { revocation: { signalled: true } } } as never);
    expect(warn).toHaveBeenCalledTimes(1);
  });
});
