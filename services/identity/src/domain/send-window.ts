const HOUR_MS = 3_600_000;

/** Send limits count per clock hour: the window an instant falls in, and when it ends. */
export function sendWindow(now: Date): { id: string; endsAt: Date } {
  const hour = Math.floor(now.getTime() / HOUR_MS);
  return { id: String(hour), endsAt: new Date((hour + 1) * HOUR_MS) };
}
