/** A short sentence for people reading an activity feed; unknown types still read sensibly. */
export function auditSummary(type: string, data: Record<string, unknown>): string {
  switch (type) {
    case 'tenant.tenant.created':
      return `Tenant “${text(data, 'tenant', 'name') ?? 'unnamed'}” created`;
    case 'tenant.tenant.updated':
      return 'Tenant settings changed';
    case 'identity.account.created':
      return `Account “${text(data, 'account', 'displayName') ?? 'unnamed'}” created`;
    case 'device.device.registered':
      return `Device “${text(data, 'device', 'name') ?? 'unnamed'}” registered`;
    default: {
      const [, aggregate = 'item', verb = 'changed'] = type.split('.');
      return `${capitalize(aggregate.replace(/_/g, ' '))} ${verb.replace(/_/g, ' ')}`;
    }
  }
}

function text(data: Record<string, unknown>, object: string, field: string): string | undefined {
  const inner = data[object];
  if (typeof inner !== 'object' || inner === null) return undefined;
  const value = (inner as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
