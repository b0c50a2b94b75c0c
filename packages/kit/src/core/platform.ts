import { asTenantId } from './tenant-id';

/** The tenant that exists from first start; its admins administer every tenant. */
export const PLATFORM_TENANT = Object.freeze({ id: asTenantId('ten_platform'), slug: 'platform', name: 'Messngr Platform' });

export const Role = {
  PLATFORM_ADMIN: 'platform_admin',
  TENANT_ADMIN: 'tenant_admin',
  /**
   * Support staff: of the tenant whose member they are, or of every tenant when they are a
   * member of the platform tenant. They find and help accounts and answer for each action
   * with a reason; they administer nothing.
   */
  SUPPORT_AGENT: 'support_agent',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

/** The issuer URL of a tenant: `{publicUrl}/t/{slug}`. */
export function tenantIssuer(publicUrl: string, slug: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/t/${slug}`;
}
