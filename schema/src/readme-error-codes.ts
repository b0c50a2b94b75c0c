import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '@messngr/contracts';
import { REPO_ROOT } from './compose';

export const README_PATH = join(REPO_ROOT, 'README.md');
const START = '<!-- error-codes:start (generated from packages/contracts/src/error-codes.ts by `npm run compose`) -->';
const END = '<!-- error-codes:end -->';

/** The README's table of error codes, from the one closed list. */
export function errorCodeTable(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${meaning.replace(/\|/g, '\\|')} |`);
  return [START, '| `extensions.code` | meaning |', '| --- | --- |', ...rows, END].join('\n');
}

/** The README with its error-code table replaced by the current one. */
export function readmeWithErrorCodes(readme: string = readFileSync(README_PATH, 'utf8')): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} ... ${END} block`);
  return `${readme.slice(0, start)}${errorCodeTable()}${readme.slice(end + END.length)}`;
}
