export interface SmsSender {
  send(message: { to: string; text: string }): Promise<void>;
}

export interface HttpSmsSenderOptions {
  url: string;
  token?: string | null;
  timeoutMs?: number;
}

/** Posts `{ to, text }` as JSON to the SMS gateway. Errors name the status at most, never the text. */
export function createHttpSmsSender({ url, token, timeoutMs = 5_000 }: HttpSmsSenderOptions): SmsSender {
  return {
    async send({ to, text }) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ to, text }),
          // A redirect could carry the bearer token elsewhere; the gateway URL must be the final one.
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
        throw new Error(timedOut ? `SMS gateway did not answer within ${timeoutMs} ms` : 'SMS gateway unreachable');
      }
      await response.body?.cancel();
      if (response.status < 200 || response.status > 299) throw new Error(`SMS gateway answered ${response.status}`);
    },
  };
}
