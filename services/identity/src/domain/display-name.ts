export function normalizeDisplayName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export function displayNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > 80) return 'must be 1 to 80 characters';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'must not contain control characters';
  return undefined;
}
