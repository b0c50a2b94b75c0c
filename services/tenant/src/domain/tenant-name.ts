import { displayTextProblem, normalizeDisplayText } from '@messngr/kit/core';
import { BadUserInputError } from '@messngr/kit/errors';

export function checkedTenantName(name: string): string {
  const normalized = normalizeDisplayText(name);
  const problem = displayTextProblem(normalized, { min: 2, max: 100 });
  if (problem) throw new BadUserInputError(`name ${problem}.`, { field: 'name' });
  return normalized;
}
