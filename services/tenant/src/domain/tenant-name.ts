export function normalizeTenantName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function tenantNameProblem(name: string): string | undefined {
  if (name.length < 2 || name.length > 100) return 'must be 2 to 100 characters';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  return undefined;
}
