import { Agent, request } from 'node:http';

/**
 * The load generator's HTTP client: node:http over pooled keep-alive connections. It shares
 * the machine with what it measures, so it should cost as little as it can; global fetch
 * (undici behind WHATWG streams) cost the bench process several times more per request.
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

export interface JsonResponse<Body> {
  status: number;
  body: Body;
}

/** POSTs a JSON body to a loopback URL and reads the JSON answer. */
export function postJson<Body>(url: string, headers: Record<string, string>, body: string): Promise<JsonResponse<Body>> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body);
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': String(payload.length), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}
