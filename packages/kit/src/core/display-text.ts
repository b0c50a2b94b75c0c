/** Names people type (tenant, display and device names): NFC, single spaces, trimmed. */
export function normalizeDisplayText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** Why a normalized name is unacceptable, or undefined when it is fine. */
export function displayTextProblem(text: string, { min, max }: { min: number; max: number }): string | undefined {
  if (text.length < min || text.length > max) return `must be ${min} to ${max} characters`;
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'must not contain control characters';
  return undefined;
}
