/** A short sentence for people reading an activity feed; unknown types still read sensibly. */
export function auditSummary(type: string, data: Record<string, unknown>): string {
  switch (type) {
    case 'tenant.tenant.created':
      return `Tenant ${quoted(data, 'tenant', 'name')} created`;
    case 'tenant.tenant.updated':
      return 'Tenant settings changed';
    case 'identity.account.created':
      return 'Account created';
    case 'device.device.registered':
      return `Device ${quoted(data, 'device', 'name')} registered`;
    default:
      return genericSummary(type);
  }
}

/** "identity.identity.removal_requested" → "Identity removal requested". */
function genericSummary(type: string): string {
  const [, aggregate, verb] = type.split('.');
  if (!aggregate || !verb) return 'Event recorded';
  const sentence = `${aggregate} ${verb}`.replace(/_/g, ' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

function quoted(data: Record<string, unknown>, object: string, field: string): string {
  const inner = data[object];
  const value = typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>)[field] : undefined;
  return typeof value === 'string' && value.length > 0 ? `“${value}”` : '(unnamed)';
}
