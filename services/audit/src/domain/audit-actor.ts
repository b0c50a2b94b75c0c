import type { ActorType } from '@messngr/contracts';

/** Who did it, in the words the feed uses. */
export type AuditActorKind = 'USER' | 'TENANT_ADMIN' | 'SUPPORT' | 'SYSTEM';

const KINDS: Record<ActorType, AuditActorKind> = {
  account: 'USER',
  tenant_admin: 'TENANT_ADMIN',
  operator: 'SUPPORT',
  system: 'SYSTEM',
};

/** An entry without an actor was the system's own doing (a sweep, a schedule). */
export function auditActorKind(actorType: ActorType | null): AuditActorKind {
  return actorType ? KINDS[actorType] : 'SYSTEM';
}
