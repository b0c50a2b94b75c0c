import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { EVENT_CONTRACTS, ERROR_CODES, PRODUCER_TOPICS } from '@messngr/contracts';
import { ASYNCAPI_PATH, renderAsyncApi } from './asyncapi';
import { README_PATH, readmeWithErrorCodes } from './readme-error-codes';

interface AsyncApiDocument {
  channels: Record<string, { address: string; messages?: Record<string, unknown> }>;
  operations: Record<string, { action: 'send' | 'receive'; messages: { $ref: string }[] }>;
  components: { messages: Record<string, { name: string; 'x-consumers': string[] }> };
}

describe('documents generated from the contracts (run `npm run compose` after changing a contract)', () => {
  it('the committed AsyncAPI catalogue is what the contracts render to today', () => {
    expect(readFileSync(ASYNCAPI_PATH, 'utf8')).toBe(renderAsyncApi());
  });

  it('the catalogue documents each event type as its own message, with who sends and who receives it', () => {
    const document = parse(readFileSync(ASYNCAPI_PATH, 'utf8')) as AsyncApiDocument;
    expect(Object.keys(document.components.messages).sort()).toEqual(EVENT_CONTRACTS.map((contract) => contract.type).sort());
    const referenced = (action: 'send' | 'receive') =>
      Object.values(document.operations)
        .filter((operation) => operation.action === action)
        .flatMap((operation) => operation.messages.map((message) => message.$ref.split('/').at(-1)));
    expect(new Set(referenced('send'))).toEqual(new Set(EVENT_CONTRACTS.map((contract) => contract.type)));
    for (const contract of EVENT_CONTRACTS) {
      expect(document.components.messages[contract.type]?.['x-consumers']).toEqual([...contract.consumers]);
      const receivers = Object.entries(document.operations)
        .filter(([, operation]) => operation.action === 'receive' && operation.messages.some((m) => m.$ref.endsWith(`/${contract.type}`)))
        .map(([name]) => name.split('Receives')[0]);
      expect(receivers.sort()).toEqual([...contract.consumers].sort());
    }
    expect(Object.values(document.channels).map((channel) => channel.address)).toEqual(
      expect.arrayContaining(Object.values(PRODUCER_TOPICS).map((topic) => topic.name)),
    );
  });

  it('the README lists exactly the closed set of error codes', () => {
    const readme = readFileSync(README_PATH, 'utf8');
    expect(readme).toBe(readmeWithErrorCodes(readme));
    for (const code of Object.keys(ERROR_CODES)) expect(readme).toContain(`| \`${code}\` |`);
  });
});
